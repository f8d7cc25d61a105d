"""Builds the Lambda layer on this machine, without Docker.

pip downloads the binary wheels of Lambda's platform whatever the host is, so the layer can
be built on any developer machine or CI runner.
"""

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsii
from aws_cdk import ILocalBundling


@jsii.implements(ILocalBundling)
class LayerBundling:
    """Installs `requirements.txt` and copies the `csms` package into `<output>/python/`."""

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
                # Bytecode compiled by this interpreter would not match the Lambda runtime's.
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
        return True
