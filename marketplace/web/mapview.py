"""The pages' maps: the plain drawing (inline SVG), the list of what stands at each number, and,
with tiles configured (LIANXIN_MAP_TILES), the data static/map.js draws over a street map."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from marketplace import maps
from marketplace.dispatch import svg
from marketplace.settings import Settings


def street(settings: Settings) -> dict[str, Any] | None:
    """The tile layers for Leaflet, or None: the pages then show the plain drawing only."""
    if not settings.map_tiles:
        return None
    return {
        "tiles": list(settings.map_tiles),
        "subdomains": settings.map_subdomains,
        "attribution": settings.map_attribution,
    }


def for_leaflet(places: list[maps.Place], lines: list[tuple[int, int]], **extra: Any) -> dict:
    """What map.js needs: each place's position, shape and label, and the lines between them."""
    return {
        "places": [
            {"lat": p.lat, "lng": p.lng, "kind": p.kind, "label": p.label, "unserved": p.unserved}
            for p in places
        ],
        "lines": lines,
        **extra,
    }


def speaker(lang: str):
    """say(code, **params): a message of the code catalogue in the page's language."""
    from marketplace.messages import render

    return lambda code, **params: render(code, "en" if lang == "en" else "zh-CN", params)


def proposal(data: svg.MapData, lang: str, settings: Settings) -> dict[str, Any]:
    """A matching proposal's map for the run page: the SVG, the numbered list, the street map."""
    say = speaker(lang)
    drawing = svg.draw(data)
    drawing.title = say("map_title", run=data.title)
    listed = []
    for place in drawing.places:
        items = []
        for m in place.markers:
            if m.kind == "volunteer":
                items.append(say("map_place_home", name=m.item))
            elif m.unserved:
                items.append(say("map_place_unserved", title=m.item.title))
            else:
                name = data.volunteers.get(m.item.volunteer, ("", None))[0]
                items.append(say("map_place_task", title=m.item.title, name=name))
        listed.append({"label": place.label, "kind": place.kind, "items": items})
    tiles = street(settings)
    leaflet = (
        for_leaflet(
            drawing.places,
            drawing.lines,
            compounds=[[p.lat, p.lng] for _, p in drawing.compounds],
            **tiles,
        )
        if tiles
        else None
    )
    return {"svg": Markup(svg.svg(drawing)), "places": listed, "leaflet": leaflet}
