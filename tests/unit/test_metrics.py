"""The CSMS's metrics: counts with their dimensions, as the handlers publish them (EMF on stdout)."""

import json
import threading
from typing import Any

import pytest

from csms import metric_names
from csms.commands.workflow_definition import Step, StepError
from csms.composition import Services
from csms.observability import metrics
from csms.wire.versions import OcppVersion
from tests.metrics import PublishedMetrics
from tests.unit.stations import CALL, CALLRESULT, Station

V16, V201 = OcppVersion.V16, OcppVersion.V201


@pytest.fixture
def published(capsys: pytest.CaptureFixture[str]) -> PublishedMetrics:
    return PublishedMetrics(capsys)


@pytest.fixture
def services(fake_services: Services) -> Services:
    fake_services.charge_points.connected("CP-1", "conn-1", V16)
    return fake_services


def dimensions(document: dict[str, Any]) -> list[list[str]]:
    return [sorted(names) for names in document["_aws"]["CloudWatchMetrics"][0]["Dimensions"]]


# Publishing -----------------------------------------------------------------------------------


def test_each_set_of_dimensions_is_a_document_of_its_own(published: PublishedMetrics) -> None:
    metrics.count(metric_names.CALLS, action="Heartbeat")
    metrics.count(metric_names.CALLS, action="Heartbeat")
    metrics.count(metric_names.CALLS, action="MeterValues")
    metrics.count(metric_names.CONNECTS)
    metrics.publish()

    assert published.total(metric_names.CALLS, action="Heartbeat") == 2
    assert published.total(metric_names.CALLS, action="MeterValues") == 1
    assert published.total(metric_names.CONNECTS) == 1
    assert sorted(map(dimensions, published.documents)) == [
        [["action", "service"]],
        [["action", "service"]],
        [["service"]],
    ]
    assert {d["_aws"]["CloudWatchMetrics"][0]["Namespace"] for d in published.documents} == {"Csms"}
    assert {d["service"] for d in published.documents} == {"csms"}


def test_nothing_is_printed_while_metrics_are_disabled(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Powertools prints a document when a metric reaches 100 values, even with metrics disabled:
    `csms local` printed EMF lines among its logs every 100 frames."""
    metrics.clear()
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    for _ in range(250):
        metrics.count(metric_names.CALLS, action="Heartbeat")
    metrics.publish()

    assert capsys.readouterr().out == ""


def test_a_metric_of_more_than_100_values_is_published_whole(published: PublishedMetrics) -> None:
    for _ in range(150):
        metrics.count(metric_names.CALLS, action="Heartbeat")
    metrics.publish()

    assert published.total(metric_names.CALLS, action="Heartbeat") == 150


def test_what_another_thread_counts_is_its_invocations_to_publish(published: PublishedMetrics) -> None:
    other = threading.Thread(target=metrics.count, args=(metric_names.CONNECTS,))
    other.start()
    other.join()
    metrics.count(metric_names.DISCONNECTS)
    metrics.publish()

    assert published.total(metric_names.DISCONNECTS) == 1
    assert published.total(metric_names.CONNECTS) == 0


def test_an_invocation_publishes_what_it_counted_even_when_it_raises(published: PublishedMetrics) -> None:
    @metrics.log_metrics
    def handler(event: Any, context: Any) -> None:
        metrics.count(metric_names.CONNECTS)
        raise RuntimeError(event)

    with pytest.raises(RuntimeError):
        handler("boom", None)

    assert published.total(metric_names.CONNECTS) == 1


# What the handlers count ----------------------------------------------------------------------


def test_calls_and_call_errors_per_action(services: Services, published: PublishedMetrics) -> None:
    station = Station(services, V16)
    station.call("Heartbeat", {})
    station.call("Heartbeat", {})
    station.call_error("Heartbeat", {"unexpected": 1})
    station.call_error("GetVariables", {})  # an OCPP 2.0.1 action, not 1.6's
    station.call_error("MadeUp", {})  # a charge point must not create metrics, each billed
    station.send("not json")
    metrics.publish()

    assert published.total(metric_names.CALLS, action="Heartbeat") == 2
    assert published.total(metric_names.CALL_ERRORS, action="Heartbeat") == 1
    assert published.total(metric_names.CALL_ERRORS, action=metric_names.UNKNOWN_ACTION) == 3
    assert published.total(metric_names.CALL_ERRORS) == 4
    assert published.total(metric_names.INTERNAL_ERRORS) == 0
    actions = {d.get("action") for d in published.documents}
    assert actions == {"Heartbeat", metric_names.UNKNOWN_ACTION}


def test_a_handler_failure_counts_as_an_internal_error(
    services: Services, published: PublishedMetrics, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: Any) -> None:
        raise RuntimeError("DynamoDB is throttling")

    monkeypatch.setattr(services.charge_points, "heartbeat", fail)
    reply = Station(services, V16).send(json.dumps([CALL, "m-1", "Heartbeat", {}]))

    assert reply is not None
    assert reply[2] == "InternalError"
    metrics.publish()
    assert published.total(metric_names.CALL_ERRORS, action="Heartbeat") == 1
    assert published.total(metric_names.INTERNAL_ERRORS) == 1


def test_command_outcomes_per_action(services: Services, published: PublishedMetrics) -> None:
    station = Station(services, V16)
    accepted = services.commands.submit("CP-1", "ClearCache", {})
    rejected = services.commands.submit("CP-1", "ClearCache", {})
    services.charge_points.connected("CP-9", "conn-9", V16)
    services.charge_points.disconnected("conn-9", "CP-9")
    offline = services.commands.submit("CP-9", "Reset", {"type": "Soft"})
    for command, answer in ((accepted, {"status": "Accepted"}), (rejected, {"status": "Rejected"})):
        state = {"commandId": command.command_id, "timeoutSeconds": 30}
        services.command_workflow.perform(Step.ACQUIRE_LOCK, state, "lock")
        services.command_workflow.perform(Step.SEND, state, "send")
        message_id = services.commands.get(command.command_id).message_id  # type: ignore[union-attr]
        station.send(json.dumps([CALLRESULT, message_id, answer]))
        recorded = {"response": answer, "answeredAt": "2026-01-01T00:00:00Z"}
        services.command_workflow.perform(Step.RECORD_ANSWER, {**state, "answer": recorded}, "record")
    failure = {"Error": StepError.OFFLINE.value, "Cause": "CP-9 is not connected"}
    state = {"commandId": offline.command_id, "timeoutSeconds": 30, "failure": failure}
    services.command_workflow.perform(Step.RECORD_FAILURE, state, "failure")
    metrics.publish()

    outcomes = metric_names.COMMAND_OUTCOMES
    assert published.total(outcomes, action="ClearCache", outcome="Accepted") == 1
    assert published.total(outcomes, action="ClearCache", outcome="Rejected") == 1
    assert published.total(outcomes, action="Reset", outcome="Offline") == 1
    assert published.total(outcomes) == 3


def test_a_billing_run_counts_itself_and_its_invoices(services: Services, published: PublishedMetrics) -> None:
    services.billing.run()
    metrics.publish()

    assert published.total(metric_names.BILLING_RUNS) == 1
    assert published.total(metric_names.INVOICES_ISSUED) == 0
    assert published.total(metric_names.BILLING_FAILURES) == 0
