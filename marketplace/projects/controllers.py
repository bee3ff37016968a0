"""机会清单 project endpoints, clusters of wishes, and coordinator assignment and confirmation."""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from marketplace.accounts.rules import Actor
from marketplace.projects import clusters, service
from marketplace.projects.schemas import (
    AssignInput,
    ClusterRead,
    ConfirmServiceInput,
    EvaluateInput,
    FromClusterInput,
    ProjectCreate,
    ProjectRead,
)
from marketplace.projects.tables import Project
from marketplace.settings import Settings
from marketplace.tasks.schemas import TaskRead


class ProjectController(Controller):
    path = "/projects"
    tags = ["projects 机会清单"]

    @post("/", status_code=HTTP_201_CREATED)
    async def create(self, actor: Actor, data: ProjectCreate, settings: Settings) -> ProjectRead:
        """Draft a project with its slots (coordinators)."""
        return await service.create(actor=actor, data=data, settings=settings)

    @get("/")
    async def list_projects(self, actor: Actor, status: str | None = None) -> list[ProjectRead]:
        return await service.list_projects(actor=actor, status=status)

    @get("/clusters")
    async def clusters(self, actor: Actor, settings: Settings) -> list[ClusterRead]:
        """从解决一件事到解决一类事: recurring wishes of one kind in my communities."""
        return await clusters.find(actor=actor, settings=settings)

    @post("/from-cluster", status_code=HTTP_201_CREATED)
    async def from_cluster(
        self, actor: Actor, data: FromClusterInput, settings: Settings
    ) -> ProjectRead:
        """Turn a cluster of wishes into a draft project linked to them, in one action."""
        return await clusters.to_project(actor=actor, data=data, settings=settings)

    @get("/{project_id:int}")
    async def get_one(self, actor: Actor, project_id: int) -> ProjectRead:
        row, _ = await service.visible(actor, project_id)
        return await service.read(row)

    @post("/{project_id:int}/publish", status_code=HTTP_200_OK)
    async def publish(self, actor: Actor, project_id: int) -> ProjectRead:
        """Start recruiting: the slots become tasks in the feed."""
        return await service.publish(actor=actor, project_id=project_id)

    @post("/{project_id:int}/start", status_code=HTTP_200_OK)
    async def start(self, actor: Actor, project_id: int) -> ProjectRead:
        return await service.advance(actor=actor, project_id=project_id, action="start")

    @post("/{project_id:int}/complete", status_code=HTTP_200_OK)
    async def complete(self, actor: Actor, project_id: int) -> ProjectRead:
        return await service.advance(actor=actor, project_id=project_id, action="complete")

    @post("/{project_id:int}/evaluate", status_code=HTTP_200_OK)
    async def evaluate(self, actor: Actor, project_id: int, data: EvaluateInput) -> ProjectRead:
        values = {Project.rating: data.rating, Project.evaluation: data.evaluation}
        return await service.advance(
            actor=actor, project_id=project_id, action="evaluate", values=values
        )

    @post("/{project_id:int}/announce", status_code=HTTP_200_OK)
    async def announce(self, actor: Actor, project_id: int) -> ProjectRead:
        return await service.announce(actor=actor, project_id=project_id)

    @post("/{project_id:int}/slots/{slot_id:int}/assign", status_code=HTTP_200_OK)
    async def assign(
        self, actor: Actor, project_id: int, slot_id: int, data: AssignInput
    ) -> TaskRead:
        """The coordinator assigns one open task of the slot to a volunteer (or a partner's member)."""
        return await clusters.assign(actor=actor, project_id=project_id, slot_id=slot_id, data=data)

    @post("/{project_id:int}/confirm-service", status_code=HTTP_200_OK)
    async def confirm_service(
        self, actor: Actor, project_id: int, data: ConfirmServiceInput, settings: Settings
    ) -> dict:
        """The coordinator confirms the hours of fulfilled slot tasks (points are credited)."""
        return await clusters.confirm_service(
            actor=actor, project_id=project_id, claim_ids=data.claim_ids, settings=settings
        )
