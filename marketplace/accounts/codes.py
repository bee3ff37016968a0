"""One-time codes (验证码): send, check, use. Sign in or sign up by code, set a password by code.

The code rows live in the database, so every app process sees the same tries and the same
send limits: at most 1 code a minute and 10 a day per phone; each code is valid 5 minutes and
takes at most 5 tries. A client address may ask for a limited number of codes an hour (counted
on the app's store).
"""

from __future__ import annotations

import hashlib
import logging
from datetime import UTC, datetime, timedelta

from litestar.stores.base import Store

from marketplace.accounts.rules import (
    Role,
    check_password_policy,
    code_matches,
    hash_code,
    hash_password,
    new_code,
)
from marketplace.accounts.tables import LoginCode, Person, RoleGrant
from marketplace.db import atomic
from marketplace.errors import Conflict, InvalidInput, NotFound, TooManyRequests
from marketplace.org import service as org
from marketplace.settings import Settings
from marketplace.sms.sender import Sender

log = logging.getLogger("marketplace.accounts")
PURPOSES = {"sign_in": "login_code", "password": "password_code"}  # purpose -> SMS template


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)


async def _count_client(store: Store, client: str, limit: int) -> None:
    key = "codes:" + hashlib.sha256(client.encode()).hexdigest()[:24]
    count = int(await store.get(key) or 0)
    if count >= limit:
        log.warning("code requests locked for client %s", key)
        raise TooManyRequests(
            "Too many codes asked for from here.", code="accounts_code_client_limit"
        )
    await store.set(key, str(count + 1), expires_in=3600)


async def send_code(
    *,
    phone: str,
    purpose: str,
    client: str,
    store: Store,
    sender: Sender,
    settings: Settings,
) -> None:
    """Make a code for a normalised phone and text it. Registered or not, the answer is the
    same (no enumeration); the limits hold per phone (database) and per client (store)."""
    if purpose not in PURPOSES:
        raise InvalidInput(
            "purpose must be sign_in or password.", code="accounts_code_purpose", field="purpose"
        )
    await _count_client(store, client, settings.codes_per_client_per_hour)
    now = datetime.now(UTC)
    code = new_code()
    async with atomic():
        recent = (
            await LoginCode.select(LoginCode.created_at)
            .where(LoginCode.phone == phone)
            .order_by(LoginCode.id, ascending=False)
            .limit(settings.codes_per_phone_per_day)
        )
        times = [_aware(r["created_at"]) for r in recent]
        if times and now - times[0] < timedelta(seconds=settings.code_resend_seconds):
            wait = settings.code_resend_seconds - int((now - times[0]).total_seconds())
            raise TooManyRequests(
                "A code was just sent.", code="accounts_code_too_soon", field="phone", seconds=wait
            )
        if sum(now - t < timedelta(days=1) for t in times) >= settings.codes_per_phone_per_day:
            raise TooManyRequests(
                "Too many codes today.", code="accounts_code_daily_limit", field="phone"
            )
        await LoginCode(
            phone=phone,
            purpose=purpose,
            code_hash=hash_code(settings.secret, phone, code),
            created_at=now,
            expires_at=now + timedelta(seconds=settings.code_ttl_seconds),
        ).save()
    minutes = str(settings.code_ttl_seconds // 60)
    await sender.send(
        phone=phone, template=PURPOSES[purpose], params={"code": code, "minutes": minutes}
    )


async def check_code(*, phone: str, purpose: str, code: str, settings: Settings) -> int:
    """The id of the phone's latest live code when `code` matches it. Each check is a try,
    counted by a conditional update (concurrent guesses cannot exceed the 5 tries)."""
    invalid = InvalidInput(
        "The code is wrong or has expired.", code="accounts_code_invalid", field="code"
    )
    row = (
        await LoginCode.select(LoginCode.id, LoginCode.code_hash, LoginCode.expires_at)
        .where(
            (LoginCode.phone == phone) & (LoginCode.purpose == purpose) & LoginCode.used.eq(False)
        )
        .order_by(LoginCode.id, ascending=False)
        .first()
    )
    if row is None or _aware(row["expires_at"]) <= datetime.now(UTC):
        raise invalid
    tried = (
        await LoginCode.update({LoginCode.attempts: LoginCode.attempts + 1})
        .where((LoginCode.id == row["id"]) & (LoginCode.attempts < settings.code_max_attempts))
        .returning(LoginCode.id)
    )
    if not tried:
        raise InvalidInput(
            "Too many wrong tries for this code.", code="accounts_code_too_many_tries", field="code"
        )
    if not code_matches(settings.secret, phone, code, row["code_hash"]):
        raise invalid
    return row["id"]


async def _use(code_id: int) -> None:
    """Mark a code used, inside the act's transaction: a code works once."""
    used = (
        await LoginCode.update({LoginCode.used: True})
        .where((LoginCode.id == code_id) & LoginCode.used.eq(False))
        .returning(LoginCode.id)
    )
    if not used:
        raise InvalidInput(
            "The code is wrong or has expired.", code="accounts_code_invalid", field="code"
        )


async def _live_person(phone: str) -> dict | None:
    return (
        await Person.select(Person.id, Person.credentials_epoch)
        .where((Person.phone == phone) & Person.closed_at.is_null())
        .first()
    )


async def sign_in_by_code(*, phone: str, code: str, settings: Settings) -> tuple[int, int]:
    """(person id, epoch) for a registered phone with the right code. An unregistered phone
    is told to sign up, and its code stays usable for the sign-up."""
    code_id = await check_code(phone=phone, purpose="sign_in", code=code, settings=settings)
    person = await _live_person(phone)
    if person is None:
        raise NotFound(
            "No account has this phone number yet.", code="accounts_not_registered", field="phone"
        )
    async with atomic():
        await _use(code_id)
    return person["id"], person["credentials_epoch"]


async def sign_up(
    *, phone: str, code: str, name: str, compound_id: int, settings: Settings
) -> tuple[int, int]:
    """注册: the first code sign-in of an unknown phone makes the person a resident of the
    compound they chose (and of its community). Returns (person id, epoch)."""
    place = await org.compound_place(compound_id=compound_id)
    code_id = await check_code(phone=phone, purpose="sign_in", code=code, settings=settings)
    async with atomic():
        await _use(code_id)
        if await Person.exists().where(Person.phone == phone):
            raise Conflict(
                "A person with this phone number is already registered.",
                code="accounts_phone_taken",
                field="phone",
            )
        person = Person(
            name=name.strip(),
            phone=phone,
            community=place.community_id,
            compound=place.compound_id,
            lat=place.lat,
            lng=place.lng,
            created_at=datetime.now(UTC),
        )
        await person.save()
        await RoleGrant(
            person=person.id, role=Role.RESIDENT.value, community=place.community_id
        ).save()
    return person.id, 0


async def set_password_by_code(
    *, phone: str, code: str, password: str, settings: Settings
) -> tuple[int, int]:
    """Set or reset the password with a code sent to the phone. Every session of the person
    ends (the credentials epoch moves on). Returns (person id, the new epoch)."""
    check_password_policy(password, phone=phone)
    code_id = await check_code(phone=phone, purpose="password", code=code, settings=settings)
    person = await _live_person(phone)
    if person is None:
        raise NotFound(
            "No account has this phone number yet.", code="accounts_not_registered", field="phone"
        )
    epoch = person["credentials_epoch"] + 1
    async with atomic():
        await _use(code_id)
        await Person.update(
            {Person.password_hash: hash_password(password), Person.credentials_epoch: epoch}
        ).where(Person.id == person["id"])
    log.info("password set for person %d; older sessions ended", person["id"])
    return person["id"], epoch
