"""The maps' pure parts: places never closer than a pin, names never over anything, tile origins
for the CSP only when tiles are configured."""

from __future__ import annotations

import itertools
import math
import random

import pytest
from litestar.datastructures import MutableScopeHeaders

from marketplace import maps
from marketplace.security.middleware import harden
from marketplace.settings import Settings


def _crowd(n: int, seed: int) -> list[maps.Marker]:
    rng = random.Random(seed)
    return [
        maps.Marker(36.07 + rng.gauss(0, 0.002), 120.38 + rng.gauss(0, 0.002), "task")
        for _ in range(n)
    ]


@pytest.mark.parametrize("seed", range(5))
def test_places_keep_their_pins_apart_and_hold_every_marker(seed):
    markers = _crowd(200, seed)
    project = maps.projector([(m.lat, m.lng) for m in markers], 360, 360, 20)
    found = maps.places(markers, project)
    assert sum(len(p.markers) for p in found) == len(markers)
    for a, b in itertools.combinations(found, 2):
        assert math.hypot(a.x - b.x, a.y - b.y) >= maps.PIN_GAP > 2 * maps.PIN_RADIUS
    for p in found:  # each marker sits within a pin's reach of its place
        assert all(math.dist((p.x, p.y), project(m.lat, m.lng)) < maps.PIN_GAP for m in p.markers)


def test_names_go_where_nothing_is_or_are_left_out():
    markers = _crowd(60, 7)
    project = maps.projector([(m.lat, m.lng) for m in markers], 360, 360, 20)
    found = maps.places(markers, project)
    taken = [maps.pin_box(p) for p in found]
    pins = len(taken)
    names = [(f"海韵小区{i}", *project(m.lat, m.lng)) for i, m in enumerate(markers[:30])]
    placed = maps.place_names(names, taken, 360, 360)
    assert 0 < len(placed) < len(names)  # crowded: some fit, some are left to the list
    names_boxes = taken[pins:]  # place_names adds the box of each name it sets
    assert len(names_boxes) == len(placed)
    for name in names_boxes:
        assert not any(maps._overlaps(name, other) for other in taken if other is not name)
        assert name[0] >= 0 and name[2] <= 360 and name[1] >= 0 and name[3] <= 360


def test_tile_origins_one_per_subdomain():
    template = "https://t{s}.tianditu.gov.cn/vec_w/wmts?TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=K"
    assert maps.tile_sources([template], "01") == (
        "https://t0.tianditu.gov.cn",
        "https://t1.tianditu.gov.cn",
    )
    assert maps.tile_sources(["http://127.0.0.1:9/{z}/{x}/{y}.png"], "abc") == (
        "http://127.0.0.1:9",
    )
    with pytest.raises(ValueError):
        maps.tile_sources(["/tiles/{z}/{x}/{y}.png"], "abc")


def test_the_csp_lets_tiles_in_only_when_configured():
    plain = MutableScopeHeaders()
    harden(plain, "/matching/1", Settings().map_tile_sources())
    assert "img-src 'self' data:;" in plain["Content-Security-Policy"]
    tiles = Settings(map_tiles=("https://t{s}.tianditu.gov.cn/{z}/{x}/{y}",), map_subdomains="01")
    street = MutableScopeHeaders()
    harden(street, "/matching/1", tiles.map_tile_sources())
    csp = street["Content-Security-Policy"]
    assert "img-src 'self' data: https://t0.tianditu.gov.cn https://t1.tianditu.gov.cn;" in csp
    assert "script-src 'self';" in csp and "connect-src 'self';" in csp  # nothing else widened
