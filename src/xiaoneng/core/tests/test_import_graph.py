"""The dependency rules between apps, checked on the source (no Django needed):

- ``core`` imports no app (apps plug into core through registries: ``workhome``, ``scale``,
  signals);
- the apps' imports form no cycle (``complaints`` ← ``rectification`` ← ``selfcheck`` ← ``portal``
  and so on: an app that needs to react to another one listens to its signals instead).

Every import counts, including the ones inside functions. Tests, migrations and the project's
composition root (``settings``, ``urls``, ``cli``, ``conftest``) are left out.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import xiaoneng

ROOT = Path(xiaoneng.__file__).parent
SKIP_DIRS = {"tests", "migrations", "templates", "static", "locale"}


def apps() -> set[str]:
    return {p.parent.name for p in ROOT.glob("*/apps.py")} | {"core"}


def _module_name(path: Path) -> list[str]:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    return parts[:-1] if parts[-1] == "__init__" else parts


def _targets(path: Path, tree: ast.AST) -> list[tuple[str, int]]:
    """Absolute module names this file imports, with their line numbers."""
    package = _module_name(path)
    if path.name != "__init__.py":
        package = package[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((module, node.lineno))
    return found


def import_edges() -> dict[tuple[str, str], list[str]]:
    """(from app, to app) → the places ("path:line") that make the edge."""
    known = apps()
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        if len(rel.parts) < 2 or SKIP_DIRS & set(rel.parts[1:-1]) or rel.parts[0] not in known:
            continue
        source = rel.parts[0]
        for module, line in _targets(path, ast.parse(path.read_text(encoding="utf-8"))):
            parts = module.split(".")
            if len(parts) >= 2 and parts[0] == "xiaoneng" and parts[1] in known - {source}:
                edges[(source, parts[1])].append(f"{rel}:{line}")
    return edges


def cycles(edges) -> list[list[str]]:
    """Strongly connected components with more than one app (Tarjan)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for a, b in edges:
        graph[a].add(b)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(set(graph) | {b for _, b in edges}):
        if v not in index:
            visit(v)
    return found


def test_core_imports_no_app():
    offending = {
        f"core → {b}: {', '.join(places)}"
        for (a, b), places in import_edges().items()
        if a == "core"
    }
    assert not offending, "\n".join(sorted(offending))


def test_apps_import_each_other_without_cycles():
    edges = import_edges()
    found = cycles(edges)
    detail = [
        f"{' ↔ '.join(c)}: "
        + "; ".join(
            f"{a} → {b} ({', '.join(edges[(a, b)])})" for a in c for b in c if (a, b) in edges
        )
        for c in found
    ]
    assert not found, "\n".join(detail)


def test_the_checker_sees_a_cycle_and_a_lazy_import(tmp_path):
    """The checker itself: a made-up graph with a cycle is reported; relative imports resolve."""
    assert cycles({("a", "b"): [], ("b", "c"): [], ("c", "a"): [], ("c", "d"): []}) == [
        ["a", "b", "c"]
    ]
    assert cycles({("a", "b"): [], ("b", "c"): []}) == []
    module = ROOT / "complaints" / "services" / "x.py"
    tree = ast.parse("def f():\n    from ...core import audit\n    from .. import models\n")
    assert [m for m, _ in _targets(module, tree)] == ["xiaoneng.core", "xiaoneng.complaints"]
