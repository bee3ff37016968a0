"""The bare baseline for `make bench-api`: a Litestar app returning 20 small msgspec Structs,
served the same way as the app (uvicorn, uvloop, httptools), so the feed is measured as a ratio."""

from __future__ import annotations

import msgspec
from litestar import Litestar, get


class Item(msgspec.Struct):
    id: int
    title: str
    lat: float
    lng: float
    distance_m: int


ITEMS = [Item(i, f"任务 {i}", 36.06 + i / 1000, 120.38 + i / 1000, 100 * i) for i in range(20)]


@get("/items")
async def items() -> list[Item]:
    return ITEMS


app = Litestar(route_handlers=[items])
