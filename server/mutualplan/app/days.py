"""Days as a spreadsheet sees them: \"today\" is today in the spreadsheet's own time zone."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


def local_day(now: datetime, time_zone: str) -> date:
    """The date it is now in a time zone (UTC for a zone nobody knows)."""
    return local_time(now, time_zone).date()


def local_time(now: datetime, time_zone: str) -> datetime:
    """The time it is now in a time zone (UTC for a zone nobody knows)."""
    try:
        zone = ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return now.astimezone(zone)


@cache
def every_zone() -> dict[str, ZoneInfo]:
    """Every time zone this machine knows, by name, loaded once (ZoneInfo keeps only a few warm)."""
    return {name: ZoneInfo(name) for name in sorted(available_timezones())}
