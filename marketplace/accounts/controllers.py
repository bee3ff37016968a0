"""Login, logout, the signed-in person, residents added by grid workers."""

from __future__ import annotations

from litestar import Controller, Request, get, post, put
from litestar.status_codes import HTTP_200_OK

from marketplace.accounts import service, sessions
from marketplace.accounts.rules import Actor
from marketplace.accounts.schemas import (
    LoginInput,
    MeRead,
    ResidentCreate,
    ResidentRead,
    ResidentSearch,
    VolunteerProfileUpdate,
)
from marketplace.schemas import Message
from marketplace.settings import Settings


class AuthController(Controller):
    path = "/auth"
    tags = ["accounts"]

    @post("/login", status_code=HTTP_200_OK, exclude_from_auth=True)
    async def login(self, request: Request, data: LoginInput, settings: Settings) -> MeRead:
        """Sign in with a mobile number and password; the session id is renewed."""
        person_id = await sessions.sign_in(
            request, phone=data.phone, password=data.password, settings=settings
        )
        actor = await service.load_actor(person_id=person_id)
        assert actor is not None
        return await service.me(actor=actor)

    @post("/logout", status_code=HTTP_200_OK)
    async def logout(self, request: Request) -> Message:
        """End the session: its id is dead from now on."""
        request.clear_session()
        return Message(message="Signed out.")


class MeController(Controller):
    path = "/me"
    tags = ["accounts"]

    @get("/")
    async def me(self, actor: Actor) -> MeRead:
        return await service.me(actor=actor)

    @put("/volunteer-profile")
    async def update_profile(self, actor: Actor, data: VolunteerProfileUpdate) -> MeRead:
        return await service.update_volunteer_profile(actor=actor, data=data)


class ResidentController(Controller):
    path = "/residents"
    tags = ["accounts"]

    @post("/")
    async def add(self, actor: Actor, data: ResidentCreate) -> ResidentRead:
        """A grid worker adds a resident met while door-knocking (敲门行动)."""
        return await service.add_resident(actor=actor, data=data)

    @post("/search", status_code=HTTP_200_OK)
    async def find(self, actor: Actor, data: ResidentSearch) -> list[ResidentRead]:
        """Find residents by name or phone (in the body: no personal data in URLs)."""
        return await service.find_residents(actor=actor, q=data.q, community_id=data.community_id)

    @get("/{person_id:int}")
    async def get_one(self, actor: Actor, person_id: int) -> ResidentRead:
        return await service.get_resident(actor=actor, person_id=person_id)
