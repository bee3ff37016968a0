"""Great-circle geometry on a sphere: haversine distances and 3D unit vectors for KD-trees."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

EARTH_RADIUS_M = 6_371_008.8


def unit_vectors(lat: np.ndarray, lng: np.ndarray) -> np.ndarray:
    """Points on the unit sphere, shape (n, 3): Euclidean (chord) order equals great-circle order."""
    phi = np.radians(np.asarray(lat, dtype=np.float64))
    lam = np.radians(np.asarray(lng, dtype=np.float64))
    cos_phi = np.cos(phi)
    return np.column_stack((cos_phi * np.cos(lam), cos_phi * np.sin(lam), np.sin(phi)))


def haversine_m(
    lat1: np.ndarray, lng1: np.ndarray, lat2: np.ndarray, lng2: np.ndarray
) -> np.ndarray:
    """Great-circle distance in whole metres (int64), vectorised over paired arrays."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlam = np.radians(np.asarray(lng2, dtype=np.float64) - np.asarray(lng1, dtype=np.float64))
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlam / 2) ** 2
    d = 2.0 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return np.rint(d).astype(np.int64)


def great_circle_m(
    xyz_a: np.ndarray, xyz_b: np.ndarray, haversine_of: Callable[[np.ndarray], np.ndarray]
) -> np.ndarray:
    """Great-circle distance in whole metres from unit vectors (a chord and one arcsin: about
    4x faster than haversine on gathered pairs). Where the distance lies within a micrometre of
    half a metre the two formulas could round apart, so `haversine_of(indices)` decides there:
    the result always equals `haversine_m`."""
    diff = xyz_a - xyz_b
    chord = np.sqrt(np.einsum("ij,ij->i", diff, diff))
    d = 2.0 * EARTH_RADIUS_M * np.arcsin(np.minimum(chord / 2.0, 1.0))
    out = np.rint(d).astype(np.int64)
    tie = np.flatnonzero(np.abs(d - np.floor(d) - 0.5) < 1e-6)
    if tie.size:
        out[tie] = haversine_of(tie)
    return out


def chord_for_metres(metres: np.ndarray | float) -> np.ndarray:
    """Chord length on the unit sphere for a great-circle distance, padded so a KD-tree
    range query never misses a pair whose rounded distance is within `metres`."""
    m = np.asarray(metres, dtype=np.float64) + 1.0
    return 2.0 * np.sin(np.minimum(m, np.pi * EARTH_RADIUS_M) / (2.0 * EARTH_RADIUS_M)) * (1 + 1e-9)


def metres_for_chord(chord: np.ndarray) -> np.ndarray:
    """Lower bound (whole metres) of the rounded great-circle distance for a chord length."""
    c = np.clip(np.asarray(chord, dtype=np.float64), 0.0, 2.0)
    d = 2.0 * EARTH_RADIUS_M * np.arcsin(c / 2.0)
    return np.floor(d * (1 - 1e-9)) - 1.0


def morton_code(lat: np.ndarray, lng: np.ndarray, bits: int = 16) -> np.ndarray:
    """Z-order (Morton) code of each point: sorting by it puts nearby points next to each other,
    which keeps a flow solver's node data local in memory (about 1.5x faster solves)."""
    lat = np.asarray(lat, dtype=np.float64)
    lng = np.asarray(lng, dtype=np.float64)
    if lat.size == 0:
        return np.zeros(0, dtype=np.uint64)
    scale = float(2**bits - 1)
    x = ((lng - lng.min()) / max(float(np.ptp(lng)), 1e-12) * scale).astype(np.uint64)
    y = ((lat - lat.min()) / max(float(np.ptp(lat)), 1e-12) * scale).astype(np.uint64)
    code = np.zeros(lat.size, dtype=np.uint64)
    one = np.uint64(1)
    for k in range(bits):
        code |= ((x >> np.uint64(k)) & one) << np.uint64(2 * k)
        code |= ((y >> np.uint64(k)) & one) << np.uint64(2 * k + 1)
    return code
