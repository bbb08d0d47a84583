"""The Log tab and the Activity card read as sentences: who, what, old → new, and how far a date slipped."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from mutualplan.plan.checks.sentences import by_day, sentence
from mutualplan.plan.history.events import Event, EventKind, Trust, drive_hint

JANE = "Jane Doe <jane@acme.com>"


@pytest.mark.parametrize(
    ("event", "words"),
    [
        (
            Event(EventKind.DATE_MOVED, "M02", "due", "2027-01-12", "2027-01-19", "omar@acme.com"),
            "omar@acme.com moved due from 12 Jan 2027 to 19 Jan 2027 — a slip of 7 days",
        ),
        (
            Event(EventKind.DATE_MOVED, "M02", "due", "2027-01-19", "2027-01-18", "omar@acme.com"),
            "omar@acme.com moved due from 19 Jan 2027 to 18 Jan 2027 — 1 day earlier",
        ),
        (
            Event(EventKind.DATE_MOVED, "M02", "start", "2027-01-12", "2027-01-19", "omar@acme.com"),
            "omar@acme.com moved start from 12 Jan 2027 to 19 Jan 2027 — 7 days later",
        ),
        (
            Event(EventKind.CONFIRMED, "M02", "dates", "", "2027-01-05 → 2027-01-12", JANE, Trust.VERIFIED),
            "Jane Doe confirmed 5 Jan 2027 – 12 Jan 2027",
        ),
        (
            Event(
                EventKind.CONFIRMATION_VOIDED, "M02", "dates moved", "2027-01-05 → 2027-01-12",
                "2027-01-05 → 2027-01-19", "omar@acme.com",
            ),
            "omar@acme.com moved the confirmed dates 5 Jan 2027 – 12 Jan 2027 to 5 Jan 2027 – 19 Jan 2027: "
            "the confirmation is void — ask again",
        ),
        (
            Event(EventKind.EVIDENCE_ADDED, "M02", "evidence", "", "Signed minutes", "sam@vendor.io"),
            "sam@vendor.io recorded the exit evidence “Signed minutes”",
        ),
        (
            Event(EventKind.EVIDENCE_ADDED, "M02", "evidence", "Minutes", "Signed minutes", "sam@vendor.io"),
            "sam@vendor.io changed the exit evidence from “Minutes” to “Signed minutes”",
        ),
        (
            Event(EventKind.OWNER_CHANGED, "M02", "customer owner", "", "Jane Doe", ""),
            "Someone changed customer owner from blank to “Jane Doe”",
        ),
    ],
    ids=lambda item: item.kind.value if isinstance(item, Event) else "",
)  # fmt: skip
def test_an_event_reads_as_one_sentence_with_who_what_and_how_far(event: Event, words: str) -> None:
    assert sentence(event) == words


def test_a_claim_says_who_ticked_as_far_as_drive_tells_and_who_must_verify() -> None:
    claim = Event(
        EventKind.CONFIRMED, "M02", "dates", "", "2027-01-05 → 2027-01-12", JANE, Trust.CLAIMED,
        note=drive_hint("sam@vendor.io"),
    )  # fmt: skip
    assert sentence(claim) == (
        "Someone (Drive showed sam@vendor.io) ticked 5 Jan 2027 – 12 Jan 2027 as confirmed by Jane Doe: "
        "a claim until Jane Doe verifies it"
    )


def test_events_are_grouped_by_day_newest_first() -> None:
    moved = Event(EventKind.DATE_MOVED, "M02", "due", "2027-01-12", "2027-01-19", "omar@acme.com")
    at = [datetime(2026, 11, day, hour, tzinfo=UTC) for day, hour in ((29, 9), (30, 8), (30, 17))]
    grouped = list(by_day((moment, moved) for moment in at))
    assert [day for day, _ in grouped] == [date(2026, 11, 30), date(2026, 11, 29)]
    assert [moment.hour for moment, _ in grouped[0][1]] == [17, 8]
