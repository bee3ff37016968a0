from __future__ import annotations

from datetime import datetime

from marketplace.schemas import Output


class VisitRead(Output):
    """Who is coming to a wish (for the resident, the person who posted it, coordinators).

    `code` is only for the resident and whoever posted for them: the volunteer learns it at the
    door. `checked_via` says how the visit was checked: "code", "grid_worker" or "" (not yet).
    """

    volunteer_name: str
    unit: str
    via: str
    claimed_at: datetime
    wanted_by: str | None
    code: str | None
    checked_via: str
    checked_at: datetime | None
