"""`csms chargers`, `csms charger ID`, `csms sessions`, `csms invoices`: what the operator API stores."""

from __future__ import annotations

import argparse
from typing import Any

from csms.operator_cli.client import Listing, OperatorApi, Query, segment
from csms.operator_cli.errors import ExitCode
from csms.operator_cli.output import cell, fields, note, print_json, table, timestamp

DEFAULT_LIMIT = 50


def add_subcommands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    chargers = commands.add_parser("chargers", parents=[common], help="list the chargers", description="By id.")
    connected = chargers.add_mutually_exclusive_group()
    connected.add_argument("--connected", action="store_true", default=None, help="only connected ones")
    connected.add_argument(
        "--disconnected", dest="connected", action="store_false", default=None, help="only disconnected ones"
    )
    chargers.add_argument("--status", help="only those with a connector in this status, e.g. Faulted")
    _add_paging(chargers)
    chargers.set_defaults(handler=_chargers)

    charger = commands.add_parser(
        "charger",
        parents=[common],
        help="one charger: identity, connectors, configuration, recent commands",
    )
    charger.add_argument("charger_id", metavar="ID")
    charger.set_defaults(handler=_charger)

    sessions = commands.add_parser(
        "sessions", parents=[common], help="list charging sessions (transactions)", description="Newest first."
    )
    sessions.add_argument("--charger", metavar="ID", help="only this charger's")
    status = sessions.add_mutually_exclusive_group()
    status.add_argument("--active", dest="status", action="store_const", const="Active", help="only running ones")
    status.add_argument("--completed", dest="status", action="store_const", const="Completed", help="only ended ones")
    _add_paging(sessions)
    sessions.set_defaults(handler=_sessions)

    invoices = commands.add_parser("invoices", parents=[common], help="list invoices")
    invoices.add_argument("--charger", metavar="ID", help="only this charger's")
    invoices.add_argument("--transaction", metavar="ID", help="only this session's")
    invoices.add_argument("--id-token", metavar="TOKEN", help="only this id token's")
    invoices.add_argument("--from", dest="issued_from", metavar="TIME", help="issued at or after (RFC 3339)")
    invoices.add_argument("--to", dest="issued_to", metavar="TIME", help="issued before (RFC 3339)")
    _add_paging(invoices)
    invoices.set_defaults(handler=_invoices)


def _add_paging(parser: argparse.ArgumentParser) -> None:
    size = parser.add_mutually_exclusive_group()
    size.add_argument(
        "--limit", type=_positive, default=DEFAULT_LIMIT, metavar="N", help="at most N (default: %(default)s)"
    )
    size.add_argument("--all", dest="limit", action="store_const", const=None, help="every one, page after page")
    parser.add_argument("--next-token", metavar="TOKEN", help="go on where a listing stopped")


def _positive(text: str) -> int:
    number = int(text)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def _list(api: OperatorApi, args: argparse.Namespace, path: str, query: Query) -> Listing | None:
    """The listing, or None once printed as JSON (`{"items", "nextToken"}`, the API's shape)."""
    listing = api.listing(path, query, args.limit, args.next_token)
    if args.json:
        print_json({"items": listing.items, "nextToken": listing.next_token})
        return None
    if listing.next_token is not None:
        note(f"(more: --next-token {listing.next_token}, or --all)")
    return listing


def _chargers(api: OperatorApi, args: argparse.Namespace) -> ExitCode:
    listing = _list(api, args, "/chargers", {"connected": args.connected, "status": args.status})
    if listing is not None:
        print(
            table(
                ("ID", "CONNECTED", "OCPP", "VENDOR", "MODEL", "FIRMWARE", "CONNECTORS", "LAST SEEN"),
                [
                    (
                        charger["id"],
                        cell(charger["connected"]),
                        cell(charger["ocppVersion"]),
                        cell(charger["vendor"]),
                        cell(charger["model"]),
                        cell(charger["firmwareVersion"]),
                        " ".join(f"{_place(c)}:{c['status']}" for c in charger["connectors"]) or "-",
                        timestamp(charger["lastSeen"]),
                    )
                    for charger in listing.items
                ],
            )
        )
    return ExitCode.OK


def _place(item: dict[str, Any]) -> str:
    """Where on the charger: `2` (1.6 connector 2), `1/2` (2.0.1 EVSE 1, connector 2), `1` (EVSE 1)."""
    return "/".join(str(item[key]) for key in ("evseId", "connectorId") if item.get(key) is not None) or "-"


def _charger(api: OperatorApi, args: argparse.Namespace) -> ExitCode:
    charger = api.get(f"/chargers/{segment(args.charger_id)}")
    if args.json:
        print_json(charger)
        return ExitCode.OK
    sections = [
        fields(
            [
                ("Charger", charger["id"]),
                ("Connected", cell(charger["connected"])),
                ("OCPP", cell(charger["ocppVersion"])),
                ("Vendor", cell(charger["vendor"])),
                ("Model", cell(charger["model"])),
                ("Serial number", cell(charger["serialNumber"])),
                ("Firmware", cell(charger["firmwareVersion"])),
                ("Tariff", cell(charger.get("tariffId"))),
                ("Password set", cell(charger["hasPassword"])),
                ("Last seen", timestamp(charger["lastSeen"])),
                ("Last boot", timestamp(charger["lastBoot"])),
            ]
        ),
        _section(
            "Connectors",
            ("CONNECTOR", "STATUS", "ERROR", "INFO", "SINCE"),
            [
                (_place(c), c["status"], cell(c.get("errorCode")), cell(c.get("info")), timestamp(c["timestamp"]))
                for c in charger["connectors"]
            ],
        ),
        _section(
            "Configuration",
            ("COMPONENT", "VARIABLE", "VALUE", "MUTABILITY"),
            [
                (cell(v["component"]), v["variable"], cell(v["value"]), cell(v["mutability"]))
                for v in charger["configuration"]
            ],
        ),
        _section(
            "Recent commands",
            ("COMMAND", "ACTION", "STATUS", "CREATED", "FINISHED"),
            [
                (c["commandId"], c["action"], c["status"], timestamp(c["createdAt"]), timestamp(c["finishedAt"]))
                for c in charger["recentCommands"]
            ],
        ),
    ]
    print("\n\n".join(sections))
    return ExitCode.OK


def _section(title: str, headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    return f"{title}\n" + (table(headers, rows) if rows else "(none)")


def _sessions(api: OperatorApi, args: argparse.Namespace) -> ExitCode:
    listing = _list(api, args, "/transactions", {"chargerId": args.charger, "status": args.status})
    if listing is not None:
        print(
            table(
                ("TRANSACTION", "CHARGER", "CONNECTOR", "ID TOKEN", "STATUS", "STARTED", "STOPPED", "ENERGY (Wh)"),
                [
                    (
                        session["transactionId"],
                        session["chargerId"],
                        _place(session),
                        cell(session["idToken"]),
                        session["status"],
                        timestamp(session["startedAt"]),
                        timestamp(session["stoppedAt"]),
                        cell(session["energyWh"]),
                    )
                    for session in listing.items
                ],
            )
        )
    return ExitCode.OK


def _invoices(api: OperatorApi, args: argparse.Namespace) -> ExitCode:
    query = {
        "chargerId": args.charger,
        "transactionId": args.transaction,
        "idToken": args.id_token,
        "from": args.issued_from,
        "to": args.issued_to,
    }
    listing = _list(api, args, "/invoices", query)
    if listing is not None:
        print(
            table(
                ("INVOICE", "ISSUED", "CHARGER", "TRANSACTION", "ID TOKEN", "ENERGY (Wh)", "TOTAL"),
                [
                    (
                        invoice["invoiceId"],
                        timestamp(invoice["issuedAt"]),
                        invoice["chargerId"],
                        invoice["transactionId"],
                        cell(invoice["idToken"]),
                        cell(invoice["energyWh"]),
                        f"{invoice['total']} {invoice['currency']}",
                    )
                    for invoice in listing.items
                ],
            )
        )
    return ExitCode.OK
