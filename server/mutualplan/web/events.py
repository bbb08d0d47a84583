"""The event object Google posts to every add-on endpoint, read into what the endpoints need."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from mutualplan.errors import InputError

MS_DIGITS = 15  # milliseconds since 1970 with 15 digits reach the year 33658: longer is no date
# Every button carries its spreadsheet's id under this parameter: a button's event may arrive without
# sheets.id. It only names the spreadsheet: the user's own token must still reach it.
SHEET_PARAMETER = "spreadsheet_id"


@dataclass(frozen=True, slots=True)
class AddonEvent:
    """What a Sheets add-on event says: the user's token, the spreadsheet and its zone, the form, and the
    parameters of the button clicked."""

    user_token: str = ""
    spreadsheet_id: str = ""  # empty until the user grants drive.file for this spreadsheet
    spreadsheet_title: str = ""
    has_file_scope: bool = False
    time_zone: str = "UTC"
    form: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    dates: Mapping[str, int] = field(default_factory=dict)  # date pickers: ms since the epoch
    parameters: Mapping[str, str] = field(default_factory=dict)  # the clicked button's parameters

    @classmethod
    def of(cls, body: Any) -> AddonEvent:
        """Read an event object; anything missing or malformed reads as absent, never as an error."""
        body = body if isinstance(body, dict) else {}
        common = _dict(body.get("commonEventObject"))
        auth = _dict(body.get("authorizationEventObject"))
        sheets = _dict(body.get("sheets"))
        form: dict[str, tuple[str, ...]] = {}
        dates: dict[str, int] = {}
        for name, value in _dict(common.get("formInputs")).items():
            value = _dict(value)
            strings = _dict(value.get("stringInputs")).get("value")
            if isinstance(strings, list):
                form[name] = tuple(str(item) for item in strings)
            moment = _dict(value.get("dateInput")).get("msSinceEpoch")
            if (
                isinstance(moment, int | str)
                and 0 < len(str(moment)) <= MS_DIGITS
                and str(moment).lstrip("-").isdigit()
            ):
                dates[name] = int(moment)
        parameters = {str(key): str(value) for key, value in _dict(common.get("parameters")).items()}
        granted = bool(sheets.get("addonHasFileScopePermission")) and bool(sheets.get("id"))
        # A button is drawn only on a card shown after the grant: its parameter stands for sheets.id.
        carried = "" if sheets.get("id") else parameters.get(SHEET_PARAMETER, "")
        return cls(
            user_token=str(auth.get("userOAuthToken") or ""),
            spreadsheet_id=str(sheets.get("id") or "") if granted else carried,
            spreadsheet_title=str(sheets.get("title") or ""),
            has_file_scope=granted or bool(carried),
            time_zone=str(_dict(common.get("timeZone")).get("id") or "UTC"),
            form=form,
            dates=dates,
            parameters=parameters,
        )

    def text(self, name: str) -> str:
        """A text field's value, stripped ("" when absent)."""
        return " ".join(self.form.get(name, ())).strip()

    def chosen(self, name: str) -> frozenset[str]:
        """The values picked in a selection input."""
        return frozenset(self.form.get(name, ()))

    def day(self, name: str) -> date | None:
        """A date picker's day (a DATE_ONLY picker sends midnight UTC); an InputError past any calendar."""
        moment = self.dates.get(name)
        if moment is None:
            return None
        try:
            return datetime.fromtimestamp(moment / 1000, UTC).date()
        except (OverflowError, OSError, ValueError) as exc:
            raise InputError("that date is out of range: pick one from the calendar") from exc


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
