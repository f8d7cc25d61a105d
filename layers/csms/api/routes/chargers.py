"""/api/chargers: registering charge points and reading their state."""

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.params import Query
from pydantic import Field

from csms.api.errors import responses
from csms.api.models import (
    Charger,
    ChargerRegistration,
    ConfigurationView,
    IdTokenView,
    LocalListView,
    PageView,
)
from csms.api.openapi import Tag, body_examples
from csms.api.pagination import DEFAULT_PAGE_SIZE, Limit, NextToken
from csms.api.routes.commands import CommandView
from csms.composition import get_services
from csms.domain.filters import ChargePointFilter
from csms.domain.models import ChargePoint

router = Router()

RECENT_COMMANDS = 10


class ChargerDetail(Charger):
    configuration: list[ConfigurationView] = Field(description="As the charge point last reported it")
    recent_commands: list[CommandView] = Field(description=f"The {RECENT_COMMANDS} newest")


@router.put(
    "/api/chargers/<charger_id>",
    operation_id="registerCharger",
    summary="Register or update a charger",
    description="Creates the charger or updates it. A new password (HTTP Basic, security profiles 1 and 2) "
    "replaces the old one and signs the charger out (its connection closes; it reconnects with the new one); "
    "the same password again changes nothing. `tariffId` must name a tariff; absent, it stays as it is. `siteId` "
    "wires it to a site (which must exist: else 422; null takes it out), with `maxCurrentAmps` (amps per phase "
    "each connector or EVSE can deliver; 32 until set), `phases` (1 or 3; 3 until set) and, for a 1-phase charger, "
    "`sitePhase` (1, 2 or 3: the site phase it is wired to; null: not known); absent, each stays. `securityProfile` "
    "(1, 2 or 3) applies from its next connection: at 3 only a client certificate admits it.",
    tags=[Tag.CHARGERS],
    responses=responses(HTTPStatus.BAD_REQUEST),
)
def register_charger(
    charger_id: str,
    registration: Annotated[
        ChargerRegistration,
        body_examples(
            register=("Register with a password", {"password": "a-long-random-secret", "tariffId": "default"}),
            tariff=("Change only its tariff", {"tariffId": "default"}),
            site=("Wire it to a site", {"siteId": "depot", "maxCurrentAmps": 16, "phases": 3}),
            leave=("Take it out of its site", {"siteId": None}),
            one_phase=("A 1-phase charger on the site's L2", {"siteId": "depot", "phases": 1, "sitePhase": 2}),
        ),
    ],
) -> Charger:
    services = get_services()
    charge_point = services.charge_point_administration.register(
        charger_id, registration.password, registration.tariff_id, registration.wiring_change()
    )
    if registration.security_profile is not None:
        services.security_profiles.set(charger_id, registration.security_profile)
        charge_point = known_charge_point(charger_id)
    return Charger.of(charge_point)


@router.delete(
    "/api/chargers/<charger_id>",
    operation_id="deleteCharger",
    summary="Delete a charger",
    description="Forgets the charger (profile, connectors, configuration, notifications) and closes its "
    "connection. Its transactions, invoices and reservations stay.",
    tags=[Tag.CHARGERS],
    responses=responses(HTTPStatus.NOT_FOUND, success=HTTPStatus.NO_CONTENT),
)
def delete_charger(charger_id: str) -> Response[None]:
    if not get_services().charge_points.remove(charger_id):
        raise NotFoundError(f"No charge point {charger_id}")
    return Response(HTTPStatus.NO_CONTENT)


@router.get(
    "/api/chargers",
    operation_id="listChargers",
    summary="List chargers",
    description="Chargers by id, with their connectors' latest statuses; optionally only connected or "
    "disconnected ones, or those with a connector in a status. Paged.",
    tags=[Tag.CHARGERS],
    responses=responses(HTTPStatus.BAD_REQUEST),
)
def list_chargers(
    connected: Annotated[bool | None, Query(description="Only connected (true) or disconnected (false) ones")] = None,
    status: Annotated[str | None, Query(description="Only those with a connector in this status, e.g. Faulted")] = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
    next_token: NextToken = None,
) -> PageView[Charger]:
    where = ChargePointFilter(connected=connected, connector_status=status)
    page = get_services().charge_point_administration.page(where, limit, next_token)
    return PageView[Charger](items=[Charger.of(cp) for cp in page.items], next_token=page.next_token)


@router.get(
    "/api/chargers/<charger_id>",
    operation_id="getCharger",
    summary="Get a charger",
    description="The charger's identity, firmware, connection, connectors, the configuration it last reported "
    f"and its {RECENT_COMMANDS} newest commands.",
    tags=[Tag.CHARGERS],
    responses=responses(HTTPStatus.NOT_FOUND),
)
def get_charger(charger_id: str) -> ChargerDetail:
    services = get_services()
    charger = Charger.of(known_charge_point(charger_id))
    return ChargerDetail(
        **charger.model_dump(),
        configuration=[ConfigurationView.of(variable) for variable in services.configuration.reported(charger_id)],
        recent_commands=[
            CommandView.of(command)
            for command in services.commands.list_for_charge_point(charger_id, RECENT_COMMANDS).items
        ],
    )


@router.get(
    "/api/chargers/<charger_id>/local-list",
    operation_id="getLocalList",
    summary="Get a charger's local authorization list",
    description="The version of the list last sent to the charger, and the entries a full list carries now "
    "(every id token; for 1.6, those of at most 20 characters).",
    tags=[Tag.CHARGERS],
    responses=responses(HTTPStatus.NOT_FOUND),
)
def get_local_list(charger_id: str) -> LocalListView:
    charge_point = known_charge_point(charger_id)
    entries = get_services().local_list.entries(charge_point.ocpp_version)
    return LocalListView(version=charge_point.local_list_version, entries=[IdTokenView.of(token) for token in entries])


def known_charge_point(charger_id: str) -> ChargePoint:
    """The charge point, else 404."""
    charge_point = get_services().charge_point_administration.get(charger_id)
    if charge_point is None:
        raise NotFoundError(f"No charge point {charger_id}")
    return charge_point
