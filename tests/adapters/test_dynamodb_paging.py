"""Page tokens of the DynamoDB listings on moto: only a token the same listing returned is read on."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from csms.commands.models import Command, CommandStatus
from csms.composition import Repositories
from csms.domain.models import IdToken, IdTokenStatus, Reservation, ReservationStatus
from csms.domain.pagination import InvalidPageTokenError, Page, decode_page_token, encode_page_token
from csms.wire.versions import OcppVersion

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def forged(token: str, change: Callable[[dict[str, Any]], Any]) -> str:
    """The token with its key changed, still naming its listing."""
    position = decode_page_token(token)
    return encode_page_token({**position, "key": change(position["key"])})


KEY_FORGERIES: dict[str, Callable[[dict[str, Any]], Any]] = {
    "renamed": lambda key: {f"x{name}": value for name, value in key.items()},
    "an attribute missing": lambda key: dict(list(key.items())[1:]),
    "an attribute more": lambda key: {**key, "extra": {"S": "x"}},
    "untyped": lambda key: {name: next(iter(value.values())) for name, value in key.items()},
    "typed wrongly": lambda key: {name: {"N" if "S" in value else "S": "1"} for name, value in key.items()},
    "a number that is none": lambda key: {
        name: {t: "NaN" if t == "N" else v} for name, value in key.items() for t, v in value.items()
    },
    "an empty string": lambda key: {name: dict.fromkeys(value, "") for name, value in key.items()},
    "two types": lambda key: {name: {**value, "B": "eA=="} for name, value in key.items()},
    "a list": list,
}


@pytest.fixture
def listings(repositories: Repositories) -> dict[str, Callable[[int, str | None], Page[Any]]]:
    """Listings of the table's key (id tokens), of an index (commands) and of a numeric key (reservations)."""
    for n in range(3):
        repositories.id_tokens.put(IdToken(f"TAG-{n}", IdTokenStatus.ACCEPTED))
        for charge_point_id in ("CP-1", "CP-2"):
            repositories.commands.create(
                Command(
                    f"{charge_point_id}-cmd-{n}",
                    charge_point_id,
                    OcppVersion.V16,
                    "Reset",
                    {"type": "Soft"},
                    CommandStatus.PENDING,
                    T0 + timedelta(minutes=n),
                )
            )
            repositories.reservations.put(
                Reservation(charge_point_id, n, "TAG", T0, ReservationStatus.RESERVED, T0, connector_id=1)
            )
    return {
        "id tokens": repositories.id_tokens.page,
        "commands of CP-1": lambda limit, token: repositories.commands.list_for_charge_point("CP-1", limit, token),
        "commands of CP-2": lambda limit, token: repositories.commands.list_for_charge_point("CP-2", limit, token),
        "reservations of CP-1": lambda limit, token: repositories.reservations.page(limit, token, "CP-1"),
        "reserved ones": lambda limit, token: repositories.reservations.page(
            limit, token, status=ReservationStatus.RESERVED
        ),
    }


@pytest.mark.parametrize("forgery", KEY_FORGERIES, ids=str)
def test_a_key_not_of_the_tables_key_schema_is_refused(
    listings: dict[str, Callable[[int, str | None], Page[Any]]], forgery: str
) -> None:
    refused = 0
    for name, read in listings.items():
        token = read(1, None).next_token
        assert token is not None, name
        bad = forged(token, KEY_FORGERIES[forgery])
        if bad == token:
            continue  # nothing to forge here (no numeric key, say)

        with pytest.raises(InvalidPageTokenError):
            read(1, bad)
        refused += 1

        assert len(read(1, token).items) == 1, name
    assert refused > 0


def test_a_token_continues_only_the_listing_that_returned_it(
    listings: dict[str, Callable[[int, str | None], Page[Any]]],
) -> None:
    tokens = {name: read(1, None).next_token for name, read in listings.items()}

    for name, read in listings.items():
        for other, token in tokens.items():
            assert token is not None
            if other == name:
                assert len(read(1, token).items) == 1
            else:
                with pytest.raises(InvalidPageTokenError):
                    read(1, token)
