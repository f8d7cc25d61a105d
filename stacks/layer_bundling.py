"""Builds the Lambda layer on this machine, without Docker.

pip downloads the binary wheels of Lambda's platform whatever the host is, so the layer can
be built on any developer machine or CI runner.
"""

import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import jsii
from aws_cdk import ILocalBundling


@jsii.implements(ILocalBundling)
class LayerBundling:
    """Installs `requirements.txt` and copies the `csms` package into `<output>/python/`, with their bytecode
    when an interpreter of the runtime's version is at hand (`compile_bytecode`)."""

    def __init__(self, source_dir: Path, *, platform: str, python_version: str) -> None:
        self._source_dir = source_dir
        self._platform = platform
        self._python_version = python_version

    # ILocalBundling declares the bundling options as keywords, jsii passes them as one
    # positional struct; they are not needed here.
    def try_bundle(self, output_dir: str, *_options: Any, **_keywords: Any) -> bool:
        target = Path(output_dir) / "python"
        subprocess.run(  # noqa: S603 - fixed argument list, no shell
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                # Bytecode compiled by this interpreter would not match the Lambda runtime's: compiled below.
                "--no-compile",
                "--target",
                str(target),
                "--platform",
                self._platform,
                "--implementation",
                "cp",
                "--python-version",
                self._python_version,
                "--only-binary=:all:",
                "--requirement",
                str(self._source_dir / "requirements.txt"),
            ],
            check=True,
        )
        shutil.copytree(
            self._source_dir / "csms", target / "csms", ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
        )
        if not compile_bytecode(target, self._python_version):
            print(
                f"The Lambda layer ships without bytecode: no Python {self._python_version} here to compile it "
                f"(put python{self._python_version} on PATH). Lambda then compiles every module a cold start "
                "imports from the layer.",
                file=sys.stderr,
            )
        return True


def compile_bytecode(directory: Path, python_version: str) -> bool:
    """Compile every module under `directory` for Python `python_version` ("3.12"), if an interpreter of that
    version is at hand (this one, or `python3.12` on PATH); False if none is.

    Lambda cannot write bytecode into a layer (`/opt` is read-only), so a layer without it makes every cold
    start compile each module it imports, which costs more than the import itself (README, "Cold start"). Bytecode
    is specific to a Python version, hence an interpreter of the runtime's. It is hash-based and unchecked:
    the layer's files never change once deployed, and their modification times, which a timestamp-based
    check compares, are not kept by every way a zip is made.
    """
    interpreter = bytecode_interpreter(python_version)
    if interpreter is None:
        return False
    subprocess.run(  # noqa: S603 - fixed argument list, no shell
        [interpreter, "-m", "compileall", "-q", "-j", "0", "--invalidation-mode", "unchecked-hash", str(directory)],
        check=True,
    )
    return True


@cache
def bytecode_interpreter(python_version: str) -> str | None:
    """An interpreter of `python_version` at hand, which can compile the layer's bytecode; None if none is.

    One on PATH is asked its version: a pyenv shim of a version that is not installed is on PATH and fails."""
    if f"{sys.version_info.major}.{sys.version_info.minor}" == python_version:
        return sys.executable
    candidate = shutil.which(f"python{python_version}")
    if candidate is None:
        return None
    asked = subprocess.run(  # noqa: S603 - fixed argument list, no shell
        [candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
        capture_output=True,
        text=True,
        check=False,
    )
    return candidate if asked.returncode == 0 and asked.stdout.strip() == python_version else None
