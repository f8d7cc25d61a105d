"""The operator API imports a resource's routes on the first request to it (`csms.api.route_modules`): every
route must still answer its first request, whichever came before, and the document must not change."""

import json
import os
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import csms.api.routes
from csms.api.app import app
from csms.api.route_modules import MODULE_NAMES, modules_serving
from csms.api.routes import files
from tests.api.conftest import OperatorApi

ROOT = Path(__file__).resolve().parents[2]
# In a fresh interpreter, a new resolver for each request (so that nothing a request before it loaded helps),
# whose one middleware answers with the module of the route the request reached (without validation, which
# would answer the requests without a body first).
PROBE = """
import json, sys
from aws_lambda_powertools.event_handler import Response
from csms.api.resolver import OperatorApiResolver
from csms.local.lambda_events import ApiInfo, http_api_event, lambda_context

def reached(resolver, next_middleware):
    return Response(200, "text/plain", resolver.context["_route"].func.__module__)

answers = []
for method, path in json.load(sys.stdin):
    resolver = OperatorApiResolver(enable_validation=False)
    resolver.use([reached])
    api = ApiInfo(api_id="probe", stage="live", domain_name="probe.example")
    event = http_api_event(api, method=method, raw_path="/live" + path, raw_query="", query=[], headers=[],
                           body=b"", source_ip="192.0.2.1", jwt_claims={})
    answers.append(resolver.resolve(event, lambda_context("operator_api"))["body"])
print(json.dumps(answers))
"""


def _output_of(script: str, stdin: str = "") -> str:
    """What `script` prints in a fresh interpreter with the functions' import path."""
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "layers"), str(ROOT)])}
    return subprocess.run(  # noqa: S603 - this interpreter, a fixed probe
        [sys.executable, "-c", script],
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
        env=environment,
        cwd=ROOT,
    ).stdout


def concrete(path: str) -> str:
    """A path the route matches: `/api/chargers/{charger_id}` as `/api/chargers/CP-1`."""
    return re.sub(r"\{\w+\}", "CP-1", path)


def test_every_route_module_is_loaded_for_its_paths() -> None:
    app.include_all_routes()
    names = {f"{csms.api.routes.__name__}.{module.name}" for module in pkgutil.iter_modules(csms.api.routes.__path__)}

    assert set(MODULE_NAMES) == names
    for route in [*app._static_routes, *app._dynamic_routes]:
        if route.func.__module__ in names:
            path = re.sub(r"<\w+>", "CP-1", route.path)
            assert route.func.__module__ in modules_serving(path), (route.method, route.path)


def test_the_first_request_to_every_documented_operation_reaches_its_route(api: OperatorApi) -> None:
    document = api.get("/api/openapi.json").body
    operations = [(method.upper(), concrete(path)) for path, item in document["paths"].items() for method in item]
    answers = _output_of(PROBE, json.dumps(operations))

    reached = dict(zip(operations, json.loads(answers), strict=True))
    assert all(module.startswith(f"{csms.api.routes.__name__}.") for module in reached.values()), reached
    assert reached[("GET", concrete("/api/files/{token}"))] == files.__name__


def test_the_document_is_the_same_whichever_resources_were_requested_first() -> None:
    """Routes are kept in the order of `ROUTE_MODULES`, not of the requests that loaded them."""
    document = "from csms.api.app import app\n{}\nprint(app.get_openapi_json_schema())"

    after_files_and_firmware = _output_of(
        document.format("app.include_routes(['csms.api.routes.files', 'csms.api.routes.firmware'])")
    )

    assert after_files_and_firmware == _output_of(document.format(""))
