"""The architecture, enforced: imports point down the layers and never form a cycle.

Layers, bottom to top: ``base`` (paths, storage, provenance) → ``evidence`` (texts, curated
tables, validation) → ``record`` (fetching, UNGA, SIPRI, countries) → ``analysis`` (questions,
findings, claims, framing) → ``publish`` (notebook helpers, figures, parameters, reports) →
``cli``. Imports are read with :mod:`ast`, so lazy imports inside functions count too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from rupak.base.paths import REPO_ROOT

LIB = REPO_ROOT / "lib"
LAYERS = ("base", "evidence", "record", "analysis", "publish", "cli")


def _module_name(path: Path) -> str:
    name = ".".join(path.relative_to(LIB).with_suffix("").parts)
    return name.removesuffix(".__init__")


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted((LIB / "rupak").rglob("*.py"))}


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Project modules imported by one module (absolute and relative, anywhere in it)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name and not name.startswith(target + "."):
                found.add(target)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, set(modules)) for name, path in modules.items()}


def layer_of(module: str) -> int | None:
    """The layer index of a module (``rupak`` itself, holding the version, is below all)."""
    parts = module.split(".")
    if len(parts) < 2:
        return -1
    return LAYERS.index(parts[1]) if parts[1] in LAYERS else None


def test_every_module_belongs_to_a_layer():
    stray = [m for m in _modules() if layer_of(m) is None]
    assert not stray, f"modules outside the layers {LAYERS}: {stray}"


def test_no_import_points_up_a_layer():
    upward = [
        f"{module} (layer {LAYERS[layer_of(module)]}) imports {target} "
        f"(layer {LAYERS[layer_of(target)]})"
        for module, targets in _graph().items()
        for target in sorted(targets)
        if layer_of(module) >= 0 and layer_of(target) > layer_of(module)
    ]
    assert not upward, "\n".join(upward)


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
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


def test_no_import_cycle():
    assert find_cycles(_graph()) == []


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b"}, "b": {"a"}}, [["a", "b"]]),
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
    ],
)
def test_the_cycle_finder_finds_cycles(graph, expected):
    assert find_cycles(graph) == expected


def test_the_layer_rule_sees_lazy_imports(tmp_path):
    module = tmp_path / "rupak" / "evidence" / "x.py"
    module.parent.mkdir(parents=True)
    module.write_text("def f():\n    from rupak.publish import plots\n")
    found = _imports("rupak.evidence.x", module, {"rupak.publish.plots", "rupak.evidence.x"})
    assert found == {"rupak.publish.plots"}
