"""What the operator CLI prints: aligned tables and field lists for people, JSON for scripts."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

Row = Sequence[str]


def print_json(value: Any) -> None:
    print(json.dumps(value, indent=2))


def cell(value: Any) -> str:
    """A value as a table shows it: `-` for none, yes/no, compact JSON for objects."""
    if value is None or value == "":
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def timestamp(value: str | None) -> str:
    """An RFC 3339 time of the API to the second, `Z` for UTC: `2025-01-31 14:05:09Z`."""
    if not value:
        return "-"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    zone = "Z" if moment.utcoffset() == timedelta(0) else moment.strftime("%z")
    return moment.strftime("%Y-%m-%d %H:%M:%S") + zone


def table(headers: Row, rows: Sequence[Row]) -> str:
    widths = [max(len(text) for text in column) for column in zip(headers, *rows, strict=True)]
    return "\n".join(
        "  ".join(text.ljust(width) for text, width in zip(row, widths, strict=True)).rstrip()
        for row in (headers, *rows)
    )


def fields(pairs: Sequence[tuple[str, str]]) -> str:
    """`name  value` lines, the values aligned."""
    width = max(len(name) for name, _ in pairs)
    return "\n".join(f"{name.ljust(width)}  {value}" for name, value in pairs)


def note(text: str) -> None:
    """A remark for the person at the terminal (stderr: stdout stays the listing)."""
    print(text, file=sys.stderr)
