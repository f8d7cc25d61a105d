"""A charge point's CALLRESULT or CALLERROR, matched to the CSMS call it answers."""

from datetime import datetime

from ocpp.messages import CallError, CallResult

from csms.commands.models import PendingCall
from csms.commands.ports import CallRepository, TaskCompleter
from csms.commands.workflow_definition import StepError
from csms.domain.ports import Clock
from csms.observability import logger
from csms.ocpp import frames
from csms.ocpp.errors import CallErrorReply
from csms.ocpp_versions import OcppVersion
from csms.timeutil import format_timestamp


class CallAnswers:
    def __init__(self, calls: CallRepository, tasks: TaskCompleter, clock: Clock) -> None:
        self._calls = calls
        self._tasks = tasks
        self._clock = clock

    def received(self, message: CallResult | CallError, charge_point_id: str, version: OcppVersion) -> None:
        """Resume the command's workflow: the response if it is valid for the action sent, else fail it.

        A CALLERROR fails the Send step with its code as the error name; an answer to no pending
        call (unknown, answered already, or late) is dropped: OCPP gives nothing to reply to it.
        """
        now = self._clock.now()
        if isinstance(message, CallError):
            error = {
                "errorCode": message.error_code,
                "errorDescription": message.error_description,
                "errorDetails": message.error_details,
            }
            pending = self._claim(charge_point_id, message.unique_id, now, error=error)
            if pending is not None:
                self._tasks.fail(pending.task_token, str(message.error_code), str(message.error_description))
            return
        payload = message.payload if isinstance(message.payload, dict) else {"value": message.payload}
        pending = self._claim(charge_point_id, message.unique_id, now, payload=payload)
        if pending is None:
            return
        message.action = pending.action
        try:
            frames.validate(message, version)
        except CallErrorReply as invalid:
            # The library's cause, without the schema excerpt it appends.
            reason = str(invalid.details.get("cause") or invalid.description).splitlines()[0]
            self._tasks.fail(pending.task_token, StepError.INVALID_RESPONSE, f"{invalid.code}: {reason}")
            return
        # `payload`, not `message.payload`: validation may have re-parsed the latter with Decimals.
        self._tasks.succeed(pending.task_token, {"response": payload, "answeredAt": format_timestamp(now)})

    def _claim(
        self,
        charge_point_id: str,
        message_id: str,
        at: datetime,
        payload: dict[str, object] | None = None,
        error: dict[str, object] | None = None,
    ) -> PendingCall | None:
        pending = self._calls.claim_answer(charge_point_id, message_id, at, payload=payload, error=error)
        if pending is None:
            logger.info("Answer to no pending call dropped", extra={"message_id": message_id})
            return None
        # The charge point may take its next call now.
        self._calls.release_lock(charge_point_id, pending.command_id)
        return pending
