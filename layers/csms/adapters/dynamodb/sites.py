"""Sites in DynamoDB: one item per site, its configuration, live limit and the time of its last change.

Currents and voltages are DynamoDB numbers (exact decimals); a schedule period's times are local times
("22:00:00") and its days weekday names, as the API writes them.
"""

from datetime import datetime, time
from decimal import Decimal
from typing import Any

from csms.adapters.dynamodb.codec import Image, encode, from_json_value, images, json_value
from csms.adapters.dynamodb.paging import read_page
from csms.domain.configuration_settings import as_entries, parse_settings
from csms.domain.pagination import Page
from csms.domain.sites import LimitPeriod, LiveLimit, Site, StoredSite, Weekday
from csms.domain_events.stored_changes import SiteChange
from csms.tables import SITES
from csms.timeutil import parse_timestamp

_LIVE_LIMIT = ("liveLimitAmps", "liveLimitValidUntil")


class DynamoDbSiteRepository:
    def __init__(self, table: Any) -> None:
        self._table = table

    def get(self, site_id: str) -> StoredSite | None:
        entry = self._table.get_item(Key={"siteId": site_id}).get("Item")
        return stored_site(entry) if entry else None

    def put(self, site: Site, at: datetime) -> StoredSite:
        """One UpdateItem that sets the configuration and leaves the live limit as it is."""
        attributes = {**_configuration(site), "updatedAt": encode(at)}
        response = self._table.update_item(
            Key={"siteId": site.site_id},
            UpdateExpression="SET " + ", ".join(f"#{name} = :{name}" for name in attributes),
            ExpressionAttributeNames={f"#{name}": name for name in attributes},
            ExpressionAttributeValues={f":{name}": value for name, value in attributes.items()},
            ReturnValues="ALL_NEW",
        )
        return stored_site(response["Attributes"])

    def delete(self, site_id: str) -> bool:
        response = self._table.delete_item(Key={"siteId": site_id}, ReturnValues="ALL_OLD")
        return "Attributes" in response

    def set_live_limit(self, site_id: str, live: LiveLimit | None, at: datetime) -> StoredSite | None:
        names = {"#siteId": "siteId", "#updatedAt": "updatedAt", **{f"#{name}": name for name in _LIVE_LIMIT}}
        values: dict[str, Any] = {":updatedAt": encode(at)}
        if live is None:
            expression = "SET #updatedAt = :updatedAt REMOVE " + ", ".join(f"#{name}" for name in _LIVE_LIMIT)
        else:
            expression = "SET #updatedAt = :updatedAt, " + ", ".join(f"#{name} = :{name}" for name in _LIVE_LIMIT)
            values |= {":liveLimitAmps": live.limit_amps, ":liveLimitValidUntil": encode(live.valid_until)}
        try:
            response = self._table.update_item(
                Key={"siteId": site_id},
                UpdateExpression=expression,
                ConditionExpression="attribute_exists(#siteId)",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
                ReturnValues="ALL_NEW",
            )
        except self._table.meta.client.exceptions.ConditionalCheckFailedException:
            return None
        return stored_site(response["Attributes"])

    def page(self, limit: int, next_token: str | None = None) -> Page[StoredSite]:
        page = read_page(self._table.scan, SITES, limit, next_token)
        return Page([stored_site(entry) for entry in page.items], page.next_token)


def _configuration(site: Site) -> dict[str, Any]:
    return {
        "name": site.name,
        "gridLimitAmps": site.grid_limit_amps,
        "phases": site.phases,
        "voltage": site.voltage,
        "minChargingCurrentAmps": site.min_charging_current_amps,
        "timeZone": site.time_zone,
        "limitSchedule": [
            {
                "start": period.start.isoformat(),
                "end": period.end.isoformat(),
                "limitAmps": period.limit_amps,
                "days": [day.day_name for day in sorted(period.days)],
            }
            for period in site.limit_schedule
        ],
        "provisioning": json_value(as_entries(site.provisioning)),
        "localListEnabled": site.local_list_enabled,
    }


def stored_site(entry: dict[str, Any]) -> StoredSite:
    site = Site(
        site_id=entry["siteId"],
        name=entry["name"],
        grid_limit_amps=Decimal(entry["gridLimitAmps"]),
        phases=int(entry["phases"]),
        voltage=Decimal(entry["voltage"]),
        min_charging_current_amps=Decimal(entry["minChargingCurrentAmps"]),
        time_zone=entry["timeZone"],
        limit_schedule=tuple(
            LimitPeriod(
                start=time.fromisoformat(period["start"]),
                end=time.fromisoformat(period["end"]),
                limit_amps=Decimal(period["limitAmps"]),
                days=frozenset(Weekday[day.upper()] for day in period["days"]),
            )
            for period in entry.get("limitSchedule", [])
        ),
        provisioning=parse_settings(from_json_value(entry.get("provisioning", []))),
        local_list_enabled=bool(entry.get("localListEnabled", False)),
    )
    live = (
        LiveLimit(Decimal(entry["liveLimitAmps"]), parse_timestamp(entry["liveLimitValidUntil"]))
        if "liveLimitAmps" in entry
        else None
    )
    return StoredSite(site, live, parse_timestamp(entry["updatedAt"]))


def site_change(old: Image, new: Image) -> SiteChange:
    """A stream record of this table as a domain change."""
    return SiteChange((new or old)["siteId"], *images(old, new, stored_site))
