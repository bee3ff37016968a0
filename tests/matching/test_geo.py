"""Geometry: the fast chord distance always agrees with haversine in whole metres."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.geo import EARTH_RADIUS_M, great_circle_m, haversine_m, morton_code, unit_vectors


def _both(lat1, lng1, lat2, lng2):  # noqa: ANN001, ANN202
    fast = great_circle_m(
        unit_vectors(lat1, lng1),
        unit_vectors(lat2, lng2),
        lambda i: haversine_m(lat1[i], lng1[i], lat2[i], lng2[i]),
    )
    return fast, haversine_m(lat1, lng1, lat2, lng2)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10**6), span=st.sampled_from([1e-4, 0.05, 1.0, 90.0]))
def test_chord_distance_equals_haversine(seed: int, span: float) -> None:
    rng = np.random.default_rng(seed)
    lat1 = rng.uniform(-60, 60, 20_000)
    lng1 = rng.uniform(-180, 180, 20_000)
    lat2 = np.clip(lat1 + rng.uniform(-span, span, lat1.size), -89.9, 89.9)
    lng2 = lng1 + rng.uniform(-span, span, lat1.size)
    fast, slow = _both(lat1, lng1, lat2, lng2)
    assert (fast == slow).all()


def test_half_metre_ties_are_decided_by_haversine() -> None:
    # points due north of each other at exactly k + 0.5 metres of arc
    k = np.arange(1, 2001, dtype=np.float64)
    dlat = np.degrees((k + 0.5) / EARTH_RADIUS_M)
    lat1, lng1 = np.full(k.size, 31.2), np.full(k.size, 121.4)
    fast, slow = _both(lat1, lng1, lat1 + dlat, lng1)
    assert (fast == slow).all()


def test_morton_order_keeps_neighbours_close() -> None:
    rng = np.random.default_rng(1)
    lat, lng = rng.uniform(31.0, 31.3, 5000), rng.uniform(121.2, 121.5, 5000)
    order = np.argsort(morton_code(lat, lng))
    step = haversine_m(lat[order][:-1], lng[order][:-1], lat[order][1:], lng[order][1:])
    shuffled = haversine_m(lat[:-1], lng[:-1], lat[1:], lng[1:])
    assert np.median(step) < np.median(shuffled) / 5
