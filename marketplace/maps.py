"""Maps the pages draw (pure): markers gathered into places whose pins never overlap, names
placed only where they fit, and the street-map tiles a deployment may configure.

A place is a pin with a short label (a number); what stands there is listed beside the map, so
no text is ever drawn over another. The same places serve the plain SVG drawing and the street
map (Leaflet), which gathers them further at the zoom a phone shows.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

PIN_RADIUS = 12  # px of a pin on the drawing (a fingertip on a phone)
PIN_GAP = 2 * PIN_RADIUS + 4  # pins closer than this become one place

# What a place shows, first first: its pin takes the shape of the first kind present (the
# reader's own home stays visible, numbered with the tasks at its door).
KINDS = ("home", "priority", "task", "volunteer")


@dataclass(frozen=True)
class Marker:
    lat: float
    lng: float
    kind: str  # one of KINDS
    item: Any = None  # what the caller lists beside the map for this marker
    unserved: bool = False


@dataclass
class Place:
    """Markers close together on the drawing, shown as one pin at the first one's position."""

    x: float
    y: float
    lat: float
    lng: float
    markers: list[Marker] = field(default_factory=list)
    label: str = ""

    @property
    def kind(self) -> str:
        present = {m.kind for m in self.markers}
        return next(k for k in KINDS if k in present)

    @property
    def unserved(self) -> bool:
        return any(m.unserved for m in self.markers)


Projector = Callable[[float, float], tuple[float, float]]


def projector(
    points: Sequence[tuple[float, float]], width: int, height: int, pad: int
) -> Projector:
    """(lat, lng) to drawing pixels, north up, the points filling the drawing (equal scales)."""
    lats = [p[0] for p in points] or [0.0]
    lngs = [p[1] for p in points] or [0.0]
    k = math.cos(math.radians(sum(lats) / len(lats)))
    x0, x1 = min(lngs) * k, max(lngs) * k
    y0, y1 = min(lats), max(lats)
    scale = min((width - 2 * pad) / max(x1 - x0, 1e-6), (height - 2 * pad) / max(y1 - y0, 1e-6))
    dx = (width - 2 * pad - (x1 - x0) * scale) / 2  # centred along the shorter side
    dy = (height - 2 * pad - (y1 - y0) * scale) / 2

    def project(lat: float, lng: float) -> tuple[float, float]:
        return (
            round(pad + dx + (lng * k - x0) * scale, 1),
            round(height - pad - dy - (lat - y0) * scale, 1),
        )

    return project


def places(markers: Sequence[Marker], project: Projector, gap: float = PIN_GAP) -> list[Place]:
    """Gather markers into places, in the markers' order: a marker joins the first place within
    `gap` of it, or starts a new one. Places start at least `gap` apart, so pins never touch."""
    found: list[Place] = []
    for m in markers:
        x, y = project(m.lat, m.lng)
        near = next((p for p in found if math.hypot(p.x - x, p.y - y) < gap), None)
        if near is None:
            near = Place(x=x, y=y, lat=m.lat, lng=m.lng)
            found.append(near)
        near.markers.append(m)
    return found


COLOURS = {"priority": "#b71c1c", "task": "#0d47a1", "volunteer": "#1b5e20", "home": "#1b5e20"}


def pin_svg(place: Place) -> str:
    """A place's pin with its label inside (class map-pin; the label is a map-label). Shapes
    carry the meaning, colour repeats it: a diamond holds a priority task, a circle other tasks,
    a square homes; a dashed black ring marks a place with an unserved task."""
    x, y, r = place.x, place.y, PIN_RADIUS
    colour = COLOURS[place.kind]
    ring = (
        ' stroke="#000" stroke-width="2.5" stroke-dasharray="4 2"'
        if place.unserved
        else ' stroke="#fff" stroke-width="1.5"'
    )
    if place.kind == "priority":
        d = r + 2
        corners = f"{x},{y - d} {x + d},{y} {x},{y + d} {x - d},{y}"
        shape = f'<polygon points="{corners}" fill="{colour}"{ring}/>'
    elif place.kind == "task":
        shape = f'<circle cx="{x}" cy="{y}" r="{r}" fill="{colour}"{ring}/>'
    else:
        side = 2 * r - 2
        shape = f'<rect x="{x - r + 1}" y="{y - r + 1}" width="{side}" height="{side}" fill="{colour}"{ring}/>'
    text = (
        f'<text class="map-label" x="{x}" y="{y + 4}" font-size="12" font-weight="bold" '
        f'text-anchor="middle" fill="#fff">{escape(place.label)}</text>'
        if place.label
        else ""
    )
    return f'<g class="map-pin map-pin-{place.kind}">{shape}{text}</g>'


Box = tuple[float, float, float, float]  # left, top, right, bottom


def text_width(text: str, size: float) -> float:
    """A generous estimate of a text's width: CJK characters are square, Latin ones narrower."""
    return sum(size if ord(c) > 0x2E80 else size * 0.62 for c in text)


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def pin_box(place: Place) -> Box:
    r = PIN_RADIUS + 1
    return (place.x - r, place.y - r, place.x + r, place.y + r)


def place_names(
    names: Sequence[tuple[str, float, float]],
    taken: list[Box],
    width: float,
    height: float,
    size: float = 11,
) -> list[tuple[str, float, float]]:
    """Names (text, x, y) set above, below, right or left of their point where they touch
    nothing already drawn and stay on the drawing; a name with no free spot is left out (the
    list beside the map still has it). Returns (text, x, y) of each text's start at its baseline."""
    placed = []
    for text, x, y in names:
        w, h = text_width(text, size) + 2, size + 3
        spots = [
            (x - w / 2, y - 16 - h),
            (x - w / 2, y + 16),
            (x + 16, y - h / 2),
            (x - 16 - w, y - h / 2),
        ]
        for left, top in spots:
            box = (left, top, left + w, top + h)
            inside = left >= 0 and top >= 0 and left + w <= width and top + h <= height
            if inside and not any(_overlaps(box, t) for t in taken):
                taken.append(box)
                placed.append((text, round(left + 1, 1), round(top + size, 1)))
                break
    return placed


# ---- street-map tiles (LIANXIN_MAP_TILES) -------------------------------------------------

_ORIGIN = re.compile(r"^(https?)://([^/]+)")


def tile_sources(templates: Sequence[str], subdomains: str) -> tuple[str, ...]:
    """The origins the pages may load tiles from (the CSP's img-src), one per subdomain when
    the template names `{s}`: `https://t{s}.tianditu.gov.cn/...` with subdomains 01 gives
    https://t0.tianditu.gov.cn and https://t1.tianditu.gov.cn."""
    sources: list[str] = []
    for template in templates:
        match = _ORIGIN.match(template)
        if match is None:
            raise ValueError(f"LIANXIN_MAP_TILES: not an http(s) URL template: {template}")
        scheme, host = match.groups()
        hosts = [host.replace("{s}", s) for s in subdomains] if "{s}" in host else [host]
        sources += [f"{scheme}://{h}" for h in hosts if f"{scheme}://{h}" not in sources]
    return tuple(sources)
