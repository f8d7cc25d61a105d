"""Every Lambda entry point (`functions/*.py`) is as thin as the others, read from the source (ast).

An entry point is one function, `handler`, decorated like every other one, whose body is a single
call into `csms.handlers`: what a function does with its event lives there, tested there.
`metrics.log_metrics` is on every one, so a metric added anywhere on the way (the services are
shared: the operator API runs billing too) is published by the invocation that added it.
"""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

FUNCTIONS = Path(__file__).resolve().parents[2] / "functions"
ENTRY_POINTS = sorted(path for path in FUNCTIONS.glob("*.py") if path.name != "__init__.py")
DECORATORS = ["log_invocation", "metrics.log_metrics"]


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(), filename=str(path))


def _definitions(tree: ast.Module) -> list[ast.stmt]:
    """The top-level statements other than the docstring and the imports."""
    body = tree.body[1:] if ast.get_docstring(tree) is not None else tree.body
    return [node for node in body if not isinstance(node, ast.Import | ast.ImportFrom)]


def _imported_from(tree: ast.Module) -> dict[str, str]:
    """Each name the module imports, and the module it comes from."""
    return {
        alias.asname or alias.name: node.module or ""
        for node in tree.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }


def test_there_are_entry_points_to_check() -> None:
    assert len(ENTRY_POINTS) >= 9


@pytest.mark.parametrize("path", ENTRY_POINTS, ids=lambda path: path.stem)
def test_an_entry_point_defines_handler_alone_as_one_call_into_csms_handlers(path: Path) -> None:
    tree = _tree(path)

    [handler] = _definitions(tree)

    assert isinstance(handler, ast.FunctionDef)
    assert handler.name == "handler"
    [statement] = handler.body
    assert isinstance(statement, ast.Return | ast.Expr)
    call = statement.value
    assert isinstance(call, ast.Call)
    assert isinstance(call.func, ast.Name), ast.unparse(call)
    assert _imported_from(tree)[call.func.id].startswith("csms.handlers."), ast.unparse(call)


@pytest.mark.parametrize("path", ENTRY_POINTS, ids=lambda path: path.stem)
def test_every_entry_point_injects_the_lambda_context_and_publishes_its_metrics(path: Path) -> None:
    [handler] = [node for node in _definitions(_tree(path)) if isinstance(node, ast.FunctionDef)]

    assert [ast.unparse(decorator) for decorator in handler.decorator_list] == DECORATORS


def test_no_entry_point_imports_the_x_ray_sdk() -> None:
    """Lambda's active tracing needs no SDK in the function; importing it would cost a third of a cold start."""
    modules = ", ".join(f"functions.{path.stem}" for path in ENTRY_POINTS)
    probe = f"import sys, {modules}; print(sorted(name for name in sys.modules if name.startswith('aws_xray_sdk')))"
    root = FUNCTIONS.parent
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root / "layers"), str(root)])}

    imported = subprocess.run(  # noqa: S603 - this interpreter, a fixed probe
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=environment, cwd=root
    ).stdout

    assert imported.strip() == "[]"
