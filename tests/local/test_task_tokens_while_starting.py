"""A task token sent while another execution is only starting is refused as InvalidToken (which the workflows'
adapter retries), not lost: moto looks for the token in every running execution, and one whose worker has not
started yet has no callbacks to look in (an AttributeError that failed a rebalance step while its charger's
TxDefaultProfile command workflow was starting)."""

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from botocore.exceptions import ClientError
from moto.core import DEFAULT_ACCOUNT_ID
from moto.stepfunctions.parser.api import ExecutionStatus
from moto.stepfunctions.parser.models import stepfunctions_parser_backends

from csms.local.aws_backend import AwsBackend


@pytest.fixture
def backend() -> Iterator[AwsBackend]:
    started = AwsBackend(table_prefix="tokens")
    started.start()
    try:
        yield started
    finally:
        started.stop()


def test_a_token_sent_while_an_execution_starts_is_invalid_for_now(backend: AwsBackend) -> None:
    stepfunctions: Any = backend.client("stepfunctions")
    [machine] = stepfunctions_parser_backends[DEFAULT_ACCOUNT_ID][backend.region].state_machines[:1]
    starting = SimpleNamespace(status=ExecutionStatus.RUNNING, exec_worker=None)  # its worker not started yet
    machine.executions.append(starting)
    try:
        with pytest.raises(ClientError) as refused:
            stepfunctions.send_task_success(taskToken="token-of-a-waiting-task", output="{}")
    finally:
        machine.executions.remove(starting)

    assert refused.value.response["Error"]["Code"] == "InvalidToken"
