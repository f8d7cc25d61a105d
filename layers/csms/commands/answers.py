"""A charge point's CALLRESULT or CALLERROR, matched to the CSMS call it answers."""

from datetime import datetime

from csms.commands.models import PendingCall
from csms.commands.ports import CallRepository, TaskCompleter
from csms.commands.queue import CommandQueue
from csms.commands.workflow_definition import StepError
from csms.domain.ports import Clock
from csms.observability import logger
from csms.timeutil import format_timestamp
from csms.wire import ocpp_library
from csms.wire.errors import CallErrorReply
from csms.wire.frames import Answer, CallError, InvalidAnswer
from csms.wire.versions import OcppVersion


class CallAnswers:
    def __init__(self, calls: CallRepository, queue: CommandQueue, tasks: TaskCompleter, clock: Clock) -> None:
        self._calls = calls
        self._queue = queue
        self._tasks = tasks
        self._clock = clock

    def received(self, message: Answer, charge_point_id: str, version: OcppVersion) -> None:
        """Resume the command's workflow: the response if it is valid for the action sent, else fail it.

        A CALLERROR fails the Send step with its code as the error name, an invalid answer fails it
        as InvalidResponse; an answer to no pending call (unknown, answered already, or late) is
        dropped: OCPP gives nothing to reply to it.
        """
        now = self._clock.now()
        if isinstance(message, InvalidAnswer):
            pending = self._claim(charge_point_id, message.message_id, now) if message.message_id else None
            if pending is not None:
                self._tasks.fail(pending.task_token, StepError.INVALID_RESPONSE, f"Invalid answer: {message.reason}")
            else:
                logger.info("Invalid answer dropped", extra={"message_id": message.message_id})
            return
        if isinstance(message, CallError):
            error: dict[str, object] = {
                "errorCode": message.code,
                "errorDescription": message.description,
                "errorDetails": message.details,
            }
            pending = self._claim(charge_point_id, message.message_id, now, error=error)
            if pending is not None:
                self._tasks.fail(pending.task_token, message.code, message.description)
            return
        pending = self._claim(charge_point_id, message.message_id, now, payload=message.payload)
        if pending is None:
            return
        try:
            ocpp_library.validate_result(message, pending.action, version)
        except CallErrorReply as invalid:
            # The library's cause, without the schema excerpt it appends.
            reason = str(invalid.details.get("cause") or invalid.description).splitlines()[0]
            self._tasks.fail(pending.task_token, StepError.INVALID_RESPONSE, f"{version.spell(invalid.code)}: {reason}")
            return
        self._tasks.succeed(pending.task_token, {"response": message.payload, "answeredAt": format_timestamp(now)})

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
        self._queue.leave(charge_point_id, pending.ticket)
        return pending
