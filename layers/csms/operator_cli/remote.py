"""`csms command ID ACTION` and the shortcuts (`start`, `stop`, `reset`, `unlock`, `availability`):
submit a remote command, and with `--wait` follow it to its end."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from csms.operator_cli.client import OperatorApi, segment
from csms.operator_cli.errors import ExitCode
from csms.operator_cli.follow import Progress, follow, stage
from csms.operator_cli.output import cell, fields, note, print_json, timestamp

# What a subcommand posts: the endpoint under /chargers/{id}/ and its body.
Submission = Callable[[argparse.Namespace], tuple[str, dict[str, Any]]]


def add_subcommands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    command = _add(
        commands,
        common,
        "command",
        "send any OCPP action of the charger's version",
        lambda args: ("commands", {"action": args.action, "payload": args.payload}),
    )
    command.add_argument("action", metavar="ACTION", help="the OCPP action, e.g. GetVariables")
    command.add_argument(
        "--payload",
        type=_json_object,
        default={},
        metavar="JSON",
        help="the CALL payload as OCPP spells it, or @FILE holding it (default: {})",
    )

    start = _add(
        commands,
        common,
        "start",
        "start a session: RemoteStartTransaction (1.6), RequestStartTransaction (2.0.1)",
        lambda args: ("start", _present(idToken=args.id_token, connectorId=args.connector, evseId=args.evse)),
    )
    start.add_argument("--id-token", required=True, metavar="TOKEN", help="whose session it is")
    _add_place(start)

    stop = _add(
        commands,
        common,
        "stop",
        "stop a session: RemoteStopTransaction (1.6), RequestStopTransaction (2.0.1)",
        lambda args: ("stop", {"transactionId": args.transaction_id}),
    )
    stop.add_argument("transaction_id", metavar="TRANSACTION_ID")

    reset = _add(
        commands,
        common,
        "reset",
        "reset the charger (soft: 1.6 Soft, 2.0.1 OnIdle)",
        lambda args: ("reset", {"type": "hard" if args.hard else "soft"}),
    )
    reset.add_argument("--hard", action="store_true", help="1.6 Hard, 2.0.1 Immediate")

    unlock = _add(
        commands,
        common,
        "unlock",
        "unlock a connector (UnlockConnector)",
        lambda args: ("unlock", _present(connectorId=args.connector, evseId=args.evse)),
    )
    _add_place(unlock)

    availability = _add(
        commands,
        common,
        "availability",
        "make the charger, a connector or an EVSE operative or inoperative (ChangeAvailability)",
        lambda args: ("availability", _present(status=args.status, connectorId=args.connector, evseId=args.evse)),
    )
    availability.add_argument("status", choices=("operative", "inoperative"))
    _add_place(availability)


def _add(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
    name: str,
    summary: str,
    submission: Submission,
) -> argparse.ArgumentParser:
    parser = commands.add_parser(
        name,
        parents=[common],
        help=summary,
        description=f"{summary[0].upper()}{summary[1:]}; prints the command id.",
    )
    parser.add_argument("charger_id", metavar="ID", help="the charger")
    parser.add_argument(
        "--wait", action="store_true", help="follow the command until it is finished, print it, exit 1 unless Accepted"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        help="with --wait: give up after SECONDS, exit 6 (default: until the command is finished)",
    )
    parser.set_defaults(handler=lambda api, args: _submit(api, args, submission))
    return parser


def _add_place(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--connector", type=int, metavar="N", help="connector (1.6; 2.0.1: of the EVSE)")
    parser.add_argument("--evse", type=int, metavar="N", help="EVSE (2.0.1)")


def _present(**values: Any) -> dict[str, Any]:
    return {name: value for name, value in values.items() if value is not None}


def _json_object(text: str) -> dict[str, Any]:
    try:
        value = json.loads(Path(text[1:]).read_text() if text.startswith("@") else text)
    except OSError as error:
        raise argparse.ArgumentTypeError(f"cannot read {text[1:]}: {error.strerror}") from error
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not JSON: {error}") from error
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError("must be a JSON object")
    return value


def _submit(api: OperatorApi, args: argparse.Namespace, submission: Submission) -> ExitCode:
    endpoint, body = submission(args)
    command_id = api.post(f"/chargers/{segment(args.charger_id)}/{endpoint}", body)["commandId"]
    if not args.wait:
        if args.json:
            print_json({"commandId": command_id})
        else:
            print(command_id)
        return ExitCode.OK
    followed = follow(api, command_id, Progress(sys.stderr), args.timeout)
    command = followed.command
    if args.json:
        print_json(command)
    else:
        print(_fields(command))
    if not followed.finished:
        note(f"still {stage(command)} after {args.timeout:g} s; `csms charger {args.charger_id}` shows it later")
        return ExitCode.WAIT_TIMED_OUT
    return ExitCode.OK if command["status"] == "Accepted" else ExitCode.NOT_ACCEPTED


def _fields(command: dict[str, Any]) -> str:
    error = command.get("error")
    return fields(
        [
            ("Command", command["commandId"]),
            ("Charger", f"{command['chargerId']} (OCPP {command['ocppVersion']})"),
            ("Action", command["action"]),
            ("Status", stage(command)),
            ("Response", cell(command.get("response"))),
            ("Error", f"{error['code']}: {error['description']}" if error else "-"),
            ("Result", cell(command.get("result"))),
            ("Created", timestamp(command["createdAt"])),
            ("Sent", timestamp(command.get("sentAt"))),
            ("Answered", timestamp(command.get("answeredAt"))),
            ("Finished", timestamp(command.get("finishedAt"))),
        ]
    )
