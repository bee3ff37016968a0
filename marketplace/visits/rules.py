"""Pure decisions about visit codes."""

from __future__ import annotations

import secrets
import unicodedata


def new_code() -> str:
    """Four random digits, easy to read out at the door."""
    return f"{secrets.randbelow(10_000):04d}"


def normalise(code: str) -> str:
    """What was typed, with full-width digits (１２３４) and spaces forgiven."""
    return "".join(unicodedata.normalize("NFKC", code).split())


def matches(expected: str, typed: str) -> bool:
    return secrets.compare_digest(expected.encode(), normalise(typed).encode())
