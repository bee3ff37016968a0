"""Hand-written statements keep Piccolo's {} placeholders; PostgreSQL gets $1, $2..."""

from marketplace.db import _numbered


def test_placeholders_are_numbered_in_order():
    assert _numbered("SELECT {} + {}") == "SELECT $1 + $2"
    assert _numbered("SELECT 1") == "SELECT 1"
    assert _numbered("{}") == "$1"
    assert _numbered("a {} b {} c") == "a $1 b $2 c"
