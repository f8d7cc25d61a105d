"""What a cold start imports, counted in a fresh interpreter (`bench.cold_import` times it).

A function imports only what its invocations need: one OCPP version's generated classes when a
frame of that version arrives, and the operator API app only in the operator API.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from csms.api import routes
from csms.api.route_modules import MODULE_NAMES
from csms.api.routes import health
from csms.function_catalogue import FUNCTIONS, OPERATOR_API, LambdaFunction, Trigger
from csms.initialization import AHEAD_OF_REQUESTS

ROOT = Path(__file__).resolve().parents[2]


def _output_of(script: str) -> str:
    """What `script` prints, run in a new interpreter with the functions' import path."""
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "layers"), str(ROOT)])}
    return subprocess.run(  # noqa: S603 - this interpreter, a fixed probe
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env=environment, cwd=ROOT
    ).stdout


def _imported_after(probe: str, levels: int = 2) -> set[str]:
    """The top `levels` levels of every module name in `sys.modules` once `probe` has run, in a new interpreter."""
    output = _output_of(f"import sys\n{probe}\nprint('\\n'.join(sys.modules))")
    return {".".join(name.split(".")[:levels]) for name in output.split()}


def test_the_message_function_imports_an_ocpp_version_on_its_first_frame_of_that_version() -> None:
    imported = _imported_after(
        "import functions.ocpp_message\n"
        "from csms.ocpp.registry import registry\n"
        "from csms.wire.versions import OcppVersion\n"
        "assert registry.lookup(OcppVersion.V16, 'BootNotification') is not None"
    )

    assert "ocpp.v16" in imported
    assert "ocpp.v201" not in imported


def test_a_lookup_of_the_other_version_finds_its_handlers() -> None:
    imported = _imported_after(
        "from csms.ocpp.registry import registry\n"
        "from csms.wire.versions import OcppVersion\n"
        "assert registry.lookup(OcppVersion.V201, 'TransactionEvent') is not None\n"
        "assert registry.lookup(OcppVersion.V16, 'StartTransaction') is not None"
    )

    assert {"ocpp.v16", "ocpp.v201"} <= imported


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda function: function.name)
def test_only_the_operator_api_imports_the_operator_api_app(function: LambdaFunction[Trigger]) -> None:
    imported = _imported_after(f"import {function.import_path}")

    assert ("csms.api" in imported) is (function is OPERATOR_API)


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda function: function.name)
def test_a_function_loads_the_ocpp_schemas_and_classes_only_when_it_exchanges_a_frame(
    function: LambdaFunction[Trigger],
) -> None:
    """The library (and jsonschema, which its validation brings) comes with the first frame, or in the
    operator API with the first command it validates."""
    imported = _imported_after(f"import {function.import_path}")

    assert not {"jsonschema", "ocpp.messages", "ocpp.charge_point", "ocpp.v16", "ocpp.v201"} & imported


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda function: function.name)
def test_no_function_imports_pydantic(function: LambdaFunction[Trigger]) -> None:
    """pydantic costs about half of `import boto3`: the operator API validates requests with it, from the first
    route a request reaches; the domain events are plain dataclasses, and the stores write changes without their
    schemas."""
    assert "pydantic" not in _imported_after(f"import {function.import_path}")


# The operator API's first request, in the probe's interpreter: `GET /api/health`, which needs no AWS service.
FIRST_REQUEST = """
from csms.local.lambda_events import ApiInfo, http_api_event, lambda_context
api = ApiInfo(api_id="probe", stage="live", domain_name="probe.example")
event = http_api_event(api, method="GET", raw_path="/live/api/health", raw_query="", query=[], headers=[], body=b"",
                       source_ip="192.0.2.1", jwt_claims={})
answer = functions.operator_api.handler(event, lambda_context("operator_api"))
assert (answer["statusCode"], answer["body"]) == (200, '{"status":"ok"}'), answer
"""
VALIDATION_MIDDLEWARES = "aws_lambda_powertools.event_handler.middlewares.openapi_validation"


def _route_modules(imported: set[str]) -> set[str]:
    return {name for name in imported if name.startswith(f"{routes.__name__}.")}


def test_the_operator_api_validates_with_pydantic_from_the_first_route_a_request_reaches() -> None:
    imported = _imported_after(f"import functions.operator_api\n{FIRST_REQUEST}", levels=4)

    assert "pydantic" in imported
    assert VALIDATION_MIDDLEWARES in imported
    assert _route_modules(imported) == {health.__name__}


@pytest.mark.parametrize("initialization", sorted(AHEAD_OF_REQUESTS))
def test_initialized_ahead_of_requests_the_operator_api_prepares_every_route(initialization: str) -> None:
    """A SnapStart snapshot (or provisioned concurrency) holds what the first requests after it would import."""
    imported = _imported_after(
        f"import os\nos.environ['AWS_LAMBDA_INITIALIZATION_TYPE'] = '{initialization}'\nimport functions.operator_api",
        levels=4,
    )

    assert _route_modules(imported) == set(MODULE_NAMES)
    assert {"pydantic", VALIDATION_MIDDLEWARES} <= imported


def test_prepared_ahead_the_operator_api_answers_its_first_request() -> None:
    imported = _imported_after(
        "import os\nos.environ['AWS_LAMBDA_INITIALIZATION_TYPE'] = 'snap-start'\nimport functions.operator_api\n"
        f"{FIRST_REQUEST}",
        levels=4,
    )

    assert _route_modules(imported) == set(MODULE_NAMES)


@pytest.mark.parametrize("initialization", sorted(AHEAD_OF_REQUESTS))
def test_initialized_ahead_of_requests_the_message_function_loads_both_ocpp_versions(initialization: str) -> None:
    imported = _imported_after(
        f"import os\nos.environ['AWS_LAMBDA_INITIALIZATION_TYPE'] = '{initialization}'\nimport functions.ocpp_message"
    )

    assert {"ocpp.v16", "ocpp.v201", "ocpp.messages", "jsonschema"} <= imported


def test_initialized_on_demand_the_message_function_waits_for_a_frame() -> None:
    imported = _imported_after(
        "import os\nos.environ['AWS_LAMBDA_INITIALIZATION_TYPE'] = 'on-demand'\nimport functions.ocpp_message"
    )

    assert not {"ocpp.v16", "ocpp.v201", "ocpp.messages", "jsonschema"} & imported


@pytest.mark.parametrize(
    "function", [function for function in FUNCTIONS if function is not OPERATOR_API], ids=lambda function: function.name
)
def test_a_function_reads_its_event_without_powertools_event_classes(function: LambdaFunction[Trigger]) -> None:
    """Importing one of Powertools' event data classes (or its batch processor) imports all of them,
    about a tenth of `import boto3`; the few fields a function reads need none."""
    assert "aws_lambda_powertools.utilities.data_classes" not in _imported_after(
        f"import {function.import_path}", levels=4
    )


# Modules of services that the composition root builds on first use (one per feature).
SERVICE_MODULES = {
    "csms.domain.charge_points",
    "csms.domain.transactions",
    "csms.domain.charge_point_administration",
    "csms.commands.service",
    "csms.commands.workflow",
    "csms.billing.cost_updates",
    "csms.billing.invoice_history",
    "csms.domain_events.service",
}


@pytest.mark.parametrize(
    "function", [function for function in FUNCTIONS if function is not OPERATOR_API], ids=lambda function: function.name
)
def test_a_function_imports_no_service_before_its_first_invocation(function: LambdaFunction[Trigger]) -> None:
    """The operator API's routes name the command service's errors; nothing else needs a service to import."""
    assert not SERVICE_MODULES & _imported_after(f"import {function.import_path}", levels=3)


def test_a_service_is_imported_when_first_used_with_what_it_needs_only() -> None:
    imported = _imported_after(
        "import os\n"
        "os.environ.setdefault('AWS_DEFAULT_REGION', 'us-east-1')\n"
        "from csms.composition import get_services\n"
        "get_services().admission",
        levels=3,
    )

    assert "csms.domain.admission" in imported
    assert "csms.adapters.dynamodb" in imported
    assert not SERVICE_MODULES & imported


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda function: function.name)
def test_a_function_reads_its_settings_without_pydantic_settings(function: LambdaFunction[Trigger]) -> None:
    """pydantic-settings alone costs about a fifth of `import boto3` on top of pydantic."""
    assert "pydantic_settings" not in _imported_after(f"import {function.import_path}")


def test_no_function_computes_a_password_hash_when_imported() -> None:
    """A scrypt hash costs tens of milliseconds: a cold start computes one only to check a password."""
    modules = ", ".join(function.import_path for function in FUNCTIONS)
    hashes = _output_of(
        "import hashlib\n"
        "hashes = []\n"
        "scrypt = hashlib.scrypt\n"
        "hashlib.scrypt = lambda *arguments, **options: hashes.append(1) or scrypt(*arguments, **options)\n"
        f"import {modules}\n"
        "print(len(hashes))"
    )

    assert hashes.strip() == "0"
