"""Pure rules of volunteer certification: kinds, states and who may grant which role."""

from __future__ import annotations

from enum import StrEnum

from marketplace.accounts.rules import Actor, Role, RoleScope
from marketplace.errors import Conflict, Forbidden, InvalidInput


class ApplicationKind(StrEnum):
    PARTY_IN_SERVICE = "party_in_service"  # 在职党员
    PARTY_RESIDENT = "party_resident"  # 报到党员 (居住地报到)
    SKILLED_RESIDENT = "skilled_resident"  # 治理能人
    ORDINARY = "ordinary"  # 志愿者


PARTY_KINDS = {ApplicationKind.PARTY_IN_SERVICE, ApplicationKind.PARTY_RESIDENT}


class ApplicationStatus(StrEnum):
    PENDING = "pending"
    CERTIFIED = "certified"
    REJECTED = "rejected"
    SUSPENDED = "suspended"


S = ApplicationStatus
TRANSITIONS = {
    ("certify", S.PENDING): S.CERTIFIED,
    ("reject", S.PENDING): S.REJECTED,
    ("suspend", S.CERTIFIED): S.SUSPENDED,
    ("reinstate", S.SUSPENDED): S.CERTIFIED,
}
NEEDS_REASON = {"reject", "suspend"}


def next_status(action: str, current: ApplicationStatus) -> ApplicationStatus:
    """The application's status after `action`, or 409 saying why not."""
    target = TRANSITIONS.get((action, current))
    if target is None:
        raise Conflict(
            f"Cannot {action} an application that is {current.value}.",
            code="volunteer_bad_transition",
            action=action,
            status=current.value,
        )
    return target


def check_reason(action: str, reason: str) -> None:
    if action in NEEDS_REASON and not reason.strip():
        raise InvalidInput(
            f"A {action} needs a reason.", code="volunteer_reason_needed", field="reason"
        )


def can_reapply(status: ApplicationStatus) -> bool:
    """A rejected application may be sent again; pending, certified and suspended ones stay."""
    return status == S.REJECTED


def check_party_branch(kind: ApplicationKind, branch: str) -> None:
    """Party members name the branch (党支部) they belong to."""
    if kind in PARTY_KINDS and not branch.strip():
        raise InvalidInput(
            "Party members give their party branch.",
            code="volunteer_branch_needed",
            field="party_branch",
        )


GRANTABLE = {Role.GRID_WORKER, Role.COORDINATOR}


def check_may_grant(
    actor: Actor, role: Role, community_id: int | None, sub_district_id: int
) -> None:
    """Coordinators grant grid worker and coordinator roles within their own scope: a community
    coordinator in their community, a sub-district coordinator in the sub-district or any of its
    communities; an administrator anywhere."""
    if role not in GRANTABLE:
        raise InvalidInput(
            "Only grid worker and coordinator roles are granted here.",
            code="role_not_grantable",
            field="role",
        )
    if actor.has(Role.ADMIN):
        return
    for scope in actor.scopes(Role.COORDINATOR):
        if scope.sub_district_id is not None and scope.sub_district_id == sub_district_id:
            return
        if community_id is not None and scope.community_id == community_id:
            return
    raise Forbidden(
        "You may grant roles only within the area you coordinate.", code="role_out_of_scope"
    )


def scope_of(scope: RoleScope) -> tuple[int | None, int | None]:
    return scope.community_id, scope.sub_district_id
