"""Pure rules about people: roles and their scopes, passwords, phone numbers."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

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
        if self.role == Role.ADMIN and self.community_id is None and self.sub_district_id is None:
            return True  # the installation's administrator (made by `cli create-admin`)
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
# separators people type inside a number: spaces (also U+3000), dashes of every width, dots,
# brackets; full-width digits and plus signs become ASCII through NFKC first
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212.()\[\]]")
_hasher = PasswordHasher()
CODE_DIGITS = 6


def normalise_phone(phone: str) -> str:
    """A mainland mobile number as 11 ASCII digits starting with 1: full-width digits, spaces,
    dashes, brackets and a +86 / 0086 country prefix are accepted and dropped. Every use of a
    phone number (sign-in, limits, search, storage) goes through here once."""
    digits = _SEPARATORS.sub("", unicodedata.normalize("NFKC", phone or ""))
    for prefix in ("+86", "0086"):
        digits = digits.removeprefix(prefix)
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    if not _PHONE.match(digits):
        raise InvalidInput(
            "phone must be an 11-digit mainland mobile number, e.g. 13812345678.",
            code="accounts_phone_invalid",
            field="phone",
        )
    return digits


def hash_password(password: str) -> str:
    """Argon2id hash of a password of at least 8 characters."""
    if len(password) < 8:
        raise InvalidInput(
            "password must have at least 8 characters.",
            code="accounts_password_too_short",
            field=field,
        )
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches; never raises for a wrong or missing hash.

    Without a hash the password is checked against a dummy one, so that a wrong sign-in takes
    the same time whether or not the phone number is registered (no enumeration by timing)."""
    try:
        if not password_hash:
            _hasher.verify(_dummy_hash(), password)
            return False
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_hex(16))


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords (lower-cased), refused by the policy."""
    text = (Path(__file__).parent / "common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


def check_password_policy(password: str, *, phone: str | None, field: str = "password") -> None:
    """At least 8 characters, not a common password, not built from the phone number."""
    if len(password) < 8:
        raise InvalidInput(
            "password must have at least 8 characters.",
            code="accounts_password_too_short",
            field=field,
        )
    lowered = password.strip().lower()
    if lowered in common_passwords() or len(set(lowered)) <= 2:
        raise InvalidInput(
            "password is too common; choose another.",
            code="accounts_password_common",
            field=field,
        )
    digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", password))
    if phone and (phone in digits or (len(digits) >= 8 and digits in phone)):
        raise InvalidInput(
            "password must not be your phone number.",
            code="accounts_password_is_phone",
            field=field,
        )


def check_name(name: str) -> None:
    """A person's name: not blank (spaces alone are no name)."""
    if not name.strip():
        raise InvalidInput("name is needed.", code="accounts_name_needed", field="name")


def new_code() -> str:
    """A one-time code of 6 random digits (验证码)."""
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def hash_code(secret: str, phone: str, code: str) -> str:
    """A keyed hash of a code: a leaked table row alone cannot be tried offline."""
    return hmac.new(secret.encode(), f"{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def code_matches(secret: str, phone: str, code: str, code_hash: str) -> bool:
    typed = re.sub(r"\s", "", unicodedata.normalize("NFKC", code))
    return hmac.compare_digest(hash_code(secret, phone, typed), code_hash)
