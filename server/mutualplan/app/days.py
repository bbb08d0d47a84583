"""Days as a spreadsheet sees them: \"today\" is today in the spreadsheet's own time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


def local_day(now: datetime, time_zone: str) -> date:
    """The date it is now in a time zone (UTC for a zone nobody knows)."""
    return local_time(now, time_zone).date()


def local_time(now: datetime, time_zone: str) -> datetime:
    """The time it is now in a time zone (UTC for a zone nobody knows)."""
    return now.astimezone(_zone(time_zone))


def day_began(day: date, time_zone: str) -> datetime:
    """The moment (in UTC) a day began in a time zone (UTC for a zone nobody knows)."""
    return datetime.combine(day, time(), _zone(time_zone)).astimezone(UTC)


def _zone(time_zone: str) -> ZoneInfo:
    try:
        return ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


@cache
def every_zone() -> dict[str, ZoneInfo]:
    """Every time zone this machine knows, by name, loaded once (ZoneInfo keeps only a few warm)."""
    return {name: ZoneInfo(name) for name in sorted(available_timezones())}
