"""The OpenAPI document and Swagger UI: open to anyone (they hold no data), and Swagger UI signed in at once
when a signed-in user follows a link that carries their token in the fragment."""

import pytest

from tests.api.conftest import OperatorApi

NOBODY = OperatorApi({})  # no token: API Gateway routes the documentation without its authorizer


@pytest.mark.parametrize("path", ["/api/docs", "/api/openapi.json"])
def test_the_documentation_needs_no_token_nor_role(path: str) -> None:
    response = NOBODY.get(path)

    assert response.status == 200, response.text
    assert NOBODY.get("/api/chargers").status == 403  # what it describes does


def test_swagger_ui_keeps_the_token_and_takes_one_from_the_address(api: OperatorApi) -> None:
    page = NOBODY.get("/api/docs").text

    assert "persistAuthorization: true" in page
    # `/api/docs#token=...`: the fragment's token goes into "Authorize" (the bearer scheme) and leaves the address
    script = page[page.index("URLSearchParams(window.location.hash") :]
    assert 'get("token")' in script
    assert "window.history.replaceState" in script
    assert 'ui.preauthorizeApiKey("bearer", token)' in script
    assert page.count(script) == 1
    assert page.index(script) < page.index("SwaggerUIBundle(")  # before Swagger UI starts
    assert 'window.addEventListener("load"' in script
    assert '"bearer"' in NOBODY.get("/api/openapi.json").text
