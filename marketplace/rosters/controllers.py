"""Roster templates and imports (名册导入), for a community's coordinators."""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.status_codes import HTTP_200_OK

from marketplace import messages
from marketplace.accounts.rules import Actor
from marketplace.core import uploads
from marketplace.rosters import service
from marketplace.rosters.rules import Mode, RosterKind
from marketplace.rosters.schemas import RosterReport

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RosterController(Controller):
    path = "/rosters"
    tags = ["rosters 名册"]

    @get("/{kind:str}/template", media_type=XLSX)
    async def template(self, actor: Actor, kind: RosterKind) -> Response[bytes]:
        """The roster's .xlsx template: the columns (Chinese headers) and one example row."""
        return Response(
            service.template(kind),
            media_type=XLSX,
            headers={"Content-Disposition": f'attachment; filename="roster-{kind.value}.xlsx"'},
        )

    @post("/{kind:str}/import", status_code=HTTP_200_OK)
    async def run_import(
        self,
        request: Request,
        actor: Actor,
        kind: RosterKind,
        community_id: int,
        data: uploads.Form,
        mode: Mode = Mode.DRY_RUN,
    ) -> RosterReport:
        """Check an .xlsx roster (mode=dry_run, the default: every bad row, nothing written),
        import it all (mode=all: nothing when any row is bad) or only its good rows
        (mode=valid_only). Importing the same file twice changes nothing."""
        lang = messages.language(request.headers.get("accept-language"))
        return await service.run_import(
            actor=actor,
            kind=kind,
            community_id=community_id,
            content=await uploads.one_file(data).read(),
            mode=mode,
            lang=lang,
        )
