"""The README's matching examples run as written."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_examples_run() -> None:
    text = README.read_text(encoding="utf-8")
    section = text.split("## The matching engine", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert len(blocks) == 2
    namespace: dict = {}
    exec(compile(blocks[0], "README example 1", "exec"), namespace)  # noqa: S102
    exec(compile(blocks[1], "README example 2", "exec"), namespace)  # noqa: S102
    assert namespace["result"].status == "optimal"
