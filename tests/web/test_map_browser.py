"""The matching proposal's map in Chromium at 375 px: many markers, no label over another, the
legend in the page's language; with LIANXIN_MAP_TILES a street map (Leaflet) loads its tiles
from a tile server (here a local one serving one tiny PNG). Screenshots go to screenshots/."""

from __future__ import annotations

import asyncio
import struct
import zlib
from contextlib import asynccontextmanager

from tests.factories import as_, make_world, wish_in_state
from tests.fixtures import settings_for
from tests.integration.test_dispatch import wait_run
from tests.integration.test_dispatch_live import served
from tests.web.test_browser import SHOTS, browser, phone, shot  # noqa: F401  (the fixture)

# every box of a pin or of a text on the map, and each pair of them that overlaps
OVERLAPS = """() => {
  const els = [...document.querySelectorAll('.mapbox .map-label, .mapbox .map-pin')]
    .filter((e) => !e.classList.contains('map-label') || e.textContent.trim());
  const box = els.map((e) => e.getBoundingClientRect());
  const bad = [];
  for (let i = 0; i < els.length; i++) for (let j = i + 1; j < els.length; j++) {
    if (els[i].contains(els[j]) || els[j].contains(els[i])) continue;
    const a = box[i], b = box[j];
    if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5)
      bad.push([els[i].textContent, els[j].textContent]);
  }
  return { labels: els.filter((e) => e.classList.contains('map-label')).length, bad };
}"""


def png() -> bytes:
    """A 1 × 1 light-grey PNG: the whole tile server's stock."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xdd\xdd\xdd")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


@asynccontextmanager
async def tile_server():
    """Answers every GET with the PNG; yields its URL template and the paths asked for."""
    asked: list[str] = []
    tile = png()

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        request = await reader.readuntil(b"\r\n\r\n")
        asked.append(request.split(b" ")[1].decode())
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nConnection: close\r\n"
            + f"Content-Length: {len(tile)}\r\n\r\n".encode()
            + tile
        )
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}/{{z}}/{{x}}/{{y}}.png", asked
    finally:
        server.close()
        await server.wait_closed()


async def closeup(page, name: str) -> None:
    """The map, its legend and the list of places alone, at the phone's scale."""
    top = await page.evaluate(
        "document.querySelector('.mapbox').getBoundingClientRect().top + scrollY"
    )
    clip = {"x": 0, "y": top, "width": 375, "height": 900}
    await page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True, clip=clip)


async def crowded_proposal(running) -> tuple:
    """A proposal with many tasks: a dozen within a few metres of each other, the rest spread
    over a kilometre, and volunteers living apart."""
    from marketplace.accounts.tables import VolunteerProfile

    world = await make_world(volunteers=5)
    for i in range(5):
        await VolunteerProfile.update(
            {VolunteerProfile.home_lat: 36.066 + 0.002 * i, VolunteerProfile.home_lng: 120.376}
        ).where(VolunteerProfile.person == world.people[f"vol{i}"])
    spots = [(36.0702 + 0.00003 * i, 120.381 + 0.00002 * i) for i in range(12)]
    spots += [(36.064 + 0.0011 * i, 120.372 + 0.0013 * (i % 4)) for i in range(12)]
    for i, (lat, lng) in enumerate(spots):
        await wish_in_state(
            running,
            world,
            "published",
            lat=lat,
            lng=lng,
            title=f"修理门锁 {i}",
            category="repairs",
            skills=["repairs"],
            priority_groups=["empty_nest"] if i % 5 == 0 else [],
            priority_consent=i % 5 == 0,
        )
    # the feed shows each task at its public point (its compound's): here, as if in many compounds
    from marketplace.tasks.tables import Task

    for task in await Task.select(Task.id, Task.lat, Task.lng):
        await Task.update(
            {Task.public_lat: round(task["lat"], 4), Task.public_lng: round(task["lng"], 4)}
        ).where(Task.id == task["id"])
    coord = await as_(running, world, "coord")
    r = await coord.post(
        "/api/v1/matching-runs", json={"scope_kind": "community", "scope_id": world.communities[0]}
    )
    run = await wait_run(coord, r.json()["id"])
    assert run["state"] == "proposed", run
    return world, run["id"]


async def test_the_proposal_map_keeps_labels_apart_and_speaks_the_page_language(browser, running):  # noqa: F811
    world, run_id = await crowded_proposal(running)
    async with served(settings_for("memory")) as base:
        coord = await phone(browser, base, world.phones["coord"])
        await coord.goto(f"/matching/{run_id}")
        found = await coord.evaluate(OVERLAPS)
        assert found["labels"] >= 8 and not found["bad"], found
        legend = await coord.inner_text(".legend")
        assert "重点群体任务" in legend and "志愿者住处" in legend
        assert not any("a" <= c.lower() <= "z" for c in legend), legend
        places = await coord.inner_text(".places")
        assert "修理门锁 0" in places and "修理门锁 11" in places  # each task listed by its number
        await shot(coord, "15-proposal-map-zh")
        await closeup(coord, "15-proposal-map-zh-closeup")
        await coord.goto("/lang/en")
        await coord.goto(f"/matching/{run_id}")
        assert "Priority-group task" in await coord.inner_text(".legend")
        assert not (await coord.evaluate(OVERLAPS))["bad"]
        await shot(coord, "16-proposal-map-en")
        await closeup(coord, "16-proposal-map-en-closeup")

        vol = await phone(browser, base, world.phones["vol0"])  # the volunteer's tasks near home
        await vol.goto("/tasks")
        found = await vol.evaluate(OVERLAPS)
        assert found["labels"] >= 5 and not found["bad"], found
        assert "+" in await vol.text_content(".mapbox svg")  # the crowded corner, one pin
        assert "地图上在" in await vol.inner_text(".cards")  # its tasks say which pin
        await closeup(vol, "18-tasks-near-me-map")


async def test_with_tiles_configured_a_street_map_loads_them(browser, running):  # noqa: F811
    world, run_id = await crowded_proposal(running)
    async with tile_server() as (template, asked):
        settings = settings_for("memory", map_tiles=(template,))
        async with served(settings) as base:
            coord = await phone(browser, base, world.phones["coord"])
            refused: list[str] = []
            coord.on(
                "console",
                lambda m: refused.append(m.text) if "Content Security" in m.text else None,
            )
            await coord.goto(f"/matching/{run_id}")
            await coord.wait_for_selector("#street-map img.leaflet-tile-loaded", timeout=15_000)
            assert asked and all(p.endswith(".png") for p in asked)
            assert await coord.locator("#street-map .map-pin").count() >= 3
            found = await coord.evaluate(OVERLAPS)
            assert not found["bad"], found
            assert not refused, refused
            await shot(coord, "17-proposal-street-map")
            await closeup(coord, "17-proposal-street-map-closeup")
            await coord.click("#street-map .leaflet-control-zoom-in")
            await coord.wait_for_timeout(600)
            assert not (await coord.evaluate(OVERLAPS))["bad"]
