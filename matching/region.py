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
    max_share: float,
) -> Array | None:
    """Indices (into `arcs`) of the active arcs inside the components touched by fresh arcs;
    an empty array when nothing is fresh, None when the region is too large to be worth it."""
    is_active = np.zeros(arcs.size, dtype=bool)
    is_active[active] = True
    new = fresh & is_active
    if not new.any():
        return np.zeros(0, dtype=np.int64)
    nt, nv = res.demand.size, res.cap.size
    bind = np.flatnonzero(is_active & (used | tight | new))
    graph = coo_matrix(
        (np.ones(bind.size, dtype=np.int8), (arcs.task[bind], nt + arcs.vol[bind])),
        shape=(nt + nv, nt + nv),
    )
    _, label = connected_components(graph, directed=False)
    hit = np.zeros(label.max() + 1, dtype=bool)
    hit[label[arcs.task[new]]] = True
    inside = active[hit[label[arcs.task[active]]] & hit[label[nt + arcs.vol[active]]]]
    if inside.size > max_share * active.size:
        return None
    return inside
