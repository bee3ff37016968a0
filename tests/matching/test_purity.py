"""matching/ is a pure package: it never imports the web service or its infrastructure."""

import ast
from pathlib import Path

FORBIDDEN = {"marketplace", "litestar", "piccolo", "redis", "piccolo_admin", "saq", "msgspec"}
PACKAGE = Path(__file__).resolve().parents[2] / "matching"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_matching_never_imports_the_service() -> None:
    files = sorted(PACKAGE.rglob("*.py"))
    assert files, "matching/ has no modules"
    bad = {str(f.relative_to(PACKAGE)): sorted(_imports(f) & FORBIDDEN) for f in files}
    assert not {k: v for k, v in bad.items() if v}


def test_matching_imports_only_numpy_scipy_ortools_and_stdlib() -> None:
    import sys

    allowed = {"numpy", "scipy", "ortools", "matching", "__future__"} | set(sys.stdlib_module_names)
    for f in PACKAGE.rglob("*.py"):
        assert _imports(f) <= allowed, (f, _imports(f) - allowed)
