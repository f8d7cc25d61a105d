"""The operator CLI's exit codes (README, "Operator CLI") and the failures that end a command with one."""

from __future__ import annotations

from enum import IntEnum
from http import HTTPStatus


class ExitCode(IntEnum):
    OK = 0
    NOT_ACCEPTED = 1  # --wait: the command ended Rejected, Failed, TimedOut or Offline
    USAGE = 2  # bad arguments or configuration (argparse exits 2 too)
    AUTH = 3  # no valid credentials: the token endpoint or the API refused them (401, 403)
    NOT_FOUND = 4  # the charger, command, ... does not exist (404)
    API_ERROR = 5  # any other refusal of the API, or the API could not be reached
    WAIT_TIMED_OUT = 6  # --wait: the command had not finished when --timeout ran out


EXIT_CODES_HELP = """exit codes:
  0  done (--wait: the command ended Accepted)
  1  --wait: the command ended Rejected, Failed, TimedOut or Offline
  2  bad arguments or configuration
  3  credentials refused (token endpoint, or the API's 401 or 403)
  4  not found (404)
  5  any other error of the API, or the API or token endpoint unreachable
  6  --wait: the command had not finished when --timeout ran out"""

EXIT_CODES_OF_STATUSES: dict[int, ExitCode] = {
    HTTPStatus.UNAUTHORIZED: ExitCode.AUTH,
    HTTPStatus.FORBIDDEN: ExitCode.AUTH,
    HTTPStatus.NOT_FOUND: ExitCode.NOT_FOUND,
}


class CliError(Exception):
    """Ends the command with `exit_code`, printing the message on stderr."""

    exit_code = ExitCode.API_ERROR


class UsageError(CliError):
    exit_code = ExitCode.USAGE


class AuthError(CliError):
    exit_code = ExitCode.AUTH


class ApiError(CliError):
    """The API answered with an error: `{"statusCode", "message", "reasons"?}` (or the gateway's own shape)."""

    def __init__(self, method: str, path: str, status: int, message: str, reasons: list[str]) -> None:
        details = "".join(f"\n  {reason}" for reason in reasons)
        super().__init__(f"{method} {path}: {status} {message}{details}")
        self.status = status
        self.exit_code = EXIT_CODES_OF_STATUSES.get(status, ExitCode.API_ERROR)
