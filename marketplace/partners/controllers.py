"""幸福合伙人 partner endpoints."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_202_ACCEPTED

from marketplace.accounts.rules import Actor
from marketplace.notifications.service import Publisher
from marketplace.partners import service
from marketplace.partners.schemas import (
    InvitationRead,
    MemberAdd,
    PartnerCreate,
    PartnerRead,
    ReasonInput,
)
from marketplace.schemas import Message, told
from marketplace.tasks.schemas import TaskRead


class PartnerController(Controller):
    path = "/partners"
    tags = ["partners 幸福合伙人"]

    @post("/", status_code=HTTP_201_CREATED)
    async def register(self, actor: Actor, data: PartnerCreate) -> PartnerRead:
        """组织备案: register a partner unit or yourself as a skilled resident (pending until certified)."""
        return await service.register(actor=actor, data=data)

    @get("/")
    async def list_partners(
        self, actor: Actor, status: str | None = None, mine: bool = False
    ) -> list[PartnerRead]:
        return await service.list_partners(actor=actor, status=status, mine=mine)

    @get("/{unit_id:int}")
    async def get_one(self, actor: Actor, unit_id: int) -> PartnerRead:
        return await service.get(actor=actor, unit_id=unit_id)

    @post("/{unit_id:int}/certify", status_code=HTTP_200_OK)
    async def certify(self, actor: Actor, unit_id: int) -> PartnerRead:
        return await service.change_status(
            actor=actor, unit_id=unit_id, action="certify", reason=""
        )

    @post("/{unit_id:int}/suspend", status_code=HTTP_200_OK)
    async def suspend(self, actor: Actor, unit_id: int, data: ReasonInput) -> PartnerRead:
        return await service.change_status(
            actor=actor, unit_id=unit_id, action="suspend", reason=data.reason
        )

    @post("/{unit_id:int}/reinstate", status_code=HTTP_200_OK)
    async def reinstate(self, actor: Actor, unit_id: int) -> PartnerRead:
        return await service.change_status(
            actor=actor, unit_id=unit_id, action="reinstate", reason=""
        )

    @post("/{unit_id:int}/members", status_code=HTTP_202_ACCEPTED)
    async def invite_member(
        self, request: Request, actor: Actor, unit_id: int, data: MemberAdd, publisher: Publisher
    ) -> Message:
        """Invite a person by phone; they join when they accept. The answer never says whether
        the number is registered."""
        await service.invite_member(
            actor=actor, unit_id=unit_id, phone=data.phone, publisher=publisher
        )
        return told(request, "partner_member_invited")

    @get("/invitations")
    async def my_invitations(self, actor: Actor) -> list[InvitationRead]:
        """Invitations to join a unit, waiting for my answer."""
        return await service.my_invitations(actor=actor)

    @post("/invitations/{invitation_id:int}/accept", status_code=HTTP_200_OK)
    async def accept(self, actor: Actor, invitation_id: int) -> PartnerRead:
        read = await service.answer_invitation(
            actor=actor, invitation_id=invitation_id, accept=True
        )
        assert read is not None
        return read

    @post("/invitations/{invitation_id:int}/decline", status_code=HTTP_200_OK)
    async def decline(self, request: Request, actor: Actor, invitation_id: int) -> Message:
        await service.answer_invitation(actor=actor, invitation_id=invitation_id, accept=False)
        return told(request, "partner_invitation_declined")


class PartnerTaskController(Controller):
    path = "/partners/{unit_id:int}/tasks"
    tags = ["partners 幸福合伙人"]

    @get("/")
    async def open_tasks(self, actor: Actor, unit_id: int) -> list[TaskRead]:
        """Open tasks in the unit's service area (members only)."""
        return await service.unit_tasks(actor=actor, unit_id=unit_id)

    @post("/{task_id:int}/claim", status_code=HTTP_200_OK)
    async def claim(self, actor: Actor, unit_id: int, task_id: int) -> TaskRead:
        """Sign the unit up for a task (certified units only; 409 if someone was first)."""
        return await service.claim_for_unit(actor=actor, unit_id=unit_id, task_id=task_id)
