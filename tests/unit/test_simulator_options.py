"""Where `csms simulate` registers its fleet when only a token is given: the operator API beside the OCPP URL."""

import pytest

from csms.simulator.options import operator_api_beside


@pytest.mark.parametrize(
    ("ocpp_url", "api_url"),
    [
        ("ws://127.0.0.1:9000/ocpp", "http://127.0.0.1:9000/api"),
        ("ws://localhost:9000/ocpp/", "http://localhost:9000/api"),
        ("wss://d111.cloudfront.net/ocpp", "https://d111.cloudfront.net/api"),
        ("ws://[::1]:8080/some/prefix/ocpp?x=1", "http://[::1]:8080/api"),
    ],
)
def test_the_operator_api_is_on_the_same_host(ocpp_url: str, api_url: str) -> None:
    assert operator_api_beside(ocpp_url) == api_url
