"""The domain package does no I/O: it imports nothing that does, and reads no clock."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import mutualplan.plan

PLAN = Path(mutualplan.plan.__file__).parent
ALLOWED_STDLIB = {
    "__future__",
    "collections",
    "dataclasses",
    "datetime",
    "enum",
    "functools",
    "hashlib",
    "hmac",
    "itertools",
    "json",
    "math",
    "re",
    "typing",
    "unicodedata",
}  # fmt: skip (json, hashlib and hmac compute; they do no I/O)
CLOCK_CALLS = {"today", "now", "utcnow", "time", "monotonic"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_the_domain_imports_only_pure_modules() -> None:
    for path in PLAN.rglob("*.py"):
        for module in imported_modules(path):
            top = module.split(".")[0]
            allowed = module.startswith(("mutualplan.plan", "mutualplan.errors")) or top in ALLOWED_STDLIB
            assert allowed, f"{path.relative_to(PLAN)} imports {module}"


def test_the_domain_reads_no_clock() -> None:
    for path in PLAN.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                assert node.func.attr not in CLOCK_CALLS, (
                    f"{path.name}:{node.lineno} calls .{node.func.attr}()"
                )


def test_importing_the_domain_loads_no_io_library() -> None:
    probe = (
        "import sys, mutualplan.plan; "
        "bad = {'openpyxl', 'click', 'flask', 'sqlite3', 'socket', 'gspread', 'sqlalchemy', 'requests'}"
        " & set(sys.modules); print(sorted(bad))"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"
