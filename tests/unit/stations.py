"""A charge point talking to the dispatcher in-process: raw frames in, decoded replies out."""

import copy
import dataclasses
import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from ocpp.messages import CallResult, _validate_payload

from csms import constants
from csms.commands.workflow_definition import Step
from csms.composition import Services
from csms.ocpp.dispatcher import Dispatcher, build_dispatcher
from csms.ocpp.registry import Session
from csms.timeutil import format_timestamp
from csms.wire.versions import OcppVersion

CALL, CALLRESULT, CALLERROR = 2, 3, 4
# The task tokens of a command's Acquire lock and Send steps, as `command_on_the_wire` performs them.
LOCK_TOKEN, TOKEN = "lock-token", "send-token"


@dataclass
class Station:
    services: Services
    version: OcppVersion
    charge_point_id: str = "CP-1"
    connection_id: str = "conn-1"
    dispatcher: Dispatcher = field(init=False)
    _ids: itertools.count = field(default_factory=itertools.count, init=False)

    def __post_init__(self) -> None:
        self.dispatcher = build_dispatcher(self.services)

    @property
    def session(self) -> Session:
        return Session(self.charge_point_id, self.version, self.connection_id)

    def send(self, raw: str) -> list[Any] | None:
        """One raw frame in; the decoded reply frame, if the CSMS answered."""
        reply = self.dispatcher.process(raw, self.session)
        return None if reply is None else json.loads(reply)

    def next_id(self) -> str:
        return f"msg-{next(self._ids)}"

    def call(self, action: str, payload: dict[str, Any], message_id: str | None = None) -> dict[str, Any]:
        """A CALL that must be answered with a schema-valid CALLRESULT; returns its payload."""
        message_id = message_id or self.next_id()
        reply = self.send(json.dumps([CALL, message_id, action, payload]))
        assert reply is not None, f"no reply to {action}"
        assert reply[:2] == [CALLRESULT, message_id], reply
        assert len(reply) == 3, reply
        _validate_payload(CallResult(message_id, reply[2], action=action), self.version.value)
        result: dict[str, Any] = reply[2]
        return result

    def call_error(self, action: str, payload: Any, message_id: str | None = None) -> list[Any]:
        """A CALL that must be answered with a CALLERROR; returns the whole reply frame."""
        message_id = message_id or self.next_id()
        reply = self.send(json.dumps([CALL, message_id, action, payload]))
        assert reply is not None, f"no reply to {action}"
        assert reply[:2] == [CALLERROR, message_id], reply
        return reply


def stored_state(services: Services) -> dict[str, Any]:
    """A deep copy of everything the in-memory fakes hold, to compare before and after."""
    repositories = services.repositories
    state = {
        repository.name: copy.deepcopy(vars(getattr(repositories, repository.name)))
        for repository in dataclasses.fields(repositories)
    }
    state["sender"] = copy.deepcopy(vars(services.sender))
    return state


def command_on_the_wire(services: Services, charge_point_id: str, action: str, payload: dict[str, Any]) -> str:
    """Submit a command and perform its steps up to the CALL on the wire; returns the CALL's message id."""
    command = services.commands.submit(charge_point_id, action, payload)
    state = {"commandId": command.command_id, "timeoutSeconds": 30}
    services.command_workflow.perform(Step.ACQUIRE_LOCK, state, LOCK_TOKEN)
    services.command_workflow.perform(Step.SEND, state, TOKEN)
    message_id = services.commands.get(command.command_id).message_id  # type: ignore[union-attr]
    assert message_id is not None
    return message_id


def answer_on_the_workflow(services: Services, command: Any, response: dict[str, Any]) -> None:
    """The charger's answer to `command`, recorded by the command workflow's step (its answer effects included)."""
    at = format_timestamp(services.clock.now())
    state = {"commandId": command.command_id, "answer": {"response": response, "answeredAt": at}}
    services.command_workflow.perform(Step.RECORD_ANSWER, state, "token")


def message_event(
    version: OcppVersion, body: str, charge_point_id: str = "CP-1", base64_encoded: bool = False
) -> dict[str, Any]:
    """A `$default` event as API Gateway delivers it after the authorizer (connection `conn-<charge point id>`)."""
    return {
        "requestContext": {
            "routeKey": "$default",
            "eventType": "MESSAGE",
            "connectionId": f"conn-{charge_point_id}",
            "authorizer": {
                constants.AUTHORIZER_CHARGE_POINT_ID: charge_point_id,
                constants.AUTHORIZER_OCPP_VERSION: version.value,
            },
        },
        "body": body,
        "isBase64Encoded": base64_encoded,
    }
