"""The import graph of `csms`, read from the source (ast): the wire at the bottom, the OCPP edge on top, no cycles.

A "package" is a first-level part of `csms` (`csms.domain`, or a module such as `csms.composition`).
Imports under `if TYPE_CHECKING:` count: they are dependencies all the same. `from csms.x import y`
counts as importing `csms.x.y` when that is a module, else `csms.x`.
"""

import ast
from collections.abc import Iterable
from pathlib import Path

LAYERS = Path(__file__).resolve().parents[2] / "layers"

Graph = dict[str, set[str]]


def _modules() -> dict[str, Path]:
    modules = {}
    for path in (LAYERS / "csms").rglob("*.py"):
        parts = list(path.relative_to(LAYERS).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _imported(module: str, path: Path, modules: Iterable[str]) -> set[str]:
    """The `csms` modules `module` imports (a name imported from a package counts as that module, if it is one)."""
    known = set(modules)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names.update(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names)
    return {found for name in names if (found := _known_prefix(name, known)) and found != module}


def _known_prefix(name: str, known: set[str]) -> str:
    """`name`, or the longest enclosing name that is a module (a function imported from it, say)."""
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name


def module_graph() -> Graph:
    modules = _modules()
    return {module: _imported(module, path, modules) for module, path in modules.items()}


def package_of(module: str) -> str:
    return ".".join(module.split(".")[:2])


def package_graph(modules: Graph) -> Graph:
    graph: Graph = {}
    for module, imported in modules.items():
        edges = graph.setdefault(package_of(module), set())
        edges.update(package_of(name) for name in imported if package_of(name) != package_of(module))
    return graph


def cycles(graph: Graph) -> list[set[str]]:
    """The strongly connected components of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for following in graph.get(node, ()):
            if following not in index:
                visit(following)
                low[node] = min(low[node], low[following])
            elif following in stack:
                low[node] = min(low[node], index[following])
        if low[node] == index[node]:
            component = set()
            while (member := stack.pop()) != node:
                component.add(member)
            component.add(node)
            if len(component) > 1:
                found.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def summary(graph: Graph) -> str:
    return "\n".join(f"  {node} -> {', '.join(sorted(graph[node])) or '-'}" for node in sorted(graph))


MODULES = module_graph()
PACKAGES = package_graph(MODULES)

# What the domain may import: the wire (the version table) and the utilities beside it. Pricing is
# domain; the use cases that orchestrate it (billing, commands), the adapters and the edges import it.
DOMAIN_DEPENDENCIES = {"csms.wire", "csms.timeutil", "csms.observability"}


def test_the_wire_imports_nothing_of_csms_but_itself() -> None:
    outside = {
        module: sorted(name for name in imported if package_of(name) != "csms.wire")
        for module, imported in MODULES.items()
        if package_of(module) == "csms.wire"
    }
    assert not any(outside.values()), f"csms.wire imports upwards: {outside}\n{summary(PACKAGES)}"


def test_only_the_handlers_import_the_ocpp_edge() -> None:
    importers = {package for package, imported in PACKAGES.items() if "csms.ocpp" in imported}
    assert importers <= {"csms.handlers"}, f"below the OCPP edge, {importers} import it\n{summary(PACKAGES)}"


def test_the_domain_imports_no_use_case_adapter_nor_edge() -> None:
    outside = PACKAGES["csms.domain"] - DOMAIN_DEPENDENCIES
    assert not outside, f"csms.domain imports {sorted(outside)}\n{summary(PACKAGES)}"


def test_no_package_cycles() -> None:
    assert not cycles(PACKAGES), f"import cycles between packages: {cycles(PACKAGES)}\n{summary(PACKAGES)}"


def test_no_module_cycles() -> None:
    assert not cycles(MODULES), f"import cycles between modules: {cycles(MODULES)}\n{summary(PACKAGES)}"
