"""After `pip install .` without the `local` extra (no moto, no websockets): the commands that run the
CSMS or the simulator say what to install and exit 2; the operator CLI does not need the extra."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.without_local_extra import LOCAL_EXTRA_MODULES, environment_without_local_extra, run_csms


@pytest.mark.parametrize("module", LOCAL_EXTRA_MODULES)
def test_the_interpreter_finds_no_module_of_the_local_extra(tmp_path: Path, module: str) -> None:
    probe = subprocess.run(  # noqa: S603 - this interpreter, a fixed probe
        [sys.executable, "-c", f"import {module}"],
        capture_output=True,
        text=True,
        env=environment_without_local_extra(tmp_path),
        check=False,
    )

    assert f"ModuleNotFoundError: No module named '{module}'" in probe.stderr


@pytest.mark.parametrize(
    "arguments",
    [("local", "--ephemeral", "--port", "0"), ("simulate", "--url", "ws://127.0.0.1:9/ocpp", "--chargers", "1")],
)
def test_a_command_that_needs_the_local_extra_says_what_to_install(tmp_path: Path, arguments: tuple[str, ...]) -> None:
    finished = run_csms(tmp_path, *arguments)

    assert finished.returncode == 2, finished.stderr
    assert "pip install 'csms[local]'" in finished.stderr
    assert "Traceback" not in finished.stderr


def test_the_operator_cli_runs_without_the_local_extra(tmp_path: Path) -> None:
    finished = run_csms(tmp_path, "chargers", "--api-url", "http://127.0.0.1:9/api", "--api-token", "t")

    assert finished.returncode == 5, finished.stderr  # nothing listens on port 9: the API cannot be reached
    assert "Traceback" not in finished.stderr


def test_an_operator_command_imports_no_sdk_nor_library_of_the_csms(tmp_path: Path) -> None:
    probe = (
        "import sys\n"
        "from csms.cli import main\n"
        "code = main(['chargers', '--api-url', 'http://127.0.0.1:9/api', '--api-token', 't'])\n"
        "print(code, *sorted({name.split('.')[0] for name in sys.modules}))"
    )
    finished = subprocess.run(  # noqa: S603 - this interpreter, a fixed probe
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env=environment_without_local_extra(tmp_path),
        check=False,
    )
    code, *imported = finished.stdout.split()

    assert code == "5", finished.stderr
    assert not {"boto3", "botocore", "pydantic", "aws_lambda_powertools", "ocpp", "jsonschema"} & set(imported)
