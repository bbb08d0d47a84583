"""Days as a spreadsheet sees them: \"today\" is today in the spreadsheet's own time zone."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def local_day(now: datetime, time_zone: str) -> date:
    """The date it is now in a time zone (UTC for a zone nobody knows)."""
    try:
        zone = ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return now.astimezone(zone).date()
