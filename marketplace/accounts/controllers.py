"""Login, logout, the signed-in person, residents added by grid workers."""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post, put
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_202_ACCEPTED

from marketplace import messages
from marketplace.accounts import mydata, service, sessions, signin
from marketplace.accounts.rules import Actor
from marketplace.accounts.schemas import (
    CloseAccountInput,
    CodeLoginInput,
    CodeRequest,
    LoginInput,
    MeRead,
    MyDataUpdate,
    PasswordByCodeInput,
    PasswordChangeInput,
    ResidentCreate,
    ResidentRead,
    ResidentSearch,
    SignUpInput,
    VolunteerProfileUpdate,
)
from marketplace.rosters.workbook import XLSX
from marketplace.schemas import Message, told
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
        return await service.me_by_id(person_id=person_id)

    @post("/codes", status_code=HTTP_202_ACCEPTED, exclude_from_auth=True)
    async def request_code(
        self, request: Request, data: CodeRequest, settings: Settings
    ) -> Message:
        """Text a 6-digit code (验证码) to the phone: valid 5 minutes, 5 tries; at most 1 a
        minute and 10 a day per phone. The answer is the same whether or not it is registered."""
        await signin.request_code(
            request, phone=data.phone, purpose=data.purpose, settings=settings
        )
        return told(request, "accounts_code_sent")

    @post("/code-login", status_code=HTTP_200_OK, exclude_from_auth=True)
    async def code_login(
        self, request: Request, data: CodeLoginInput, settings: Settings
    ) -> MeRead:
        """Sign in with the code; 404 `accounts_not_registered` means: sign up with it."""
        person_id = await signin.sign_in_with_code(
            request, phone=data.phone, code=data.code, settings=settings
        )
        return await service.me_by_id(person_id=person_id)

    @post("/sign-up", status_code=HTTP_201_CREATED, exclude_from_auth=True)
    async def sign_up(self, request: Request, data: SignUpInput, settings: Settings) -> MeRead:
        """注册 as a resident of the chosen compound, with the code; signed in at once."""
        person_id = await signin.sign_up_with_code(
            request,
            phone=data.phone,
            code=data.code,
            name=data.name,
            compound_id=data.compound_id,
            settings=settings,
        )
        return await service.me_by_id(person_id=person_id)

    @post("/password", status_code=HTTP_200_OK, exclude_from_auth=True)
    async def set_password(
        self, request: Request, data: PasswordByCodeInput, settings: Settings
    ) -> MeRead:
        """Set or reset the password with a code (purpose `password`): at least 8 characters,
        not a common password, not the phone number. Every other session of the person ends."""
        person_id = await signin.set_password_with_code(
            request, phone=data.phone, code=data.code, password=data.password, settings=settings
        )
        return await service.me_by_id(person_id=person_id)

    @post("/logout", status_code=HTTP_200_OK)
    async def logout(self, request: Request) -> Message:
        """End the session: its id is dead from now on."""
        request.clear_session()
        return told(request, "accounts_signed_out")


class MeController(Controller):
    path = "/me"
    tags = ["accounts"]

    @get("/")
    async def me(self, actor: Actor) -> MeRead:
        return await service.me(actor=actor)

    @put("/password")
    async def change_password(
        self, request: Request, actor: Actor, data: PasswordChangeInput, settings: Settings
    ) -> Message:
        """Change my password with the current one (policy as at sign-up); my other sessions
        end and this one continues under a new id."""
        await signin.change_password(
            request,
            person_id=actor.person_id,
            current=data.current_password,
            new=data.new_password,
            settings=settings,
        )
        return told(request, "accounts_password_changed")

    @put("/volunteer-profile")
    async def update_profile(self, actor: Actor, data: VolunteerProfileUpdate) -> MeRead:
        return await service.update_volunteer_profile(actor=actor, data=data)


class MyDataController(Controller):
    """A person's own data (PIPL): see, correct, download, withdraw consent, close."""

    path = "/me/data"
    tags = ["accounts"]

    @get("/")
    async def show(self, actor: Actor) -> dict:
        """Everything held about me."""
        return await mydata.export(actor=actor)

    @get("/download")
    async def download(self, actor: Actor) -> Response:
        """The same, as a JSON file to keep."""
        return Response(
            await mydata.export(actor=actor),
            headers={"content-disposition": 'attachment; filename="lianxin-my-data.json"'},
        )

    @get("/workbook", media_type=XLSX)
    async def workbook(self, request: Request, actor: Actor) -> Response[bytes]:
        """The same as an .xlsx workbook to keep: a sheet per part, headers in the reader's
        language."""
        lang = messages.language(request.headers.get("accept-language"))
        return Response(
            mydata.workbook(await mydata.export(actor=actor), lang),
            media_type=XLSX,
            headers={"content-disposition": 'attachment; filename="lianxin-my-data.xlsx"'},
        )

    @put("/")
    async def correct(self, actor: Actor, data: MyDataUpdate) -> dict:
        await mydata.correct(actor=actor, name=data.name, address=data.address)
        return await mydata.export(actor=actor)

    @post("/withdraw-priority-consent", status_code=HTTP_200_OK)
    async def withdraw(self, request: Request, actor: Actor) -> Message:
        """Remove my priority-group data (who recorded it stays in the audit log)."""
        count = await mydata.withdraw_priority_consent(actor=actor)
        return told(request, "accounts_priority_consent_withdrawn", count=count)

    @post("/close", status_code=HTTP_200_OK)
    async def close(self, request: Request, actor: Actor, data: CloseAccountInput) -> Message:
        """注销 close my account: personal fields erased, history anonymised, points forfeited
        (409 `accounts_close_not_confirmed` until `confirm_forfeit` is true)."""
        await mydata.close_account(actor=actor, confirm_forfeit=data.confirm_forfeit)
        request.clear_session()
        return told(request, "accounts_closed")


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
