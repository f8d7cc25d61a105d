"""One bad session never stops a run: billing and cost updates price each session in isolation.

A session whose stored values cannot be priced (stored before the limits at the door existed, or
priced by a tariff the money code cannot handle) fails alone: the failure is recorded on its
transaction, counted in a metric and reported by the run, and the other sessions are invoiced or
updated. On the in-memory fakes and on the DynamoDB adapters (moto), and through the scheduled
Lambda functions.
"""

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, cast

import boto3
import pytest
from aws_lambda_powertools.utilities.typing import LambdaContext

from csms import constants
from csms.billing.invoices import BillingRun, invoice_id
from csms.composition import Services
from csms.domain.meter_series import TransactionSeries
from csms.domain.models import MeterReading, RecordedError, Transaction, TransactionStatus
from csms.domain.tariffs import Tariff
from csms.local.lambda_events import lambda_context
from csms.ocpp.v201 import mappers as v201_mappers
from csms.wire.versions import OcppVersion
from functions import billing_run, cost_updates
from tests.fakes import FixedClock
from tests.metrics import PublishedMetrics
from tests.wired import handler_services

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TARIFF = Tariff(tariff_id="default", currency="EUR", price_per_kwh=Decimal("0.30"))
ABSURD_WH = Decimal(10**30)


@pytest.fixture(params=["fakes", "dynamodb"])
def services(request: pytest.FixtureRequest, clock: FixedClock) -> Services:
    clock.current = START + timedelta(hours=2)
    return cast(Services, request.getfixturevalue("fake_services" if request.param == "fakes" else "dynamodb_services"))


@pytest.fixture
def published(capsys: pytest.CaptureFixture[str]) -> PublishedMetrics:
    return PublishedMetrics(capsys)


def completed(services: Services, charge_point_id: str, meter_stop: Decimal, tariff: Tariff = TARIFF) -> Transaction:
    """A completed 1.6 session of 1000 Wh up to `meter_stop`, stored as any (older) code may have stored it."""
    active = Transaction(
        charge_point_id=charge_point_id,
        transaction_id="1",
        ocpp_version=OcppVersion.V16,
        status=TransactionStatus.ACTIVE,
        started_at=START,
        id_token="TAG",
        meter_start=Decimal(1000),
        tariff=tariff,
    )
    services.repositories.transactions.create_once(active)
    done = replace(
        active, status=TransactionStatus.COMPLETED, stopped_at=START + timedelta(hours=1), meter_stop=meter_stop
    )
    assert services.repositories.transactions.complete(done)
    return done


def running(services: Services, charge_point_id: str, meter_start: Decimal, started_at: datetime = START) -> None:
    """An active 2.0.1 session on a connected charger with an energy reading of 5000 Wh 20 minutes in."""
    services.charge_points.connected(charge_point_id, f"conn-{charge_point_id}", OcppVersion.V201)
    transaction = Transaction(
        charge_point_id=charge_point_id,
        transaction_id="tx-1",
        ocpp_version=OcppVersion.V201,
        status=TransactionStatus.ACTIVE,
        started_at=started_at,
        evse_id=1,
        connector_id=1,
        meter_start=meter_start,
        tariff=TARIFF,
    )
    services.repositories.transactions.create_once(transaction)
    reading = MeterReading(
        started_at + timedelta(minutes=20),
        (v201_mappers.sampled_value({"value": 5000, "measurand": "Energy.Active.Import.Register"}),),
    )
    services.repositories.meter_values.put(TransactionSeries(charge_point_id, "tx-1"), [reading])


# Billing --------------------------------------------------------------------------------------


def test_a_billing_run_invoices_the_others_and_records_the_session_it_cannot_price(
    services: Services, clock: FixedClock, published: PublishedMetrics
) -> None:
    # Given two normal sessions and one whose meterStop is 10^30 Wh
    completed(services, "CP-1", Decimal(3000))
    completed(services, "CP-2", ABSURD_WH)
    completed(services, "CP-3", Decimal(5000))

    # When billing runs
    run = services.billing.run()

    # Then the normal ones are invoiced
    assert sorted(run.invoiced) == sorted([invoice_id("CP-1", "1"), invoice_id("CP-3", "1")])
    # And the absurd one is reported, recorded on its transaction and counted
    [failed] = run.failed
    assert (failed.charge_point_id, failed.transaction_id) == ("CP-2", "1")
    assert f"{ABSURD_WH} Wh" in failed.reason
    stored = services.repositories.transactions.get("CP-2", "1")
    assert stored is not None
    assert stored.billing_error == RecordedError(failed.reason, clock.now())
    published.publish_buffered()
    assert published.total("BillingFailures") == 1
    # And it left the queue: the next run neither retries nor reports it
    assert services.repositories.invoices.pending() == []
    assert services.billing.run() == BillingRun()


def test_a_tariff_the_money_code_cannot_handle_fails_that_session_alone(services: Services) -> None:
    completed(services, "CP-1", Decimal(3000))
    completed(services, "CP-2", Decimal(3000), replace(TARIFF, price_per_kwh=Decimal("1E+40")))

    run = services.billing.run()

    assert run.invoiced == [invoice_id("CP-1", "1")]
    assert [(failed.charge_point_id, failed.transaction_id) for failed in run.failed] == [("CP-2", "1")]
    assert "cannot be priced" in run.failed[0].reason


# Cost updates ---------------------------------------------------------------------------------


def test_a_cost_update_run_updates_the_others_and_records_the_session_it_cannot_price(
    services: Services, clock: FixedClock, published: PublishedMetrics
) -> None:
    # Given two normal sessions and one whose stored meterStart is -10^30 Wh
    running(services, "CS-1", Decimal(1000))
    running(services, "CS-2", -ABSURD_WH)
    running(services, "CS-3", Decimal(1000))
    clock.current = START + timedelta(minutes=25)

    # When the cost update run comes
    run = services.cost_updates.run()

    # Then the normal ones are sent their cost so far (4 kWh x 0.30)
    assert sorted((update.charge_point_id, update.total_cost) for update in run.sent) == [
        ("CS-1", Decimal("1.20")),
        ("CS-3", Decimal("1.20")),
    ]
    # And the absurd one is reported, recorded on its transaction and counted
    [failed] = run.failed
    assert (failed.charge_point_id, failed.transaction_id) == ("CS-2", "tx-1")
    assert "meterStart" in failed.reason
    stored = services.repositories.transactions.get("CS-2", "tx-1")
    assert stored is not None
    assert stored.cost_update_error == RecordedError(failed.reason, clock.now())
    published.publish_buffered()
    assert published.total("CostUpdateFailures") == 1


# The scheduled functions ----------------------------------------------------------------------


def invoke(function: Any) -> dict[str, Any]:
    result: dict[str, Any] = function.handler({}, cast(LambdaContext, lambda_context(function.__name__)))
    return result


@pytest.mark.usefixtures("aws")
def test_the_scheduled_billing_run_reports_and_publishes_its_failures(published: PublishedMetrics) -> None:
    deployed = handler_services()
    completed(deployed, "CP-1", Decimal(3000))
    completed(deployed, "CP-2", ABSURD_WH)

    result = invoke(billing_run)

    assert result == {"invoiced": [invoice_id("CP-1", "1")], "skipped": [], "failed": ["1"]}
    assert published.total("BillingFailures") == 1


@pytest.mark.usefixtures("aws")
def test_the_scheduled_cost_update_run_reports_and_publishes_its_failures(
    published: PublishedMetrics, monkeypatch: pytest.MonkeyPatch
) -> None:
    state_machine = boto3.client("stepfunctions").create_state_machine(
        name="commands",
        definition=json.dumps({"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}}),
        roleArn="arn:aws:iam::123456789012:role/commands",
    )
    monkeypatch.setenv(constants.ENV_COMMAND_STATE_MACHINE_ARN, state_machine["stateMachineArn"])
    deployed = handler_services()
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)  # the deployed services run on the system clock
    running(deployed, "CS-1", Decimal(1000), an_hour_ago)
    running(deployed, "CS-2", -ABSURD_WH, an_hour_ago)

    result = invoke(cost_updates)

    assert [(sent["chargePointId"], sent["totalCost"]) for sent in result["sent"]] == [("CS-1", "1.20")]
    assert result["failed"] == [{"chargePointId": "CS-2", "transactionId": "tx-1"}]
    assert published.total("CostUpdateFailures") == 1
