"""Slots as a task source: claims on slot tasks need no change to the project (its fill is
derived from the tasks), and the contact an assignee sees is the project's place."""

from __future__ import annotations

from marketplace.accounts.rules import Actor
from marketplace.projects.service import SOURCE
from marketplace.projects.tables import Project, Slot
from marketplace.tasks import sources


class SlotSource:
    async def on_claimed(
        self,
        *,
        source_id: int,
        actor: Actor,
        volunteer_id: int,
        via: str,
        claim_id: int,
        partner_unit: int | None,
    ) -> sources.Contact | None:
        return None

    async def on_released(self, *, source_id: int, actor: Actor) -> None:
        return None

    async def on_fulfilled(self, *, source_id: int, actor: Actor, hours: float, note: str) -> None:
        return None

    async def contact(self, *, source_id: int) -> sources.Contact:
        row = (
            await Project.select(
                Project.title,
                Project.lat,
                Project.lng,
                Project.community.name.as_alias("community_name"),
            )
            .where(Project.id.is_in(Slot.select(Slot.project).where(Slot.id == source_id)))
            .first()
        )
        return sources.Contact(
            name=row["title"],
            phone=None,
            address=row["community_name"],
            lat=row["lat"],
            lng=row["lng"],
        )


sources.register(SOURCE, SlotSource())
