"""/api/health: open liveness, for GET and for HEAD (uptime probes and load balancers send either)."""

from tests.api.conftest import OperatorApi


def test_get_health(api: OperatorApi) -> None:
    response = api.get("/api/health")
    assert response.status == 200
    assert response.body == {"status": "ok"}


def test_head_health_is_200_without_a_body(api: OperatorApi) -> None:
    response = api.request("HEAD", "/api/health")
    assert response.status == 200
    assert response.text == ""
