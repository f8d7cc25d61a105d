"""The `csms` command line. `csms local` runs the whole CSMS offline on one port."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from csms.operator_cli.main import add_operator_commands, run_operator_command
from csms.simulator.options import SESSIONS, parse_minutes_range

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="csms", description="Serverless OCPP CSMS tools.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    local = commands.add_parser(
        "local",
        help="run the CSMS offline: OCPP WebSocket, operator API and Management API on one port",
        description=(
            "Run the CSMS offline: the real Lambda handlers behind a local API Gateway "
            "(WebSocket API at /ocpp/{chargePointId}, operator API at /api, Management API at "
            "/@connections), with DynamoDB from moto."
        ),
    )
    local.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    local.add_argument("--port", type=int, default=9000, help="port to listen on (default: %(default)s)")
    local.add_argument(
        "--api-token",
        metavar="TOKEN",
        help="bearer token of the operator API, for the role admins (default: a random one, printed at start)",
    )
    local.add_argument("--operator-token", metavar="TOKEN", help="bearer token for the role operators (default: none)")
    local.add_argument("--viewer-token", metavar="TOKEN", help="bearer token for the role viewers (default: none)")
    local.add_argument(
        "--accept-unknown-chargers",
        action="store_true",
        help="admit charge points that are not registered (ACCEPT_UNKNOWN_CHARGE_POINTS)",
    )
    local.add_argument(
        "--billing-interval",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="run billing every SECONDS (the stack's schedule: every 15 minutes); 0 disables (default: %(default)s)",
    )
    local.add_argument(
        "--cost-update-interval",
        type=float,
        default=900.0,
        metavar="SECONDS",
        help=(
            "send OCPP 2.0.1 CostUpdated to sessions running this long, every SECONDS, like the "
            "stack's schedule; 0 disables (default: %(default)s)"
        ),
    )
    local.add_argument(
        "--site-tick-interval",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help=(
            "rebalance sites whose limit changes with time or whose chargers are to be retried, every SECONDS, "
            "like the stack's schedule; 0 disables (default: %(default)s)"
        ),
    )
    local.add_argument(
        "--tls-port",
        type=int,
        metavar="PORT",
        help=(
            "also serve wss:// on PORT, asking charge points for client certificates (security profile 3); the "
            "server certificate is issued by the CSMS CA (GET /api/pki/ca) unless --tls-cert gives one"
        ),
    )
    local.add_argument("--tls-cert", type=Path, metavar="FILE", help="the TLS port's certificate chain (PEM)")
    local.add_argument("--tls-key", type=Path, metavar="FILE", help="the private key of --tls-cert (PEM)")
    local.add_argument(
        "--ca-cert",
        type=Path,
        metavar="FILE",
        help="bring your own CA: its certificate (PEM), the root of the certificates the CSMS signs",
    )
    local.add_argument(
        "--ca-key", type=Path, metavar="FILE", help="the CA's EC P-256 private key (PEM), put into the local KMS"
    )
    state = local.add_mutually_exclusive_group()
    state.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        help=(
            "keep the CSMS's state (chargers, tokens, tariffs, sessions, invoices, commands, sites) in DIR "
            "across restarts (default: $XDG_DATA_HOME/csms/local, that is ~/.local/share/csms/local)"
        ),
    )
    state.add_argument(
        "--ephemeral",
        action="store_true",
        help="keep everything in memory only: a restart starts empty",
    )
    local.add_argument(
        "--console-dir",
        type=Path,
        metavar="DIR",
        help="serve the web console's build from DIR (default: console/dist of this source checkout)",
    )
    local.add_argument(
        "--log-level",
        default="INFO",
        type=str.upper,
        choices=LOG_LEVELS,
        help="log level; DEBUG logs every WebSocket frame (default: %(default)s)",
    )
    local.add_argument(
        "--log-format",
        default="text",
        choices=("text", "json"),
        help="log lines on stderr: readable text, or one JSON object each as on CloudWatch (default: %(default)s)",
    )
    _add_simulate_command(commands)
    add_operator_commands(commands)
    return parser


def _add_simulate_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    simulate = commands.add_parser(
        "simulate",
        help="run a fleet of simulated OCPP 1.6 and 2.0.1 chargers against a CSMS",
        description=(
            "Run N simulated chargers in one process: they boot, heartbeat, report status, charge sessions "
            "with meter values and answer the CSMS's commands. Prints a live summary and a final report; "
            "exits 1 when any CSMS answer was a CALLERROR or failed schema validation."
        ),
    )
    simulate.add_argument(
        "--url",
        default="ws://127.0.0.1:9000/ocpp",
        help="WebSocket URL without the charger id (default: %(default)s, csms local's)",
    )
    simulate.add_argument("--chargers", type=int, required=True, metavar="N", help="how many chargers")
    simulate.add_argument(
        "--ocpp",
        choices=("1.6", "2.0.1", "mixed"),
        default="mixed",
        help="OCPP version (default: %(default)s, alternating)",
    )
    simulate.add_argument(
        "--connectors",
        type=int,
        default=2,
        metavar="K",
        help="connectors (2.0.1: EVSEs) per charger (default: %(default)s)",
    )
    simulate.add_argument(
        "--duration", type=float, default=60.0, metavar="SECONDS", help="how long to run (default: %(default)s)"
    )
    simulate.add_argument(
        "--meter-interval",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="meter values every SECONDS of a session (default: %(default)s)",
    )
    simulate.add_argument(
        "--session-minutes",
        type=_minutes_range,
        default=(5.0, 30.0),
        metavar="MIN-MAX",
        help="session length drawn from MIN to MAX minutes, fractions allowed (default: 5-30)",
    )
    simulate.add_argument(
        "--sessions",
        choices=SESSIONS,
        default="auto",
        help="auto: each connector charges sessions one after another; remote: only the sessions the CSMS "
        "starts (remote start, e.g. from the console) (default: %(default)s)",
    )
    simulate.add_argument(
        "--api",
        metavar="URL",
        help="operator API, e.g. http://127.0.0.1:9000/api: register the chargers and id tokens first "
        "(default with --api-token: /api on the host of --url)",
    )
    simulate.add_argument("--api-token", metavar="TOKEN", help="bearer token of the operator API (admins)")
    simulate.add_argument(
        "--ramp",
        type=float,
        default=2.0,
        metavar="SECONDS",
        help="spread the chargers' first connects over SECONDS; 0: all at once (default: %(default)s)",
    )
    simulate.add_argument(
        "--summary-interval",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help="live summary every SECONDS (default: %(default)s)",
    )


def _minutes_range(text: str) -> tuple[float, float]:
    try:
        return parse_minutes_range(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from error


def _configure_logging(level_name: str) -> None:
    logging.basicConfig(level=level_name, format="%(asctime)s %(levelname)-7s %(name)s: %(message)s")
    _quiet_libraries(level_name)


def _quiet_libraries(level_name: str) -> None:
    level = getattr(logging, level_name)
    # Third-party libraries stay quiet unless something goes wrong.
    for name in ("botocore", "boto3", "urllib3", "werkzeug", "moto"):
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
    # The runtime says which connections open and close: websockets' own line for each would repeat it
    # (a thousand at shutdown).
    logging.getLogger("websockets").setLevel(max(level, logging.WARNING))
    # moto logs every failed state (a command that failed, a busy charge point's retry) as an ERROR
    # with the state's whole syntax tree; the command record says what happened.
    if level > logging.DEBUG:
        logging.getLogger("moto.stepfunctions").setLevel(logging.CRITICAL)


def _without_local_extra(command: str, error: ModuleNotFoundError) -> int:
    print(
        f"csms {command} needs the local runtime's packages ({error.name} is missing): "
        "pip install 'csms[local]' (in a checkout: pip install '.[local]')",
        file=sys.stderr,
    )
    return 2


def _run_local(args: argparse.Namespace) -> int:
    # Imported here so that `csms --help` does not load moto and websockets.
    try:
        from csms.local import console_logs  # noqa: PLC0415
        from csms.local.ca_key import ImportedCa  # noqa: PLC0415
        from csms.local.data_directory import DataDirectoryError, default_path  # noqa: PLC0415
        from csms.local.runtime import RuntimeOptions, serve  # noqa: PLC0415
        from csms.local.tls import TlsOptions  # noqa: PLC0415
    except ModuleNotFoundError as error:
        return _without_local_extra("local", error)

    tokens = [token for token in (args.api_token, args.operator_token, args.viewer_token) if token is not None]
    if len(set(tokens)) != len(tokens):
        print("csms local: --api-token, --operator-token and --viewer-token must differ", file=sys.stderr)
        return 2
    if (args.tls_cert is None) != (args.tls_key is None) or (args.tls_cert and args.tls_port is None):
        print("csms local: --tls-cert and --tls-key go together, with --tls-port", file=sys.stderr)
        return 2
    if (args.ca_cert is None) != (args.ca_key is None):
        print("csms local: --ca-cert and --ca-key go together", file=sys.stderr)
        return 2
    try:
        imported_ca = ImportedCa.from_pem(args.ca_cert.read_text(), args.ca_key.read_bytes()) if args.ca_cert else None
    except (OSError, ValueError) as error:
        print(f"csms local: --ca-cert/--ca-key: {error}", file=sys.stderr)
        return 2
    console_logs.configure(args.log_level, args.log_format)
    _quiet_libraries(args.log_level)
    options = RuntimeOptions(
        host=args.host,
        port=args.port,
        api_token=args.api_token,
        operator_token=args.operator_token,
        viewer_token=args.viewer_token,
        accept_unknown_charge_points=args.accept_unknown_chargers,
        billing_interval_seconds=args.billing_interval,
        cost_update_interval_seconds=args.cost_update_interval,
        site_tick_interval_seconds=args.site_tick_interval,
        data_dir=None if args.ephemeral else (args.data_dir or default_path()),
        console_dir=args.console_dir,
        tls=TlsOptions(args.tls_port, args.tls_cert, args.tls_key) if args.tls_port is not None else None,
        imported_ca=imported_ca,
        extra_env={
            "POWERTOOLS_LOG_LEVEL": args.log_level,
            # Metrics would print one EMF document per invocation: noise on a console.
            "POWERTOOLS_METRICS_DISABLED": "true",
        },
    )
    try:
        asyncio.run(serve(options, announce=lambda text: print(text, flush=True)))
    except (OSError, DataDirectoryError) as error:
        print(f"csms local: {error}", file=sys.stderr)
        return 1
    return 0


def _run_simulate(args: argparse.Namespace) -> int:
    # Imported here so that `csms --help` does not load the ocpp library and websockets.
    try:
        from csms.simulator.fleet import simulate  # noqa: PLC0415
    except ModuleNotFoundError as error:
        return _without_local_extra("simulate", error)
    from csms.simulator.options import SimulationOptions, operator_api_beside  # noqa: PLC0415
    from csms.simulator.registration import RegistrationError  # noqa: PLC0415

    _configure_logging("WARNING")
    options = SimulationOptions(
        url=args.url,
        chargers=args.chargers,
        ocpp=args.ocpp,
        connectors=args.connectors,
        duration_seconds=args.duration,
        meter_interval_seconds=args.meter_interval,
        session_minutes=args.session_minutes,
        api_url=args.api or (operator_api_beside(args.url) if args.api_token else None),
        api_token=args.api_token,
        summary_interval_seconds=args.summary_interval,
        ramp_seconds=args.ramp,
        sessions=args.sessions,
    )
    try:
        statistics = asyncio.run(simulate(options, announce=lambda text: print(text, flush=True)))
    except RegistrationError as error:
        print(f"csms simulate: registration failed: {error}", file=sys.stderr)
        return 1
    return 1 if statistics.error_count else 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "local":
        return _run_local(args)
    if args.command == "simulate":
        return _run_simulate(args)
    return run_operator_command(args)


if __name__ == "__main__":
    sys.exit(main())
