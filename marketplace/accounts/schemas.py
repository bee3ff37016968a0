"""Account schemas: login, the signed-in person, residents added by grid workers, profiles."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from marketplace.schemas import Id, Input, Lat, Lng, Output

MAX_SKILLS = 50  # more than anyone offers; 5,000 would only slow every matching run


class LoginInput(Input):
    phone: Annotated[str, msgspec.Meta(max_length=20)]
    password: Annotated[str, msgspec.Meta(max_length=200)]


Phone = Annotated[str, msgspec.Meta(max_length=30)]
Code = Annotated[str, msgspec.Meta(min_length=1, max_length=12)]


class CodeRequest(Input):
    """Ask for a one-time code (验证码) by SMS: to sign in (or sign up), or to set a password."""

    phone: Phone
    purpose: Literal["sign_in", "password"] = "sign_in"


class CodeLoginInput(Input):
    phone: Phone
    code: Code


class SignUpInput(Input):
    """注册: a new resident with the code just sent, the name and the compound they live in."""

    phone: Phone
    code: Code
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=50)]
    compound_id: Id


class PasswordByCodeInput(Input):
    phone: Phone
    code: Code
    password: Annotated[str, msgspec.Meta(max_length=200)]


class PasswordChangeInput(Input):
    current_password: Annotated[str, msgspec.Meta(max_length=200)]
    new_password: Annotated[str, msgspec.Meta(max_length=200)]


class RoleRead(Output):
    role: str
    community_id: int | None
    sub_district_id: int | None
    title: str


class VolunteerProfileRead(Output):
    kind: str
    skills: list[str]
    home_lat: float
    home_lng: float
    weekly_hours: float
    weekly_tasks: int
    max_distance_m: int


class VolunteerProfileUpdate(Input):
    skills: Annotated[
        list[Annotated[str, msgspec.Meta(min_length=1, max_length=30)]],
        msgspec.Meta(max_length=MAX_SKILLS),
    ]
    home_lat: Lat
    home_lng: Lng
    weekly_hours: Annotated[float, msgspec.Meta(ge=0, le=80)]
    weekly_tasks: Annotated[int, msgspec.Meta(ge=0, le=50)]
    max_distance_m: Annotated[int, msgspec.Meta(ge=100, le=50_000)]


class MeRead(Output):
    id: int
    name: str
    phone: str | None
    community_id: int | None
    roles: list[RoleRead]
    volunteer: VolunteerProfileRead | None


class ResidentCreate(Input):
    """A resident added by a grid worker during door-knocking (敲门行动); the phone is optional."""

    name: Annotated[str, msgspec.Meta(min_length=1, max_length=50)]
    compound_id: Id
    grid_id: Id | None = None
    phone: Annotated[str, msgspec.Meta(max_length=20)] | None = None
    address: Annotated[str, msgspec.Meta(max_length=200)] = ""
    lat: Lat | None = None
    lng: Lng | None = None
    # the address picked from the tree: building 楼栋, unit 单元, room 房号 (address is composed)
    building_id: Id | None = None
    unit: Annotated[str, msgspec.Meta(max_length=20)] = ""
    room: Annotated[str, msgspec.Meta(max_length=20)] = ""


class ResidentRead(Output):
    """Seen only by the grid workers and coordinators of the resident's community."""

    id: int
    name: str
    phone: str | None
    community_id: int | None
    compound_id: int | None
    grid_id: int | None
    address: str


class ResidentSearch(Input):
    community_id: Id
    q: Annotated[str, msgspec.Meta(max_length=50)] = ""


class MyDataUpdate(Input):
    """Corrections a person makes to their own data."""

    name: Annotated[str, msgspec.Meta(min_length=1, max_length=50)] | None = None
    address: Annotated[str, msgspec.Meta(max_length=200)] | None = None


class CloseAccountInput(Input):
    """Closing forfeits the points: `confirm_forfeit` says the person read the warning."""

    confirm_forfeit: bool = False
