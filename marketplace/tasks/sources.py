"""What publishes tasks (a wish, later an opportunity-list slot) and hears of their claims.

The tasks domain knows nothing of wishes: each source registers a handler here, and the claim
service calls it inside the same transaction, so the source's state moves with the task's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from marketplace.accounts.rules import Actor


@dataclass(frozen=True)
class Contact:
    """What the active assignee (and only they) may see of the person to be served."""

    name: str
    phone: str | None
    address: str
    lat: float
    lng: float


class TaskSource(Protocol):
    async def on_claimed(
        self,
        *,
        source_id: int,
        actor: Actor,
        volunteer_id: int,
        via: str,
        claim_id: int,
        partner_unit: int | None,
    ) -> Contact | None:
        """The task was claimed (领单) or dispatched (派单); the contact of the person served
        when the step read it anyway (None: `contact` reads it)."""

    async def on_released(self, *, source_id: int, actor: Actor) -> None:
        """The assignee gave the task back to the pool."""

    async def on_fulfilled(self, *, source_id: int, actor: Actor, hours: float, note: str) -> None:
        """The assignee reports the work done (圆梦)."""

    async def contact(self, *, source_id: int) -> Contact:
        """The full contact of the person served, for the active assignee."""


_SOURCES: dict[str, TaskSource] = {}


def register(kind: str, source: TaskSource) -> None:
    """Called once by each publishing domain at import."""
    _SOURCES[kind] = source


def source_for(kind: str) -> TaskSource:
    return _SOURCES[kind]
