"""The shape of the house (docs/ARCHITECTURE.md): dependencies point one way (flows -> extractors
-> schemas), no module imports itself back through another, and an import inside a function says
why it is there (most keep `baocao --help` or a worker fast)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("schemas", "extractors", "flows")


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations/versions" in path.as_posix():
                continue  # Alembic revisions: loaded by Alembic, not imported
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _type_checking_only(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return True
    return False


def _imports(module: str) -> Iterator[tuple[ast.stmt, list[str], bool]]:
    """Each import statement of a module that runs (not under TYPE_CHECKING), the project modules
    it loads, and whether it sits inside a function."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if not isinstance(node, ast.Import | ast.ImportFrom) or _type_checking_only(node, parents):
            continue
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                targets.append(sub if sub in MODULES else base)
        ours = [t for t in targets if t in MODULES]
        inside = False
        walker: ast.AST = node
        while walker in parents:
            walker = parents[walker]
            if isinstance(walker, ast.FunctionDef | ast.AsyncFunctionDef):
                inside = True
                break
        yield node, ours, inside


def _graph() -> dict[str, set[str]]:
    return {
        module: {target for _, ours, _ in _imports(module) for target in ours if target != module}
        for module in MODULES
    }


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
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
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_project_has_no_import_circle() -> None:
    assert _cycles(_graph()) == []


def test_the_cycle_finder_finds_a_circle() -> None:
    # the check above must be able to fail
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]


@pytest.mark.parametrize(
    ("layer", "forbidden"),
    [("schemas", ("extractors", "flows")), ("extractors", ("flows",))],
)
def test_dependencies_point_one_way(layer: str, forbidden: tuple[str, ...]) -> None:
    wrong = sorted(
        f"{module} imports {target}"
        for module, targets in _graph().items()
        if module.split(".")[0] == layer
        for target in targets
        if target.split(".")[0] in forbidden
    )
    assert wrong == []


def _has_reason(lines: list[str], lineno: int) -> bool:
    """An import inside a function is explained by a comment on its line, or on the line above
    it or above the block of imports it belongs to."""
    if "#" in lines[lineno - 1]:
        return True
    at = lineno - 2
    while (
        at >= 0
        and lines[at].strip().startswith(("from ", "import ", ")"))
        or (at >= 0 and lines[at].startswith(" ") and lines[at].strip().endswith(","))
    ):
        at -= 1
    return at >= 0 and lines[at].strip().startswith("#")


def test_an_import_inside_a_function_says_why() -> None:
    unexplained = []
    for module, path in MODULES.items():
        lines = path.read_text(encoding="utf-8").split("\n")
        for node, _, inside in _imports(module):
            if inside and not _has_reason(lines, node.lineno):
                unexplained.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert unexplained == []
