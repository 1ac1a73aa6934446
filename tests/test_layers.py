"""The dependency rule of ARCHITECTURE.md, read from the code's own imports: the foundation
imports no area, an area imports only the foundation and the areas below it, and no
modules import each other in a loop."""

import ast
from pathlib import Path

PORTAL = Path(__file__).resolve().parent.parent / "portal"

# Bottom to top. An area may import the foundation and any area before it in this list.
LAYERS = (
    "foundation",
    "audit",
    "auth",
    "pharmacy",
    "prescribers",
    "patients",
    "catalog",
    "prescriptions",
    "compounding",
    "labels",
    "claims",
    "reports",
)
# The app itself stands above every area: create_app and what it builds (app), the schema
# list, the commands on the database as a whole (migrate, backup, restore), `serve` (cli)
# and the `mortar` console script (console, which imports the app factory as wsgi.py does).
APP_LEVEL = {
    "portal",
    "portal.app",
    "portal.schema",
    "portal.migrate",
    "portal.backup",
    "portal.restore",
    "portal.cli",
    "portal.console",
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PORTAL.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in PORTAL.rglob("*.py")}


def _imports(path: Path, modules: dict[str, Path], top_level_only: bool) -> set[str]:
    """Portal modules that ``path`` imports (``from a import b`` counts b when b is a module)."""
    tree = ast.parse(path.read_text())
    nodes = tree.body if top_level_only else ast.walk(tree)
    found = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        found.update(name for name in names if name in modules and name.startswith("portal"))
    return found


def _layer(module: str) -> int | None:
    if module in APP_LEVEL:
        return None
    return LAYERS.index(module.split(".")[1])


def layer_violations(modules: dict[str, Path]) -> list[str]:
    problems = []
    for module, path in sorted(modules.items()):
        own = _layer(module)
        if own is None:
            continue
        for target in sorted(_imports(path, modules, top_level_only=False)):
            theirs = _layer(target)
            if theirs is None or theirs > own:
                problems.append(f"{module} imports {target}")
    return problems


def import_cycles(modules: dict[str, Path]) -> list[list[str]]:
    """Loops of module-level imports (Tarjan's strongly connected components)."""
    graph = {m: _imports(p, modules, top_level_only=True) - {m} for m, p in modules.items()}
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def test_every_portal_module_belongs_to_a_layer():
    unknown = [m for m in _modules() if m not in APP_LEVEL and m.split(".")[1] not in LAYERS]
    assert not unknown, f"modules outside foundation/areas: {unknown}"


def test_no_module_imports_a_higher_layer():
    assert layer_violations(_modules()) == []


def test_no_import_cycles():
    assert import_cycles(_modules()) == []


def test_no_area_is_reached_by_module_name_at_run_time():
    """importlib hides a dependency from the imports; areas register with each other instead."""
    users = [
        _module_name(path)
        for path in PORTAL.rglob("*.py")
        if "import_module(" in path.read_text() or "__import__(" in path.read_text()
    ]
    assert users == []


def test_the_rule_catches_a_back_edge(tmp_path):
    """The checks above can fail: a foundation module importing an area is reported, and so
    is a loop of two modules."""
    foundation = tmp_path / "portal" / "foundation"
    area = tmp_path / "portal" / "claims"
    foundation.mkdir(parents=True)
    area.mkdir()
    (foundation / "money.py").write_text("from portal.claims import models\n")
    (area / "models.py").write_text("from portal.foundation import money\n")
    modules = {
        "portal.foundation.money": foundation / "money.py",
        "portal.claims.models": area / "models.py",
    }
    assert layer_violations(modules) == ["portal.foundation.money imports portal.claims.models"]
    assert import_cycles(modules) == [["portal.claims.models", "portal.foundation.money"]]
