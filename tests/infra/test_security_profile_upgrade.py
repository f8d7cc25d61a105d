"""The security profile upgrade sets the OCPP endpoint's URL in a 2.0.1 charger's network profile: the operator API
knows it from the stack (the CloudFront distribution's wss:// URL)."""

import json
from typing import Any

from csms import constants
from csms.function_catalogue import OPERATOR_API
from tests.infra.queries import function_id, of_type


def test_the_operator_api_knows_where_charge_points_connect(resources: dict[str, Any]) -> None:
    variables = resources[function_id(resources, OPERATOR_API.module)]["Properties"]["Environment"]["Variables"]

    url = json.dumps(variables[constants.ENV_CSMS_OCPP_URL])
    assert url.startswith('{"Fn::Join": ["", ["wss://"')
    assert url.endswith(f'"{constants.OCPP_PATH_PREFIX}"]]}}')
    [ocpp_distribution] = [
        logical_id
        for logical_id, properties in of_type(resources, "AWS::CloudFront::Distribution").items()
        if properties["Properties"]["DistributionConfig"].get("Comment") == "OCPP-J WebSocket endpoint"
    ]
    assert ocpp_distribution in url
