"""Pure masking rules (PIPL): what the public sees of a resident. No I/O."""

from __future__ import annotations


def mask_name(name: str) -> str:
    """林小明 → 林**: the surname only, and always two stars so the length leaks nothing."""
    name = name.strip()
    return name[0] + "**" if name else ""


def mask_phone(phone: str | None) -> str | None:
    """13812345678 → 138****5678."""
    if not phone:
        return None
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 7 else "****"


def coarse_point(lat: float, lng: float, grid_m: float = 200.0) -> tuple[float, float]:
    """Snap a point to a ~200 m grid so the public cannot find the door."""
    step = grid_m / 111_320.0
    return (round(round(lat / step) * step, 5), round(round(lng / step) * step, 5))


def coarse_distance(metres: float) -> int:
    """Distances shown to people who may not see the address are rounded to 100 m."""
    return int(round(metres / 100.0) * 100)
