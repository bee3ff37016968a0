"""派单 dispatch through the service: runs, proposals, commit, races, decline, access."""

from __future__ import annotations

import asyncio

import pytest

from tests.factories import as_, make_world, wish_in_state


async def wait_run(client, run_id: int, timeout: float = 60) -> dict:
    """Poll the run until it leaves queued/running."""
    for _ in range(int(timeout * 10)):
        run = (await client.get(f"/api/v1/matching-runs/{run_id}")).json()
        if run["state"] not in ("queued", "running"):
            return run
        await asyncio.sleep(0.1)
    raise AssertionError(f"run {run_id} still {run['state']}")


async def published(running, world, n: int, **overrides) -> list[int]:
    coord = await as_(running, world, "coord")
    task_ids = []
    for i in range(n):
        wid = await wish_in_state(
            running, world, "published", lat=36.0702 + 0.001 * i, lng=120.381, **overrides
        )
        task_ids.append((await coord.get(f"/api/v1/wishes/{wid}")).json()["task_id"])
    return task_ids


async def run_to_proposal(running, world, **options) -> dict:
    coord = await as_(running, world, "coord")
    r = await coord.post(
        "/api/v1/matching-runs",
        json={"scope_kind": "community", "scope_id": world.communities[0], **options},
    )
    assert r.status_code == 202, r.text
    assert r.json()["state"] == "queued"
    run = await wait_run(coord, r.json()["id"])
    assert run["state"] == "proposed", run
    return run


async def test_run_proposes_what_the_engine_finds(running):
    from marketplace.dispatch import loading
    from marketplace.settings import Settings
    from matching import Params, solve

    world = await make_world(volunteers=3)
    await published(running, world, 5)
    scope = await loading.resolve_scope("community", world.communities[0])
    loaded = await loading.load_problem(
        scope=scope, settings=Settings(), fairness=False, continuity=True
    )
    expected = solve(loaded.problem, Params(time_limit_s=20))

    run = await run_to_proposal(running, world)
    assert run["summary"]["objective"] == expected.objective
    assert run["summary"]["tasks_served"] == len(set(expected.task.tolist())) == 5
    assert run["summary"]["status"] == "optimal" and run["summary"]["gap"] == 0
    assert run["baseline"]["tasks_served"] <= run["summary"]["tasks_served"]
    assert set(run["timings"]) >= {"load_s", "solve_s", "save_s"}
    coord = await as_(running, world, "coord")
    proposal = (await coord.get(f"/api/v1/matching-runs/{run['id']}/proposal")).json()
    assert len(proposal["assignments"]) == 5
    first = proposal["assignments"][0]
    assert first["skills_matched"] == ["tutoring"] and first["distance_m"] >= 0
    assert first["next_best_volunteer_id"] is not None and first["extra_cost_m"] is not None
    svg = await coord.get(f"/api/v1/matching-runs/{run['id']}/map.svg")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert "重点群体任务" in svg.text and "志愿者住处" in svg.text  # the legend, Chinese first
    assert svg.text.count('class="map-pin ') >= 2 + 4  # tasks' and homes' places, the legend's
    english = await coord.get(
        f"/api/v1/matching-runs/{run['id']}/map.svg", headers={"accept-language": "en"}
    )
    assert "Dispatch line" in english.text and "志愿者" not in english.text


async def test_commit_skips_a_task_claimed_since_and_notifies(running):
    world = await make_world(volunteers=2)
    tasks = await published(running, world, 3)
    run = await run_to_proposal(running, world)
    coord = await as_(running, world, "coord")
    proposal = (await coord.get(f"/api/v1/matching-runs/{run['id']}/proposal")).json()
    taken = proposal["assignments"][0]["task_id"]
    claimer = (
        "vol1" if proposal["assignments"][0]["volunteer_id"] == world.people["vol0"] else "vol0"
    )
    assert (
        await (await as_(running, world, claimer)).post(f"/api/v1/tasks/{taken}/claim")
    ).status_code == 200

    r = await coord.post(f"/api/v1/matching-runs/{run['id']}/commit")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["run"]["state"] == "committed"
    assert [s["task_id"] for s in body["skipped"]] == [taken]
    assert len(body["committed"]) == len(tasks) - 1
    for a in proposal["assignments"][1:]:
        key = "vol0" if a["volunteer_id"] == world.people["vol0"] else "vol1"
        vol = await as_(running, world, key)
        task = (await vol.get(f"/api/v1/tasks/{a['task_id']}")).json()
        assert task["mine"] is True and task["contact"]["address"].endswith("3单元502")
        inbox = (await vol.get("/api/v1/me/notifications")).json()
        assert any(n["kind"] == "dispatch.received" for n in inbox)
    r = await coord.post(f"/api/v1/matching-runs/{run['id']}/commit")
    assert r.status_code == 409 and r.json()["code"] == "run_not_proposed"


async def test_claim_racing_a_commit_leaves_one_assignee(running):
    from marketplace.tasks.tables import Claim

    world = await make_world(volunteers=2)
    [task_id] = await published(running, world, 1)
    run = await run_to_proposal(running, world)
    coord = await as_(running, world, "coord")
    proposal = (await coord.get(f"/api/v1/matching-runs/{run['id']}/proposal")).json()
    proposed_to = proposal["assignments"][0]["volunteer_id"]
    racer = await as_(running, world, "vol1" if proposed_to == world.people["vol0"] else "vol0")
    commit, claim = await asyncio.gather(
        coord.post(f"/api/v1/matching-runs/{run['id']}/commit"),
        racer.post(f"/api/v1/tasks/{task_id}/claim"),
    )
    assert commit.status_code == 200 and claim.status_code in (200, 409)
    active = await Claim.select().where((Claim.task == task_id) & Claim.active_task.is_not_null())
    assert len(active) == 1
    dispatched = len(commit.json()["committed"]) == 1
    assert dispatched == (claim.status_code == 409)


async def test_decline_forbids_the_pair_in_the_next_run(running):
    world = await make_world(volunteers=2)
    [task_id] = await published(running, world, 1)
    run = await run_to_proposal(running, world)
    coord = await as_(running, world, "coord")
    first = (await coord.get(f"/api/v1/matching-runs/{run['id']}/proposal")).json()["assignments"][
        0
    ]
    await coord.post(f"/api/v1/matching-runs/{run['id']}/commit")
    key = "vol0" if first["volunteer_id"] == world.people["vol0"] else "vol1"
    vol = await as_(running, world, key)
    r = await vol.post(f"/api/v1/tasks/{task_id}/decline", json={"reason": "这周出差"})
    assert r.status_code == 200 and r.json()["status"] == "open"
    assert (await vol.post(f"/api/v1/tasks/{task_id}/accept")).status_code == 409

    again = await run_to_proposal(running, world)
    second = (await coord.get(f"/api/v1/matching-runs/{again['id']}/proposal")).json()[
        "assignments"
    ]
    assert [a["volunteer_id"] for a in second] == [
        world.people["vol1" if key == "vol0" else "vol0"]
    ]


async def test_accept_then_fulfil(running):
    world = await make_world(volunteers=1)
    [task_id] = await published(running, world, 1)
    run = await run_to_proposal(running, world)
    coord = await as_(running, world, "coord")
    await coord.post(f"/api/v1/matching-runs/{run['id']}/commit")
    vol = await as_(running, world, "vol0")
    mine = (await vol.get("/api/v1/me/claims", params={"active": True})).json()
    assert mine[0]["via"] == "dispatch"
    assert (await vol.post(f"/api/v1/tasks/{task_id}/accept")).status_code == 200
    assert (
        await vol.post(f"/api/v1/tasks/{task_id}/fulfil", json={"hours": 1.5})
    ).status_code == 200


async def test_discard_changes_nothing(running):
    from marketplace.tasks.tables import Claim

    world = await make_world()
    await published(running, world, 2)
    run = await run_to_proposal(running, world)
    coord = await as_(running, world, "coord")
    r = await coord.post(f"/api/v1/matching-runs/{run['id']}/discard")
    assert r.status_code == 200 and r.json()["state"] == "discarded"
    assert await Claim.count() == 0
    from marketplace.audit.tables import AuditEntry

    actions = [a["action"] for a in await AuditEntry.select(AuditEntry.action)]
    assert "matching_run.requested" in actions and "matching_run.discarded" in actions


async def test_one_run_at_a_time_per_scope(running):
    from datetime import UTC, datetime

    from marketplace.dispatch.tables import MatchingRun

    world = await make_world()
    busy = MatchingRun(
        scope_kind="community",
        scope_id=world.communities[0],
        active_scope=f"community:{world.communities[0]}",
        requested_by=world.people["coord"],
        state="running",
        created_at=datetime.now(UTC),
        heartbeat_at=datetime.now(UTC),
    )
    await busy.save()
    coord = await as_(running, world, "coord")
    r = await coord.post(
        "/api/v1/matching-runs", json={"scope_kind": "community", "scope_id": world.communities[0]}
    )
    assert r.status_code == 409 and r.json()["code"] == "run_busy"
    assert f"第 {busy.id} 次匹配" in r.json()["message"]


@pytest.mark.parametrize("endpoint", ["", "/proposal", "/map.svg", "/events"])
async def test_other_communities_coordinator_gets_404(running, endpoint):
    world = await make_world()
    await published(running, world, 1)
    run = await run_to_proposal(running, world)
    other = await as_(running, world, "coord2")
    assert (await other.get(f"/api/v1/matching-runs/{run['id']}{endpoint}")).status_code == 404
    vol = await as_(running, world, "vol0")
    assert (await vol.get(f"/api/v1/matching-runs/{run['id']}{endpoint}")).status_code == 404
    r = await other.post(f"/api/v1/matching-runs/{run['id']}/commit")
    assert r.status_code == 404
    r = await other.post(
        "/api/v1/matching-runs", json={"scope_kind": "community", "scope_id": world.communities[0]}
    )
    assert r.status_code == 404
    subcoord = await as_(running, world, "subcoord")
    assert (await subcoord.get(f"/api/v1/matching-runs/{run['id']}{endpoint}")).status_code == 200


async def test_finished_run_events_replay_the_state(running):
    world = await make_world()
    await published(running, world, 1)
    run = await run_to_proposal(running, world)
    coord = await as_(running, world, "coord")
    r = await coord.get(f"/api/v1/matching-runs/{run['id']}/events")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
    assert "event: progress" in r.text and '"state":"proposed"' in r.text


@pytest.mark.parametrize("helper", ["vol0", "vol1"])  # both: a tie-break cannot pass it by luck
async def test_continuity_prefers_the_volunteer_who_helped_before(running, helper):
    world = await make_world(volunteers=2)
    await wish_in_state(running, world, "fulfilled", claimer=helper)
    [task_id] = await published(running, world, 1)
    run = await run_to_proposal(running, world, continuity=True)
    coord = await as_(running, world, "coord")
    [a] = (await coord.get(f"/api/v1/matching-runs/{run['id']}/proposal")).json()["assignments"]
    assert a["task_id"] == task_id and a["volunteer_id"] == world.people[helper]


@pytest.mark.parametrize("moved", ["helper", "other"])
async def test_the_summary_says_familiar_or_how_much_farther_never_a_negative_distance(
    running, moved
):
    """The helper (vol0) is kept by continuity. When the other volunteer lives nearer, the
    summary says 次优 …，但不是老熟人 (the solver's cost difference, bonus included, is no
    distance); when the other lives farther, it says by how many metres, in plain metres."""
    import re

    from marketplace.accounts.tables import VolunteerProfile
    from tests.web.helpers import page_login

    world = await make_world(volunteers=2)
    await wish_in_state(running, world, "fulfilled", claimer="vol0")
    [task_id] = await published(running, world, 1)
    away = world.people["vol0" if moved == "helper" else "vol1"]
    home = await VolunteerProfile.select().where(VolunteerProfile.person == away).first()
    await VolunteerProfile.update(  # about 220 m farther
        {VolunteerProfile.home_lat: home["home_lat"] + 0.002}
    ).where(VolunteerProfile.person == away)
    run = await run_to_proposal(running, world, continuity=True)
    coord = await as_(running, world, "coord")
    [a] = (await coord.get(f"/api/v1/matching-runs/{run['id']}/proposal")).json()["assignments"]
    assert a["volunteer_id"] == world.people["vol0"] and a["continuity"] is True
    assert a["next_best_volunteer_id"] == world.people["vol1"]
    page = running.client()
    await page_login(page, world.phones["coord"])
    html = (await page.get(f"/matching/{run['id']}")).text
    other = a["next_best_volunteer_name"]
    if moved == "helper":
        assert a["next_best_more_m"] < 0 < a["extra_cost_m"]  # nearer, yet the cost says more
        assert a["next_best_reason"] == "dispatch_next_best_familiar"
        assert f"次优 {other}，但不是老熟人" in html and "多 " not in html
    else:
        assert 0 < a["next_best_more_m"] < a["extra_cost_m"]  # plain metres, not the cost
        assert a["next_best_reason"] == "dispatch_next_best_more"
        assert f"次优 {other}：多 {a['next_best_more_m']} 米" in html
    assert "· 老熟人" in html and not re.search(r"多 -\d", html)
