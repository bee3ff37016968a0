"""An SVG map of a matching proposal (pure: points in, markup out).

Shapes carry the meaning and colour only repeats it (no information by colour alone):
priority tasks are triangles, other tasks circles, volunteers squares, unserved tasks crossed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT, PAD = 800, 600, 30


@dataclass(frozen=True)
class Point:
    lat: float
    lng: float


@dataclass(frozen=True)
class MapData:
    compounds: Sequence[tuple[str, Point]]
    tasks: Sequence[tuple[Point, bool, bool]]  # point, priority, served
    volunteers: Sequence[Point]
    lines: Sequence[tuple[Point, Point]]  # volunteer → task
    title: str


def _projector(points: Sequence[Point]):
    lats = [p.lat for p in points] or [0.0]
    lngs = [p.lng for p in points] or [0.0]
    k = math.cos(math.radians(sum(lats) / len(lats)))
    x0, x1 = min(lngs) * k, max(lngs) * k
    y0, y1 = min(lats), max(lats)
    scale = min((WIDTH - 2 * PAD) / max(x1 - x0, 1e-6), (HEIGHT - 2 * PAD) / max(y1 - y0, 1e-6))

    def project(p: Point) -> tuple[float, float]:
        return (
            round(PAD + (p.lng * k - x0) * scale, 1),
            round(HEIGHT - PAD - (p.lat - y0) * scale, 1),
        )

    return project


def _task(x: float, y: float, priority: bool, served: bool) -> str:
    fill = "#c0392b" if priority else "#1f6fb2"
    if priority:
        shape = f'<polygon points="{x},{y - 7} {x - 6},{y + 5} {x + 6},{y + 5}" fill="{fill}"/>'
    else:
        shape = f'<circle cx="{x}" cy="{y}" r="5" fill="{fill}"/>'
    if served:
        return shape
    cross = f'<path d="M{x - 8},{y - 8}L{x + 8},{y + 8}M{x - 8},{y + 8}L{x + 8},{y - 8}" stroke="#000" stroke-width="2"/>'
    return shape + cross


def render(data: MapData) -> str:
    """The whole map as one standalone SVG document."""
    everything = [p for _, p in data.compounds] + [t[0] for t in data.tasks] + list(data.volunteers)
    project = _projector(everything)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT + 60}" role="img" '
        f'aria-label="{escape(data.title)}" font-family="sans-serif">',
        f"<title>{escape(data.title)}</title>",
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#f7f7f2"/>',
    ]
    for name, p in data.compounds:
        x, y = project(p)
        parts.append(
            f'<circle cx="{x}" cy="{y}" r="22" fill="none" stroke="#999" stroke-dasharray="4 3"/>'
        )
        parts.append(
            f'<text x="{x}" y="{y - 26}" font-size="12" text-anchor="middle" fill="#555">{escape(name)}</text>'
        )
    for a, b in data.lines:
        (x1, y1), (x2, y2) = project(a), project(b)
        parts.append(
            f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#2e7d32" stroke-width="1.5"/>'
        )
    for p in data.volunteers:
        x, y = project(p)
        parts.append(f'<rect x="{x - 4}" y="{y - 4}" width="8" height="8" fill="#2e7d32"/>')
    for p, priority, served in data.tasks:
        parts.append(_task(*project(p), priority, served))
    parts.append(_legend())
    parts.append("</svg>")
    return "".join(parts)


def _legend() -> str:
    y = HEIGHT + 30
    return (
        f'<g font-size="14">'
        f"{_task(20, y, True, True)}<text x='32' y='{y + 5}'>重点群体任务 priority task</text>"
        f"{_task(230, y, False, True)}<text x='242' y='{y + 5}'>任务 task</text>"
        f"<rect x='336' y='{y - 4}' width='8' height='8' fill='#2e7d32'/><text x='350' y='{y + 5}'>志愿者 volunteer</text>"
        f"{_task(490, y, False, False)}<text x='502' y='{y + 5}'>未匹配 unserved</text>"
        f"<line x1='620' y1='{y}' x2='650' y2='{y}' stroke='#2e7d32' stroke-width='2'/><text x='656' y='{y + 5}'>派单 assignment</text>"
        f"</g>"
    )
