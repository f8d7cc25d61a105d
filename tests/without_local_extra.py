"""Runs `csms` in a new interpreter as after `pip install .` without the `local` extra: a
`sitecustomize` on the path installs an import hook that finds no moto and no websockets."""

import os
import subprocess
import sys
from pathlib import Path

LOCAL_EXTRA_MODULES = ("moto", "websockets")

SITECUSTOMIZE = f"""
import sys

HIDDEN = {LOCAL_EXTRA_MODULES!r}


class WithoutLocalExtra:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in HIDDEN:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None


sys.meta_path.insert(0, WithoutLocalExtra())
"""


def environment_without_local_extra(directory: Path, **variables: str) -> dict[str, str]:
    """The environment of an interpreter in which moto and websockets cannot be imported."""
    (directory / "sitecustomize.py").write_text(SITECUSTOMIZE)
    path = os.pathsep.join(filter(None, [str(directory), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": path, **variables}


def csms_command(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "csms.cli", *arguments]


def run_csms(directory: Path, *arguments: str, **variables: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - this interpreter, the project's own command
        csms_command(*arguments),
        capture_output=True,
        text=True,
        env=environment_without_local_extra(directory, **variables),
        timeout=120,
        check=False,
    )
