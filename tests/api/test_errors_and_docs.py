"""One error shape for every error, and the OpenAPI document and Swagger UI generated from the routes."""

from openapi_spec_validator import validate

from csms.api.app import app
from tests.api.conftest import OperatorApi


def test_validation_errors_say_what_and_where(api: OperatorApi) -> None:
    response = api.request("PUT", "/api/chargers/CP-1", {"password": "short"})

    assert response.status == 422
    assert response.body == {
        "statusCode": 422,
        "message": "Invalid request",
        "reasons": ["body.password: String should have at least 8 characters"],
    }


def test_page_parameters_are_checked(api: OperatorApi) -> None:
    for limit in (0, 501):
        response = api.get("/api/id-tokens", limit=limit)
        assert response.status == 422
        assert [reason.split(":")[0] for reason in response.body["reasons"]] == ["query.limit"]

    response = api.get("/api/transactions", nextToken="bm90IGEgdG9rZW4")

    assert response.body == {
        "statusCode": 400,
        "message": "Invalid nextToken: pass one a previous page returned",
    }


def test_an_unknown_route_is_404_in_the_same_shape(api: OperatorApi) -> None:
    response = api.get("/api/nothing-here")

    assert (response.status, set(response.body)) == (404, {"statusCode", "message"})


def test_the_openapi_document_is_valid_and_describes_every_route(api: OperatorApi) -> None:
    response = api.get("/api/openapi.json")

    assert response.status == 200
    document = response.body
    validate(document)
    routes = {
        (route.method.lower(), route.openapi_path)
        for route in app._static_routes + app._dynamic_routes  # every registered route
        if route.include_in_schema
    }
    documented = {(method, path) for path, operations in document["paths"].items() for method in operations}
    assert documented == routes
    assert ("delete", "/api/chargers/{charger_id}") in documented
    assert ("get", "/api/reservations/{charger_id}/{reservation_id}") in documented
    assert "/api/openapi.json" not in document["paths"]
    assert "/api/docs" not in document["paths"]


def test_every_error_response_is_documented_as_the_error_model(api: OperatorApi) -> None:
    document = api.get("/api/openapi.json").body
    # The remote-command routes (csms.api.routes.commands) document their own responses.
    checked = [
        (route.method.lower(), route.openapi_path)
        for route in app._static_routes + app._dynamic_routes
        if route.include_in_schema and route.func.__module__ != "csms.api.routes.commands"
    ]

    assert set(document["components"]["schemas"]["Error"]["properties"]) == {"statusCode", "message", "reasons"}
    for method, path in checked:
        responses = document["paths"][path][method]["responses"]
        # 401 is API Gateway's own answer ({"message": "Unauthorized"}), before the function runs.
        errors = {status: response for status, response in responses.items() if int(status) >= 400 and status != "401"}
        assert "422" in errors, (method, path)
        for status, response in errors.items():
            assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}, (
                method,
                path,
                status,
            )
    assert set(document["paths"]["/api/chargers/{charger_id}"]["get"]["responses"]) == {
        "200",
        "401",
        "403",
        "404",
        "422",
    }


def test_swagger_ui_is_served(api: OperatorApi) -> None:
    response = api.get("/api/docs")

    assert response.status == 200
    assert response.headers["Content-Type"] == "text/html"
    assert "swagger-ui" in response.text
    assert "CSMS operator API" in response.text
