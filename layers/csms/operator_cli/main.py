"""Registers the operator commands on `csms`'s parser and runs them with the API URL and credentials
given by option or environment."""

from __future__ import annotations

import argparse
import os
import sys

from csms.operator_cli import listing, remote
from csms.operator_cli.client import OperatorApi
from csms.operator_cli.credentials import ENV_API_TOKEN, credentials_from
from csms.operator_cli.errors import EXIT_CODES_HELP, CliError

ENV_API_URL = "CSMS_API_URL"
DEFAULT_API_URL = "http://127.0.0.1:9000/api"  # `csms local`'s
INTERRUPTED = 130  # as a shell reports a command ended by Ctrl+C


def add_operator_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    common = argparse.ArgumentParser(add_help=False)
    connection = common.add_argument_group("operator API")
    connection.add_argument(
        "--api-url", metavar="URL", help=f"its base URL (default: ${ENV_API_URL}, else {DEFAULT_API_URL})"
    )
    connection.add_argument(
        "--api-token",
        metavar="TOKEN",
        help=f"bearer token (default: ${ENV_API_TOKEN}, else OAuth2 client credentials: "
        "$CSMS_CLIENT_ID, $CSMS_CLIENT_SECRET, $CSMS_TOKEN_URL)",
    )
    common.add_argument("--json", action="store_true", help="print JSON (the API's) instead of a table")
    existing = set(commands.choices)
    listing.add_subcommands(commands, common)
    remote.add_subcommands(commands, common)
    for name in commands.choices.keys() - existing:
        commands.choices[name].epilog = EXIT_CODES_HELP
        commands.choices[name].formatter_class = argparse.RawDescriptionHelpFormatter


def run_operator_command(args: argparse.Namespace) -> int:
    """Runs the operator command `args` names; a failure is a message on stderr and its exit code."""
    try:
        credentials = credentials_from(args.api_token, os.environ)
        api = OperatorApi(args.api_url or os.environ.get(ENV_API_URL) or DEFAULT_API_URL, credentials)
        return int(args.handler(api, args))
    except CliError as error:
        print(f"csms {args.command}: {error}", file=sys.stderr)
        return int(error.exit_code)
    except KeyboardInterrupt:
        return INTERRUPTED
