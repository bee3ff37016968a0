"""派单 dispatch: ask for a matching run, read its proposal, commit or discard it; volunteers
accept or decline; coordinators see and release stale claims."""

from __future__ import annotations

from datetime import UTC, datetime

from marketplace.accounts.rules import Actor, Role
from marketplace.audit import service as audit
from marketplace.db import after_commit, atomic
from marketplace.dispatch import rules, summary, svg
from marketplace.dispatch.executors import Executor
from marketplace.dispatch.rules import RunState
from marketplace.dispatch.schemas import (
    AssignmentRead,
    CommitRead,
    ProposalRead,
    RunCreate,
    RunRead,
    UnservedRead,
)
from marketplace.dispatch.tables import MatchingRun, ProposedAssignment, UnservedTask
from marketplace.errors import Conflict, NotFound
from marketplace.notifications import events as notices
from marketplace.notifications.service import Publisher
from marketplace.org import service as org
from marketplace.settings import Settings
from marketplace.tasks import service as tasks


async def _may_run(actor: Actor, kind: str, scope_id: int) -> bool:
    if kind == "community":
        return await org.coordinates_community(actor, scope_id)
    return any(s.sub_district_id == scope_id for s in actor.scopes(Role.COORDINATOR, Role.ADMIN))


def _read(row: dict) -> RunRead:
    return RunRead(
        id=row["id"],
        scope_kind=row["scope_kind"],
        scope_id=row["scope_id"],
        state=row["state"],
        stage=row["stage"],
        progress=row["progress"],
        attempts=row["attempts"],
        error=row["error"],
        options=row["options"],
        summary=row["summary"],
        baseline=row["baseline"],
        timings=row["timings"],
        created_at=row["created_at"],
        finished_at=row["finished_at"],
    )


async def _load(run_id: int) -> dict:
    row = await MatchingRun.select().where(MatchingRun.id == run_id).output(load_json=True).first()
    if row is None:
        raise NotFound("No such matching run.", code="run_not_found")
    return row


async def visible_run(actor: Actor, run_id: int) -> dict:
    """The run, for coordinators of its scope; 404 for everyone else."""
    row = await _load(run_id)
    if not await _may_run(actor, row["scope_kind"], row["scope_id"]):
        raise NotFound("No such matching run.", code="run_not_found")
    return row


async def request_run(*, actor: Actor, data: RunCreate, executor: Executor) -> RunRead:
    """Queue a matching run; one at a time per scope (a second is a 409 naming the first)."""
    if not await _may_run(actor, data.scope_kind, data.scope_id):
        raise NotFound(
            f"No such {data.scope_kind.replace('_', '-')}.",
            code="run_scope_not_found",
            field="scope_id",
        )
    key = rules.scope_key(data.scope_kind, data.scope_id)
    busy = (
        await MatchingRun.select(MatchingRun.id, MatchingRun.state)
        .where(MatchingRun.active_scope == key)
        .first()
    )
    if busy:
        raise Conflict(
            f"Matching run {busy['id']} for this scope is still {busy['state']}; wait for it.",
            code="run_busy",
            run_id=busy["id"],
            state=busy["state"],
        )
    options = {
        "fairness": data.fairness,
        "continuity": data.continuity,
        "time_limit_s": data.time_limit_s,
    }
    async with atomic():
        run = MatchingRun(
            scope_kind=data.scope_kind,
            scope_id=data.scope_id,
            active_scope=key,
            requested_by=actor.person_id,
            options=options,
            state=RunState.QUEUED.value,
            created_at=datetime.now(UTC),
        )
        await run.save()
        await audit.record(
            actor_id=actor.person_id,
            action="matching_run.requested",
            object_type="matching_run",
            object_id=run.id,
            scope=key,
            **options,
        )
        run_id = run.id
        # read inside the transaction: the answer is the run as accepted (queued), not
        # whatever state the executor has moved it to by the time a later read runs
        accepted = await _load(run_id)

        async def submit() -> None:
            await executor.submit(run_id)

        after_commit(submit)
    return _read(accepted)


async def get_run(*, actor: Actor, run_id: int) -> RunRead:
    return _read(await visible_run(actor, run_id))


async def list_runs(*, actor: Actor, limit: int) -> list[RunRead]:
    rows = (
        await MatchingRun.select()
        .order_by(MatchingRun.id, ascending=False)
        .limit(500)
        .output(load_json=True)
    )
    mine = [r for r in rows if await _may_run(actor, r["scope_kind"], r["scope_id"])]
    return [_read(r) for r in mine[:limit]]


async def proposal(*, actor: Actor, run_id: int) -> ProposalRead:
    """Every proposed assignment with its explanation, and every unserved task with its reason."""
    run = await visible_run(actor, run_id)
    rows = (
        await ProposedAssignment.select(
            *ProposedAssignment.all_columns(),
            ProposedAssignment.task.title.as_alias("title"),
            ProposedAssignment.task.category.as_alias("category"),
            ProposedAssignment.task.priority.as_alias("priority"),
            ProposedAssignment.volunteer.name.as_alias("volunteer_name"),
            ProposedAssignment.next_best_volunteer.name.as_alias("next_best_name"),
        )
        .where(ProposedAssignment.run == run_id)
        .order_by(ProposedAssignment.id)
        .output(load_json=True)
    )
    unserved = (
        await UnservedTask.select(
            UnservedTask.task, UnservedTask.reason, UnservedTask.task.title.as_alias("title")
        )
        .where(UnservedTask.run == run_id)
        .order_by(UnservedTask.id)
    )
    return ProposalRead(
        run=_read(run),
        assignments=[
            AssignmentRead(
                id=r["id"],
                task_id=r["task"],
                task_title=r["title"],
                category=r["category"],
                priority=r["priority"] > 0,
                volunteer_id=r["volunteer"],
                volunteer_name=r["volunteer_name"],
                distance_m=r["distance_m"],
                load_h=r["load_h"],
                skills_matched=list(r["skills"]),
                next_best_volunteer_id=r["next_best_volunteer"],
                next_best_volunteer_name=r["next_best_name"],
                extra_cost_m=r["extra_cost_m"],
                status=r["status"],
                note=r["note"],
                continuity=r["continuity_bonus_m"] > 0,
                next_best_more_m=r["next_best_more_m"],
                next_best_reason=None
                if r["next_best_volunteer"] is None
                else summary.next_best_reason(
                    more_m=r["next_best_more_m"],
                    extra_cost_m=r["extra_cost_m"],
                    continuity=r["continuity_bonus_m"] > 0,
                ),
            )
            for r in rows
        ],
        unserved=[
            UnservedRead(task_id=u["task"], task_title=u["title"], reason=u["reason"])
            for u in unserved
        ],
    )


async def _move(run_id: int, to: RunState) -> None:
    moved = (
        await MatchingRun.update({MatchingRun.state: to.value})
        .where((MatchingRun.id == run_id) & (MatchingRun.state == RunState.PROPOSED.value))
        .returning(MatchingRun.id)
    )
    if not moved:
        raise Conflict(
            "The run changed while you were acting on it; reload it.", code="run_changed"
        )


async def commit(
    *,
    actor: Actor,
    run_id: int,
    assignment_ids: list[int] | None,
    settings: Settings,
    publisher: Publisher | None,
) -> CommitRead:
    """Dispatch all or some of the proposal in one transaction; tasks taken since are skipped.
    Assignments left unticked stay `not_selected` and can be dispatched later the same way."""
    run = await visible_run(actor, run_id)
    later = run["state"] == RunState.COMMITTED.value
    if not later:
        rules.check_proposed(run["state"], "commit")
    query = ProposedAssignment.select().where(ProposedAssignment.run == run_id)
    if later:
        query = query.where(ProposedAssignment.status == "not_selected")
    rows = await query.order_by(ProposedAssignment.id)
    if later and not rows:  # everything was dispatched (or skipped) already
        rules.check_proposed(run["state"], "commit")
    wanted = set(assignment_ids) if assignment_ids is not None else {r["id"] for r in rows}
    unknown = wanted - {r["id"] for r in rows}
    if unknown:
        raise NotFound(
            f"No such assignment in this run: {sorted(unknown)[:5]}.",
            code="run_unknown_assignments",
            field="assignment_ids",
            ids=", ".join(str(i) for i in sorted(unknown)[:5]),
        )
    committed, skipped = [], []
    deadline = rules.respond_by(datetime.now(UTC), settings.dispatch_response_hours)
    async with atomic():
        if not later:
            await _move(run_id, RunState.COMMITTED)
        for r in rows:
            status, note = await _dispatch_one(r, r["id"] in wanted, actor, deadline)
            await ProposedAssignment.update(
                {ProposedAssignment.status: status, ProposedAssignment.note: note}
            ).where(ProposedAssignment.id == r["id"])
            if status == "committed":
                committed.append(r["id"])
            elif status == "skipped":
                skipped.append({"assignment_id": r["id"], "task_id": r["task"], "reason": note})
        await _notify_dispatched([r for r in rows if r["id"] in committed], deadline, publisher)
        await audit.record(
            actor_id=actor.person_id,
            action="matching_run.committed",
            object_type="matching_run",
            object_id=run_id,
            committed=len(committed),
            skipped=len(skipped),
        )
    return CommitRead(run=_read(await _load(run_id)), committed=committed, skipped=skipped)


async def _dispatch_one(
    row: dict, selected: bool, actor: Actor, deadline: datetime
) -> tuple[str, str]:
    if not selected:
        return "not_selected", ""
    if await tasks.assign(
        task_id=row["task"],
        volunteer_id=row["volunteer"],
        via="dispatch",
        actor=actor,
        respond_by=deadline,
    ):
        return "committed", ""
    return "skipped", "claimed or cancelled since the run; not dispatched"


async def _notify_dispatched(
    rows: list[dict], deadline: datetime, publisher: Publisher | None
) -> None:
    for r in rows:
        await notices.task_dispatched(
            volunteer_id=r["volunteer"], task_id=r["task"], deadline=deadline
        )


async def discard(*, actor: Actor, run_id: int) -> RunRead:
    """Discarding a proposal changes nothing else."""
    run = await visible_run(actor, run_id)
    rules.check_proposed(run["state"], "discard")
    async with atomic():
        await _move(run_id, RunState.DISCARDED)
        await audit.record(
            actor_id=actor.person_id,
            action="matching_run.discarded",
            object_type="matching_run",
            object_id=run_id,
        )
    return _read(await _load(run_id))


async def map_data(*, actor: Actor, run_id: int) -> svg.MapData:
    """The proposal's tasks, the volunteers it sends and the scope's compounds, for its map."""
    from marketplace.accounts.tables import Person, VolunteerProfile
    from marketplace.dispatch import loading
    from marketplace.org.tables import Compound
    from marketplace.tasks.tables import Task

    run = await visible_run(actor, run_id)
    scope = await loading.resolve_scope(run["scope_kind"], run["scope_id"])
    compounds = await Compound.select().where(Compound.community.is_in(scope.communities or [-1]))
    assigned = {
        a["task"]: a["volunteer"]
        for a in await ProposedAssignment.select(
            ProposedAssignment.task, ProposedAssignment.volunteer
        ).where(ProposedAssignment.run == run_id)
    }
    unserved = await UnservedTask.select(UnservedTask.task).where(UnservedTask.run == run_id)
    task_ids = list(assigned) + [u["task"] for u in unserved]
    task_rows = await Task.select().where(Task.id.is_in(task_ids or [-1]))
    people = set(assigned.values()) or {-1}
    names = {
        p["id"]: p["name"]
        for p in await Person.select(Person.id, Person.name).where(Person.id.is_in(list(people)))
    }
    homes = {
        v["person"]: (names.get(v["person"], ""), svg.Point(v["home_lat"], v["home_lng"]))
        for v in await VolunteerProfile.select().where(VolunteerProfile.person.is_in(list(people)))
    }
    return svg.MapData(
        compounds=[(c["name"], svg.Point(c["lat"], c["lng"])) for c in compounds],
        tasks=[
            svg.TaskMark(
                svg.Point(t["lat"], t["lng"]), t["priority"] > 0, t["title"], assigned.get(t["id"])
            )
            for t in sorted(task_rows, key=lambda t: t["id"])
        ],
        volunteers=homes,
        title=str(run_id),
    )


async def map_svg(*, actor: Actor, run_id: int, lang: str) -> str:
    """The proposal drawn as a standalone SVG document with its legend (see svg.py)."""
    from marketplace.messages import render

    data = await map_data(actor=actor, run_id=run_id)
    drawing = svg.draw(data)
    drawing.title = render("map_title", lang, {"run": run_id})
    return svg.svg(drawing, [render(code, lang) for code in svg.LEGEND])
