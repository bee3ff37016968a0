"""The map of a matching proposal (pure: points in, places and SVG markup out).

Tasks and volunteers' homes are gathered into numbered places whose pins never overlap
(marketplace/maps.py); the page lists what stands at each number. Shapes carry the meaning and
colour only repeats it (no information by colour alone): a diamond holds a priority task, a
circle other tasks, a square only volunteers; a dashed ring marks a place with an unserved task.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from marketplace import maps

WIDTH, HEIGHT, PAD = 360, 360, 22
LEGEND_HEIGHT = 130
# the legend's texts (dispatch/messages.py), in the order svg() draws them
LEGEND = ("map_priority_task", "map_task", "map_volunteer", "map_unserved", "map_assignment")


@dataclass(frozen=True)
class Point:
    lat: float
    lng: float


@dataclass(frozen=True)
class TaskMark:
    point: Point
    priority: bool
    title: str
    volunteer: int | None  # who the proposal sends (None: unserved)


@dataclass(frozen=True)
class MapData:
    compounds: Sequence[tuple[str, Point]]
    tasks: Sequence[TaskMark]
    volunteers: dict[int, tuple[str, Point]]  # person id -> (name, home)
    title: str


@dataclass
class Drawing:
    """The places (numbered from 1), the assignment lines between them (place indexes) and the
    compounds: what the SVG shows, and what the street map draws over its tiles."""

    places: list[maps.Place]
    lines: list[tuple[int, int]]
    compounds: list[tuple[str, Point]]
    names: list[tuple[str, float, float]]  # compound names that fit, placed
    title: str


def draw(data: MapData) -> Drawing:
    """Gather the proposal into places on a WIDTH × HEIGHT drawing and place what text fits."""
    tasks = sorted(data.tasks, key=lambda t: not t.priority)  # priority tasks lead their places
    task_marks = [
        maps.Marker(
            t.point.lat, t.point.lng, "priority" if t.priority else "task", t, t.volunteer is None
        )
        for t in tasks
    ]
    homes = {
        person: maps.Marker(p.lat, p.lng, "volunteer", name)
        for person, (name, p) in data.volunteers.items()
    }
    markers = task_marks + list(homes.values())
    points = [(m.lat, m.lng) for m in markers] + [(p.lat, p.lng) for _, p in data.compounds]
    project = maps.projector(points, WIDTH, HEIGHT, PAD)
    places = maps.places(markers, project)
    for n, place in enumerate(places, start=1):
        place.label = str(n)
    where = {id(m): i for i, p in enumerate(places) for m in p.markers}
    lines = {
        (where[id(homes[t.volunteer])], where[id(m)])
        for t, m in zip(tasks, task_marks, strict=True)
        if t.volunteer in homes
    }
    taken = [maps.pin_box(p) for p in places]
    names = maps.place_names(
        [(name, *project(p.lat, p.lng)) for name, p in data.compounds], taken, WIDTH, HEIGHT
    )
    return Drawing(
        places, sorted((a, b) for a, b in lines if a != b), list(data.compounds), names, data.title
    )


def svg(drawing: Drawing, legend: Sequence[str] = ()) -> str:
    """The drawing as SVG markup; with `legend` (five texts: priority task, task, volunteer,
    unserved, assignment) a legend under it, for the standalone document of the API."""
    height = HEIGHT + (LEGEND_HEIGHT if legend else 0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{escape(drawing.title)}" font-family="sans-serif" class="map">',
        f"<title>{escape(drawing.title)}</title>",
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#f7f7f2"/>',
    ]
    for a, b in drawing.lines:
        pa, pb = drawing.places[a], drawing.places[b]
        parts.append(
            f'<line x1="{pa.x}" y1="{pa.y}" x2="{pb.x}" y2="{pb.y}" stroke="#2e7d32" stroke-width="2"/>'
        )
    for text, x, y in drawing.names:
        parts.append(
            f'<text class="map-label map-name" x="{x}" y="{y}" font-size="11" fill="#555">{escape(text)}</text>'
        )
    parts += [maps.pin_svg(p) for p in drawing.places]
    if legend:
        parts.append(_legend(legend))
    parts.append("</svg>")
    return "".join(parts)


def _legend(texts: Sequence[str]) -> str:
    kinds = [("priority", False), ("task", False), ("volunteer", False), ("task", True)]
    items = []
    for i, ((kind, unserved), text) in enumerate(zip(kinds, texts[:4], strict=True)):
        y = HEIGHT + 18 + 24 * i
        sample = maps.Place(
            x=20, y=y, lat=0, lng=0, markers=[maps.Marker(0, 0, kind, None, unserved)]
        )
        items.append(maps.pin_svg(sample) + f'<text x="40" y="{y + 5}">{escape(text)}</text>')
    y = HEIGHT + 18 + 24 * 4
    items.append(
        f'<line x1="8" y1="{y}" x2="32" y2="{y}" stroke="#2e7d32" stroke-width="2"/>'
        f'<text x="40" y="{y + 5}">{escape(texts[4])}</text>'
    )
    return f'<g font-size="13" fill="#222">{"".join(items)}</g>'
