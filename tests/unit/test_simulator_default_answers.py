"""The simulator answers every call a CSMS can send with a payload its response schema accepts."""

import json
from importlib import resources

import jsonschema
import pytest

from csms.simulator.default_answers import default_answer

SCHEMA_PACKAGES = {"1.6": "ocpp.v16", "2.0.1": "ocpp.v201"}


def response_schemas(version: str) -> list[str]:
    names = [f.name for f in resources.files(SCHEMA_PACKAGES[version]).joinpath("schemas").iterdir()]
    return sorted(name.removesuffix("Response.json") for name in names if name.endswith("Response.json"))


@pytest.mark.parametrize(
    ("version", "action"), [(version, action) for version in SCHEMA_PACKAGES for action in response_schemas(version)]
)
def test_the_default_answer_is_valid(version: str, action: str) -> None:
    schema_file = resources.files(SCHEMA_PACKAGES[version]).joinpath("schemas", f"{action}Response.json")
    answer = default_answer(version, action)

    jsonschema.validate(answer, json.loads(schema_file.read_text()))


def test_a_status_is_accepted_where_the_schema_allows_it() -> None:
    assert default_answer("2.0.1", "SetNetworkProfile") == {"status": "Accepted"}
    assert default_answer("1.6", "GetLocalListVersion") == {"listVersion": 0}


def test_an_action_without_a_schema_has_no_default() -> None:
    assert default_answer("1.6", "RequestStartTransaction") is None
