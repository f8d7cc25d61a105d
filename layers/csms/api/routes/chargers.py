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
    LocalListEntryView,
    LocalListSetting,
    LocalListView,
    PageView,
)
from csms.api.openapi import Tag, body_examples
from csms.api.pagination import DEFAULT_PAGE_SIZE, Limit, NextToken
from csms.api.provisioning_models import ProvisioningBody, ProvisioningView
from csms.api.routes.commands import CommandView
from csms.composition import get_services
from csms.domain.configuration_settings import as_entries
from csms.domain.filters import ChargePointFilter
from csms.domain.models import ChargePoint

router = Router()

RECENT_COMMANDS = 10


class ChargerUpdate(ChargerRegistration):
    provisioning: ProvisioningBody | None = Field(
        default=None, description="Its provisioning profile (null: none, its site's default applies; absent: unchanged)"
    )


class ChargerDetail(Charger):
    configuration: list[ConfigurationView] = Field(description="As the charge point last reported it")
    provisioning: ProvisioningView = Field(description="The settings it must hold before it is Accepted at boot")
    local_list: LocalListSetting = Field(description="Its own local list setting (`enabled` null: its site's)")
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
    "(1, 2 or 3) applies from its next connection: at 3 only a client certificate admits it. `localList` "
    '`{"enabled": true}` has the CSMS keep its local authorization list in sync (null: as its site says). '
    "`provisioning` (null: none, its site's default applies) is applied at its next boot, which is answered Pending "
    "until every setting is taken.",
    tags=[Tag.CHARGERS],
    responses=responses(HTTPStatus.BAD_REQUEST),
)
def register_charger(
    charger_id: str,
    registration: Annotated[
        ChargerUpdate,
        body_examples(
            register=("Register with a password", {"password": "a-long-random-secret", "tariffId": "default"}),
            tariff=("Change only its tariff", {"tariffId": "default"}),
            site=("Wire it to a site", {"siteId": "depot", "maxCurrentAmps": 16, "phases": 3}),
            leave=("Take it out of its site", {"siteId": None}),
            one_phase=("A 1-phase charger on the site's L2", {"siteId": "depot", "phases": 1, "sitePhase": 2}),
            local_list=("Keep its local authorization list in sync", {"localList": {"enabled": True}}),
            provisioning=(
                "Settings it must hold before it is Accepted at boot",
                {"provisioning": {"settings": [{"key": "MeterValueSampleInterval", "value": "60"}]}},
            ),
        ),
    ],
) -> Charger:
    services = get_services()
    provisioning = registration.provisioning.parsed() if registration.provisioning is not None else None
    charge_point = services.charge_point_administration.register(
        charger_id, registration.password, registration.tariff_id, registration.wiring_change()
    )
    if "provisioning" in registration.model_fields_set:
        services.provisioning.set_profile(charger_id, provisioning)
    if registration.security_profile is not None:
        services.security_profiles.set(charger_id, registration.security_profile)
        charge_point = known_charge_point(charger_id)
    if registration.local_list is not None:
        services.local_list_sync.configure(charger_id, registration.local_list.enabled)
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
        provisioning=_provisioning_view(charger_id),
        local_list=LocalListSetting(enabled=services.local_list_sync.setting(charger_id)),
        recent_commands=[
            CommandView.of(command)
            for command in services.commands.list_for_charge_point(charger_id, RECENT_COMMANDS).items
        ],
    )


@router.get(
    "/api/chargers/<charger_id>/local-list",
    operation_id="getLocalList",
    summary="Get a charger's local authorization list",
    description="Whether the CSMS keeps the charger's list in sync, the version the charger last accepted, the "
    "entries its list holds once in sync, and where the sync stands: InSync, Pending (an update is under way or "
    "due, or the charger is offline) or Failed with the reason.",
    tags=[Tag.CHARGERS],
    responses=responses(HTTPStatus.NOT_FOUND),
)
def get_local_list(charger_id: str) -> LocalListView:
    report = get_services().local_list_sync.report(charger_id)
    if report is None:
        raise NotFoundError(f"No charge point {charger_id}")
    return LocalListView(
        enabled=report.enabled,
        setting=LocalListSetting(enabled=report.setting),
        version=report.version,
        status=report.status.value,
        reason=report.reason,
        entries=[
            LocalListEntryView(
                id_token=entry.id_token,
                type=entry.token_type,
                status=entry.authorization.status,
                expiry=entry.authorization.expiry,
                parent_id=entry.authorization.parent_id,
            )
            for entry in report.entries.entries
        ],
        held_entries=report.held,
        omitted=report.entries.omitted,
    )


def _provisioning_view(charger_id: str) -> ProvisioningView:
    state = get_services().provisioning.state(charger_id)
    return ProvisioningView(
        settings=as_entries(state.settings),
        source=state.source,
        status=state.status,
        reason=state.reason,
        updated_at=state.updated_at,
    )


def known_charge_point(charger_id: str) -> ChargePoint:
    """The charge point, else 404."""
    charge_point = get_services().charge_point_administration.get(charger_id)
    if charge_point is None:
        raise NotFoundError(f"No charge point {charger_id}")
    return charge_point
