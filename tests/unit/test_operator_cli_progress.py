"""`--wait`'s progress display: one line rewritten in place on a terminal, a line per change elsewhere."""

import io
from typing import Any

from csms.operator_cli.follow import Progress

SENT = {"commandId": "c-1", "chargerId": "CP-1", "action": "Reset", "status": "Sent"}
FOLLOWING = {**SENT, "status": "Accepted", "followUp": {"kind": "BackOnline", "timeoutSeconds": 300}}
DONE = {**FOLLOWING, "finishedAt": "2025-01-31T14:05:09Z", "result": {"cameBack": True}}


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def shown(stream: io.StringIO, *commands: dict[str, Any]) -> str:
    progress = Progress(stream)
    for elapsed, command in enumerate(commands):
        progress.show(command, elapsed)
    progress.close()
    return stream.getvalue()


def test_elsewhere_each_change_is_one_line() -> None:
    assert shown(io.StringIO(), SENT, SENT, FOLLOWING, FOLLOWING, DONE).splitlines() == [
        "Reset on CP-1 (command c-1): Sent",
        "Reset on CP-1 (command c-1): Accepted, waiting for BackOnline (up to 300 s)",
        "Reset on CP-1 (command c-1): Accepted",
    ]


def test_on_a_terminal_one_line_is_rewritten_at_each_poll_and_cleared_at_the_end() -> None:
    output = shown(Terminal(), SENT, SENT, FOLLOWING)

    assert "\n" not in output
    assert output.split("\r\x1b[K") == [
        "",
        "| Reset on CP-1 (command c-1): Sent  0 s",
        "/ Reset on CP-1 (command c-1): Sent  1 s",
        "- Reset on CP-1 (command c-1): Accepted, waiting for BackOnline (up to 300 s)  2 s",
        "",
    ]
