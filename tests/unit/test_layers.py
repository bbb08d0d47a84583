"""The house's layers, as a test: arrows point down (plan ← app ← adapters/store ← web/cli ← bootstrap),
and no module reaches past the layer below it or round in a circle."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import mutualplan

PACKAGE = Path(mutualplan.__file__).parent
TOP_LEVEL = {"__init__", "__main__", "config", "errors"}
# A layer → the layers it may import (besides itself and the package's own __init__).
ALLOWED = {
    "plan": {"errors"},
    "app": {"plan", "errors", "config"},
    "adapters": {"plan", "errors", "config", "app"},
    "store": {"plan", "errors", "config", "app"},
    "web": {"plan", "errors", "config", "app"},
    "cli": {"plan", "errors", "config", "app"},
    "bootstrap": {"plan", "errors", "config", "app", "adapters", "store", "web", "cli"},
    "config": {"errors"},
    "errors": set(),
    "__main__": {"bootstrap"},
    "__init__": set(),
}


def module_name(path: Path) -> str:
    """mutualplan.app.sync for server/mutualplan/app/sync.py."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> str:
    """The layer a mutualplan module (or a name the package's __init__ holds) belongs to."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in ALLOWED else "__init__"


def imports_of(path: Path) -> Iterator[str]:
    """Every mutualplan module a file imports, wherever the import stands (in a function too)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names if alias.name.startswith("mutualplan"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("mutualplan"):
            yield from (f"{node.module}.{alias.name}" for alias in node.names)  # a name, or a submodule


def modules() -> dict[str, set[str]]:
    """Each module of the package → the mutualplan modules it imports."""
    return {module_name(path): set(imports_of(path)) for path in sorted(PACKAGE.rglob("*.py"))}


def test_the_package_holds_only_the_layers_at_its_top() -> None:
    tops = {path.stem for path in PACKAGE.glob("*.py")}
    folders = {path.name for path in PACKAGE.iterdir() if path.is_dir() and (path / "__init__.py").exists()}
    assert tops == TOP_LEVEL
    assert folders == set(ALLOWED) - TOP_LEVEL


# The domain's rooms, a concept each: a newcomer finds a concept by its folder's name.
PLAN_ROOMS = {"sheet", "people", "dates", "checks", "history", "reminders", "pictures", "pipeline", "crm"}


def test_every_domain_module_lives_in_a_room_of_its_concept() -> None:
    plan = PACKAGE / "plan"
    assert {path.name for path in plan.glob("*.py")} == {"__init__.py"}  # nothing loose
    assert {path.name for path in plan.iterdir() if (path / "__init__.py").exists()} == PLAN_ROOMS
    for room in PLAN_ROOMS:
        if room in {"checks", "pipeline", "crm"}:  # a room may gather what it offers in its __init__
            continue
        body = ast.parse((plan / room / "__init__.py").read_text(encoding="utf-8")).body
        assert len(body) == 1, f"plan/{room}/__init__.py holds its docstring only"


def test_every_layer_imports_only_the_layers_below_it() -> None:
    broken = [
        f"{module} imports {imported}"
        for module, imported_modules in modules().items()
        for imported in imported_modules
        if layer_of(imported) not in ALLOWED[layer_of(module)] | {layer_of(module), "__init__"}
    ]
    assert broken == []


def test_entry_points_never_reach_adapters_or_the_store() -> None:
    reached = [
        f"{module} imports {imported}"
        for module, imported_modules in modules().items()
        if layer_of(module) in {"web", "cli"}
        for imported in imported_modules
        if layer_of(imported) in {"adapters", "store", "bootstrap"}
    ]
    assert reached == []


def test_no_modules_import_each_other_in_a_circle() -> None:
    graph = modules()
    known = set(graph)

    def resolved(imported: str) -> str | None:
        """The module an import names (from a package import a submodule resolves to the package)."""
        while imported and imported not in known:
            imported = imported.rpartition(".")[0]
        return imported or None

    edges = {module: {found for item in imported if (found := resolved(item)) and found != module}
             for module, imported in graph.items()}  # fmt: skip
    state: dict[str, str] = {}
    cycles: list[str] = []

    def visit(module: str, trail: list[str]) -> None:
        state[module] = "open"
        for target in sorted(edges[module]):
            if state.get(target) == "open":
                cycles.append(" → ".join([*trail[trail.index(target) :], target]))
            elif target not in state:
                visit(target, [*trail, target])
        state[module] = "done"

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_a_breach_of_the_layers_would_be_seen(tmp_path: Path) -> None:
    forbidden = tmp_path / "forbidden.py"
    forbidden.write_text(
        "def handler() -> None:\n    from mutualplan.store.sql import SqlStore\n", encoding="utf-8"
    )
    assert list(imports_of(forbidden)) == ["mutualplan.store.sql.SqlStore"]
    assert layer_of("mutualplan.store.sql") not in ALLOWED["web"]
