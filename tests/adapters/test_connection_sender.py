"""`ApiGatewayConnectionSender` against a stubbed API Gateway Management API client."""

from collections.abc import Iterator

import pytest
from botocore.stub import Stubber

from csms.adapters.connection_sender import ApiGatewayConnectionSender
from csms.domain.ports import ConnectionGoneError

ENDPOINT = "https://abc123.execute-api.us-east-1.amazonaws.com/ocpp"


@pytest.fixture
def sender() -> ApiGatewayConnectionSender:
    return ApiGatewayConnectionSender(ENDPOINT)


@pytest.fixture
def stub(sender: ApiGatewayConnectionSender) -> Iterator[Stubber]:
    with Stubber(sender._client) as stubber:
        yield stubber
        stubber.assert_no_pending_responses()


def test_the_client_talks_to_the_configured_endpoint(sender: ApiGatewayConnectionSender) -> None:
    assert sender._client.meta.endpoint_url == ENDPOINT


def test_send_posts_the_frame_to_the_connection(sender: ApiGatewayConnectionSender, stub: Stubber) -> None:
    # Given API Gateway expecting the frame as UTF-8 bytes for conn-1
    frame = '[3,"m-1",{"currentTime":"2026-11-23T12:00:00.000Z","note":"\u00e9"}]'
    stub.add_response("post_to_connection", {}, {"ConnectionId": "conn-1", "Data": frame.encode()})

    # When the frame is sent
    sender.send("conn-1", frame)

    # Then exactly that request was made (the stubber checks the parameters)


def test_send_to_a_gone_connection_raises_connection_gone(sender: ApiGatewayConnectionSender, stub: Stubber) -> None:
    # Given a connection API Gateway no longer knows
    stub.add_client_error("post_to_connection", service_error_code="GoneException", http_status_code=410)

    # When a frame is sent to it
    with pytest.raises(ConnectionGoneError) as gone:
        sender.send("conn-gone", '[3,"m",{}]')

    # Then the domain's error says which connection
    assert gone.value.args == ("conn-gone",)


def test_other_send_failures_are_not_mistaken_for_gone(sender: ApiGatewayConnectionSender, stub: Stubber) -> None:
    stub.add_client_error("post_to_connection", service_error_code="LimitExceededException", http_status_code=429)

    with pytest.raises(sender._client.exceptions.LimitExceededException):
        sender.send("conn-1", '[3,"m",{}]')


def test_close_deletes_the_connection(sender: ApiGatewayConnectionSender, stub: Stubber) -> None:
    stub.add_response("delete_connection", {}, {"ConnectionId": "conn-1"})

    sender.close("conn-1")


def test_close_of_a_gone_connection_is_silent(sender: ApiGatewayConnectionSender, stub: Stubber) -> None:
    stub.add_client_error("delete_connection", service_error_code="GoneException", http_status_code=410)

    sender.close("conn-gone")  # must not raise
