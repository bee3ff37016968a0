"""A roster import's report."""

from __future__ import annotations

from marketplace.schemas import Output


class RowErrorRead(Output):
    row: int
    field: str
    code: str
    message: str


class RosterReport(Output):
    """What the file holds and what was (or, on a dry run, would be) done; `committed` says
    whether anything was written."""

    kind: str
    mode: str
    rows: int
    valid: int
    errors: list[RowErrorRead]
    created: int  # new people
    roles_added: int  # people already known who gain the roster's role here
    unchanged: int  # people already holding the role: importing a file twice changes nothing
    invited: int  # new people with a phone, invited to sign in with a code
    committed: bool
