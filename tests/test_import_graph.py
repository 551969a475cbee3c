"""No import cycles: core -> modeling -> training and eval -> the estimator, models and CLI.

The import graph is read from the source (``ast``), counting imports inside
functions too: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO

PACKAGES = {"stance": REPO / "stance", "stance.training": REPO / "training", "stance.eval": REPO / "eval"}


def _modules() -> dict[str, Path]:
    out = {}
    for package, folder in PACKAGES.items():
        for path in folder.rglob("*.py"):
            parts = path.relative_to(folder).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            out[".".join((package, *parts))] = path
    return out


def _absolute(node: ast.ImportFrom, package: str) -> str:
    """The module a ``from ... import`` names, relative imports resolved against ``package``."""
    if not node.level:
        return node.module or ""
    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
    return ".".join(parts + ([node.module] if node.module else []))


def imports(path: Path, package: str, modules: dict[str, Path]) -> set[str]:
    """Every module a file imports, at the top or inside a function, by absolute name
    (``from pkg import mod`` names ``pkg.mod`` when that is one of ``modules``)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, package)
            out |= {f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names}
    return out


def package_of(name: str, path: Path) -> str:
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: {t for t in imports(path, package_of(name, path), modules) if t in modules and t != name}
            for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state, stack = {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        state[node] = "done"
        stack.pop()
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_import_graph_has_no_cycle():
    assert find_cycle(import_graph()) is None


def test_the_cycle_check_finds_one():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_modeling_depends_on_the_core_only_and_training_not_on_the_estimator():
    graph = import_graph()
    above = ("stance.training", "stance.eval", "stance.classifier", "stance.models", "stance.cli")
    for name, targets in graph.items():
        if name.startswith("stance.modeling"):
            assert not [t for t in targets if t.startswith(above)], name
        if name.startswith("stance.training"):
            assert not [t for t in targets if t.startswith(above[1:])], name


def test_the_graph_sees_lazy_and_relative_imports():
    graph = import_graph()
    assert "stance.training.trainer" in graph["stance.classifier"]  # imported inside fit()
    assert "stance.modeling.network" in graph["stance.modeling.predict"]  # from .network import ...
