"""The organisation tree and the configurable lists (categories, priority groups); managing the
tree (sub-districts, communities, compounds, buildings) and importing it from .xlsx."""

from __future__ import annotations

from litestar import Controller, Response, get, patch, post
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from marketplace.accounts.rules import Actor
from marketplace.core import uploads, vocabulary
from marketplace.org import manage, places_xlsx, service
from marketplace.org.schemas import PlaceCreate, PlaceRead, PlacesImportRead, PlaceUpdate
from marketplace.settings import Settings
from marketplace.wishes.rules import PriorityGroup

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class OrgController(Controller):
    path = "/org"
    tags = ["organisation"]

    @get("/tree", exclude_from_auth=True)
    async def tree(self) -> list[dict]:
        """Sub-districts → communities → compounds → grids and buildings, with points."""
        return await service.tree()

    @get("/config", exclude_from_auth=True)
    async def config(self, settings: Settings) -> dict:
        """Wish categories, priority groups and negative-list item codes; `vocabulary` gives
        every kind of code (categories, skills, duty types, responsible levels, priority groups,
        statuses...) with its zh-CN and en labels."""
        return {
            "categories": list(settings.categories),
            "priority_groups": [g.value for g in PriorityGroup],
            "negative_list": sorted(settings.negative_list),
            "vocabulary": vocabulary.served(settings.categories, settings.duty_types),
        }

    @post("/sub-districts", status_code=HTTP_201_CREATED)
    async def add_sub_district(self, actor: Actor, data: PlaceCreate) -> PlaceRead:
        """An administrator creates a sub-district 街道."""
        return await manage.create_place(actor=actor, level="sub_district", data=data)

    @post("/communities", status_code=HTTP_201_CREATED)
    async def add_community(self, actor: Actor, data: PlaceCreate) -> PlaceRead:
        """A community 社区 in a sub-district (parent_id): administrators, the 街道's coordinators."""
        return await manage.create_place(actor=actor, level="community", data=data)

    @post("/compounds", status_code=HTTP_201_CREATED)
    async def add_compound(self, actor: Actor, data: PlaceCreate) -> PlaceRead:
        """A compound 小区 in a community (parent_id), with its point: the community's coordinators."""
        return await manage.create_place(actor=actor, level="compound", data=data)

    @post("/buildings", status_code=HTTP_201_CREATED)
    async def add_building(self, actor: Actor, data: PlaceCreate) -> PlaceRead:
        """A building 楼栋 in a compound (parent_id), with its point."""
        return await manage.create_place(actor=actor, level="building", data=data)

    @patch("/compounds/{place_id:int}")
    async def edit_compound(self, actor: Actor, place_id: int, data: PlaceUpdate) -> PlaceRead:
        return await manage.update_place(
            actor=actor, level="compound", place_id=place_id, data=data
        )

    @patch("/buildings/{place_id:int}")
    async def edit_building(self, actor: Actor, place_id: int, data: PlaceUpdate) -> PlaceRead:
        return await manage.update_place(
            actor=actor, level="building", place_id=place_id, data=data
        )

    @get("/places-template", media_type=XLSX)
    async def places_template(self, actor: Actor) -> Response[bytes]:
        """The .xlsx template for importing compounds and buildings (Chinese headers, one example)."""
        return Response(
            places_xlsx.template(),
            media_type=XLSX,
            headers={"Content-Disposition": 'attachment; filename="places-template.xlsx"'},
        )

    @post("/communities/{community_id:int}/places-import", status_code=HTTP_200_OK)
    async def import_places(
        self,
        actor: Actor,
        community_id: int,
        data: uploads.Form,
        dry_run: bool = True,
    ) -> PlacesImportRead:
        """Compounds and buildings of a community from .xlsx; a dry run changes nothing."""
        content = await uploads.one_file(data).read()
        return await places_xlsx.import_places(
            actor=actor, community_id=community_id, content=content, dry_run=dry_run
        )
