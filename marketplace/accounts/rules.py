"""Pure rules about people: roles and their scopes, passwords, phone numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from marketplace.errors import InvalidInput


class Role(StrEnum):
    RESIDENT = "resident"  # 居民
    VOLUNTEER = "volunteer"  # 党员 / 治理能人 / 学生志愿者
    GRID_WORKER = "grid_worker"  # 网格长、楼栋长、社区工作者
    COORDINATOR = "coordinator"  # 社区党委 / 街道
    ADMIN = "admin"


class VolunteerKind(StrEnum):
    PARTY_IN_SERVICE = "party_in_service"  # 在职党员
    PARTY_SUNK_DOWN = "party_sunk_down"  # 下沉党员
    PARTY_RESIDENT = "party_resident"  # 居住地报到党员
    SKILLED_RESIDENT = "skilled_resident"  # 治理能人
    STUDENT = "student"  # 学生志愿者


@dataclass(frozen=True)
class RoleScope:
    """A role within one community, or within a whole sub-district."""

    role: Role
    community_id: int | None = None
    sub_district_id: int | None = None

    def covers(self, community_id: int, sub_district_id: int) -> bool:
        return self.community_id == community_id or (
            self.sub_district_id is not None and self.sub_district_id == sub_district_id
        )


@dataclass(frozen=True)
class Actor:
    """The signed-in person and what they may do: built once per request from the session."""

    person_id: int
    name: str
    roles: tuple[RoleScope, ...] = field(default_factory=tuple)

    def has(self, role: Role) -> bool:
        return any(r.role == role for r in self.roles)

    def _holds_in(self, roles: tuple[Role, ...], community_id: int, sub_district_id: int) -> bool:
        return any(r.role in roles and r.covers(community_id, sub_district_id) for r in self.roles)

    def coordinates(self, community_id: int, sub_district_id: int) -> bool:
        """A coordinator (or admin) of this community or of its sub-district."""
        return self._holds_in((Role.COORDINATOR, Role.ADMIN), community_id, sub_district_id)

    def grid_worker_in(self, community_id: int, sub_district_id: int) -> bool:
        return self._holds_in((Role.GRID_WORKER,), community_id, sub_district_id)

    def scopes(self, *roles: Role) -> list[RoleScope]:
        return [r for r in self.roles if r.role in roles]


_PHONE = re.compile(r"^1[3-9]\d{9}$")
_hasher = PasswordHasher()


def normalise_phone(phone: str) -> str:
    """A mainland mobile number: 11 digits starting with 1 (spaces, dashes and +86 are dropped)."""
    digits = re.sub(r"[\s\-]", "", phone).removeprefix("+86")
    if not _PHONE.match(digits):
        raise InvalidInput(
            "phone must be an 11-digit mainland mobile number, e.g. 13812345678.",
            code="account_phone_format",
            field="phone",
        )
    return digits


def hash_password(password: str) -> str:
    """Argon2id hash of a password of at least 8 characters."""
    if len(password) < 8:
        raise InvalidInput(
            "password must have at least 8 characters.",
            code="account_password_short",
            field="password",
        )
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches; never raises for a wrong or missing hash."""
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
