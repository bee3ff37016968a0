"""The part of a flow that new arcs can disturb: connected pieces of chosen and near-tight arcs.

When a round activates a few arcs, an improvement must run through them; it is found by
re-solving only the connected components (of the chosen, near-tight and new arcs) that contain
them, and keeping the flow elsewhere. Whether that was enough is decided afterwards by the dual
prices of the whole active set (duals.prices), so this choice affects speed, never exactness.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from matching.candidates import ArcSet
from matching.flow import Residual

Array = np.ndarray


def touched_region(
    res: Residual,
    arcs: ArcSet,
    active: Array,
    used: Array,
    fresh: Array,
    tight: Array,
    hops: int | None,
    max_share: float,
) -> Array | None:
    """Indices (into `arcs`) of the active arcs among the nodes within `hops` steps (None: the
    whole connected component) of a fresh arc, along chosen, tight and fresh arcs; an empty
    array when nothing is fresh, None when the region is too large to be worth it."""
    is_active = np.zeros(arcs.size, dtype=bool)
    is_active[active] = True
    new = fresh & is_active
    if not new.any():
        return np.zeros(0, dtype=np.int64)
    nt, nv = res.demand.size, res.cap.size
    bind = np.flatnonzero(is_active & (used | tight | new))
    rows, cols = arcs.task[bind], nt + arcs.vol[bind]
    graph = coo_matrix(
        (np.ones(2 * bind.size, dtype=np.int8), (np.r_[rows, cols], np.r_[cols, rows])),
        shape=(nt + nv, nt + nv),
    ).tocsr()
    inside = _within(graph, np.r_[arcs.task[new], nt + arcs.vol[new]], hops)
    region = active[inside[arcs.task[active]] & inside[nt + arcs.vol[active]]]
    return None if region.size > max_share * active.size else region


def _within(graph, seeds: Array, hops: int | None) -> Array:  # noqa: ANN001
    """Nodes within `hops` steps of the seeds (None: their connected components)."""
    n = graph.shape[0]
    if hops is None:
        _, label = connected_components(graph, directed=False)
        hit = np.zeros(label.max() + 1, dtype=bool)
        hit[label[seeds]] = True
        return hit[label]
    mask = np.zeros(n, dtype=bool)
    mask[seeds] = True
    for _ in range(hops):
        grown = mask | (graph @ mask.astype(np.int8) > 0)
        if grown.sum() == mask.sum():
            break
        mask = grown
    return mask
