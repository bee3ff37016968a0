"""Volunteer applications and certification, the home picker, role grants."""

from __future__ import annotations

from litestar import Controller, delete, get, post, put
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from marketplace.accounts.rules import Actor
from marketplace.volunteers import certification, grants, service
from marketplace.volunteers.schemas import (
    ApplicationCreate,
    ApplicationRead,
    GrantCreate,
    GrantRead,
    HomeInput,
    HomeRead,
    ReasonInput,
)


class VolunteerApplicationController(Controller):
    path = "/volunteer-applications"
    tags = ["volunteers 志愿者"]

    @post("/", status_code=HTTP_201_CREATED)
    async def apply(self, actor: Actor, data: ApplicationCreate) -> ApplicationRead:
        """申请成为志愿者 (party member, skilled resident or volunteer): pending until certified."""
        return await service.apply(actor=actor, data=data)

    @get("/mine")
    async def mine(self, actor: Actor) -> ApplicationRead:
        return await service.my_application(actor=actor)

    @get("/")
    async def list_applications(
        self, actor: Actor, status: str | None = None
    ) -> list[ApplicationRead]:
        """The applications I decide (coordinators of their community or sub-district)."""
        return await service.list_applications(actor=actor, status=status)

    @get("/{application_id:int}")
    async def get_one(self, actor: Actor, application_id: int) -> ApplicationRead:
        return await service.get_application(actor=actor, application_id=application_id)

    @post("/{application_id:int}/certify", status_code=HTTP_200_OK)
    async def certify(self, actor: Actor, application_id: int) -> ApplicationRead:
        """Certify: the volunteer role and profile are created; the feed opens to them."""
        return await _decide(actor, application_id, "certify", None)

    @post("/{application_id:int}/reject", status_code=HTTP_200_OK)
    async def reject(self, actor: Actor, application_id: int, data: ReasonInput) -> ApplicationRead:
        """Reject a pending application, with a reason; the person may apply again."""
        return await _decide(actor, application_id, "reject", data)

    @post("/{application_id:int}/suspend", status_code=HTTP_200_OK)
    async def suspend(
        self, actor: Actor, application_id: int, data: ReasonInput
    ) -> ApplicationRead:
        """Suspend, with a reason: the volunteer role goes (no feed, no dispatch)."""
        return await _decide(actor, application_id, "suspend", data)

    @post("/{application_id:int}/reinstate", status_code=HTTP_200_OK)
    async def reinstate(
        self, actor: Actor, application_id: int, data: ReasonInput | None = None
    ) -> ApplicationRead:
        return await _decide(actor, application_id, "reinstate", data)


async def _decide(
    actor: Actor, application_id: int, action: str, data: ReasonInput | None
) -> ApplicationRead:
    return await certification.decide(
        actor=actor,
        application_id=application_id,
        action=action,
        reason=data.reason if data else "",
    )


class VolunteerHomeController(Controller):
    path = "/me/home"
    tags = ["volunteers 志愿者"]

    @put("/", status_code=HTTP_200_OK)
    async def set_home(self, actor: Actor, data: HomeInput) -> HomeRead:
        """Home by building or compound, or the browser's location; never typed coordinates."""
        return await certification.set_home(actor=actor, data=data)


class RoleGrantController(Controller):
    path = "/role-grants"
    tags = ["roles"]

    @get("/")
    async def list_grants(self, actor: Actor) -> list[GrantRead]:
        return await grants.list_grants(actor=actor)

    @post("/", status_code=HTTP_201_CREATED)
    async def grant(self, actor: Actor, data: GrantCreate) -> GrantRead:
        """Grant grid worker or coordinator within my scope (audited)."""
        return await grants.grant(actor=actor, data=data)

    @delete("/{grant_id:int}", status_code=HTTP_204_NO_CONTENT)
    async def revoke(self, actor: Actor, grant_id: int) -> None:
        """Revoke a grid worker or coordinator role within my scope (audited)."""
        await grants.revoke(actor=actor, grant_id=grant_id)
