"""The Piccolo app: every table of every domain, migrations in the top-level migrations/."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from marketplace.accounts.tables import LoginCode, Person, RoleGrant, VolunteerProfile
from marketplace.admin.tables import AdminSession, AdminUser
from marketplace.audit.tables import AuditEntry
from marketplace.dispatch.tables import DeclinedPair, MatchingRun, ProposedAssignment, UnservedTask
from marketplace.notifications.tables import NoticePreference, Notification
from marketplace.org.tables import Building, Community, Compound, Grid, Residence, SubDistrict
from marketplace.partners.tables import PartnerInvitation, PartnerMember, PartnerUnit
from marketplace.points.tables import PointsAccount, PointsEntry, Redemption, StoreItem
from marketplace.projects.tables import Project, ProjectWish, Slot
from marketplace.rosters.tables import PriorityRecord
from marketplace.tasks.tables import Claim, Task
from marketplace.visits.tables import Visit
from marketplace.volunteers.tables import VolunteerApplication
from marketplace.wishes.tables import Wish, WishEvent

APP_CONFIG = AppConfig(
    app_name="marketplace",
    migrations_folder_path=str(Path(__file__).resolve().parent.parent / "migrations"),
    table_classes=[
        SubDistrict,
        Community,
        Compound,
        Grid,
        Person,
        RoleGrant,
        VolunteerProfile,
        LoginCode,
        Wish,
        WishEvent,
        Task,
        Claim,
        Notification,
        NoticePreference,
        Visit,
        AuditEntry,
        MatchingRun,
        ProposedAssignment,
        UnservedTask,
        DeclinedPair,
        PartnerUnit,
        PartnerMember,
        PartnerInvitation,
        Project,
        Slot,
        ProjectWish,
        PointsAccount,
        PointsEntry,
        StoreItem,
        Redemption,
        AdminUser,
        AdminSession,
        Building,
        Residence,
        VolunteerApplication,
        PriorityRecord,
    ],
)
