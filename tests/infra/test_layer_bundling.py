"""The layer's bytecode, compiled by an interpreter of the runtime's version (here: this interpreter's)."""

import subprocess
import sys
from importlib.util import cache_from_source
from pathlib import Path

import pytest

from stacks.layer_bundling import bytecode_interpreter, compile_bytecode

THIS_VERSION = f"{sys.version_info.major}.{sys.version_info.minor}"
HASH_BASED_UNCHECKED = 0b01  # the flags of a pyc's header (PEP 552): hash-based, source not checked


def _package(directory: Path) -> Path:
    module = directory / "python" / "layered" / "module.py"
    module.parent.mkdir(parents=True)
    (module.parent / "__init__.py").write_text("")
    module.write_text("ANSWER = 42\n")
    return module


def test_every_module_is_compiled_hash_based_for_the_runtimes_version(tmp_path: Path) -> None:
    module = _package(tmp_path)

    assert compile_bytecode(tmp_path / "python", THIS_VERSION)

    bytecode = Path(cache_from_source(str(module)))
    assert bytecode.exists()
    assert int.from_bytes(bytecode.read_bytes()[4:8], "little") == HASH_BASED_UNCHECKED
    assert Path(cache_from_source(str(module.parent / "__init__.py"))).exists()


def test_the_bytecode_is_imported_without_looking_at_the_source(tmp_path: Path) -> None:
    """Neither its time nor its content, which a zip and its extraction could change (the time): a source changed
    after compiling still imports as compiled."""
    module = _package(tmp_path)
    compile_bytecode(tmp_path / "python", THIS_VERSION)
    module.write_text("ANSWER = 7\n")

    answer = subprocess.run(
        [sys.executable, "-c", "import layered.module; print(layered.module.ANSWER)"],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(tmp_path / "python"), "PYTHONDONTWRITEBYTECODE": "1"},
    ).stdout

    assert answer.strip() == "42"


def test_without_an_interpreter_of_that_version_nothing_is_compiled(tmp_path: Path) -> None:
    module = _package(tmp_path)

    assert not compile_bytecode(tmp_path / "python", "3.99")
    assert not Path(cache_from_source(str(module))).exists()


def test_an_interpreter_on_path_that_fails_is_not_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A pyenv shim of a version that is not installed: on PATH, exits 127."""
    shim = tmp_path / "bin" / "python3.98"
    shim.parent.mkdir()
    shim.write_text("#!/bin/sh\nexit 127\n")
    shim.chmod(0o755)
    monkeypatch.setenv("PATH", str(shim.parent))
    bytecode_interpreter.cache_clear()

    assert bytecode_interpreter("3.98") is None
    assert not compile_bytecode(_package(tmp_path).parents[1], "3.98")
