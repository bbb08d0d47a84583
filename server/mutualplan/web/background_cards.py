"""The home card's word on background work: the messages a stopped run may not have sent, and the work on
the plan that failed and has not succeeded since."""

from __future__ import annotations

from mutualplan.app.failures import CRM, REMIND, RENEW, SYNC
from mutualplan.app.records import PlanFailure
from mutualplan.app.sidebar_views import HomeView
from mutualplan.web.cards import Widget, fact, paragraph, section

SHOWN_UNKNOWN = 5  # messages that may not have gone out, on the home card
FAILED_WORK = {
    SYNC: "Keeping up with the sheet",
    REMIND: "Today's reminders",
    RENEW: "Watching the sheet",
    CRM: "Updating your CRM",
}
UNKNOWN_SAID = (
    "A run was stopped while sending these, so they may not have gone out. Look in your Gmail Sent folder; "
    "mutualplan will not send them again by itself."
)
FAILED_SAID = (
    "mutualplan tries again by itself, at the plan's next change and on its own schedule (a CRM at the "
    "weekly score too); this goes away once it succeeds."
)


def background_sections(view: HomeView) -> list[dict[str, object]]:
    """A section for what may not have gone out, and one for what failed: each only when there is any."""
    sections = []
    if view.unknown_mail:
        unknown: list[Widget] = [
            fact(f"{item.kind.replace('_', ' ')}, {item.claimed_at:%d %b %H:%M} UTC", item.recipient, "EMAIL")
            for item in view.unknown_mail[:SHOWN_UNKNOWN]
        ]
        if len(view.unknown_mail) > SHOWN_UNKNOWN:
            unknown.append(paragraph(f"and {len(view.unknown_mail) - SHOWN_UNKNOWN} more"))
        sections.append(section([paragraph(UNKNOWN_SAID), *unknown], "Reminders that may not have gone out"))
    if view.failures:
        failed = [fact(_work_and_when(item), item.said, "DESCRIPTION") for item in view.failures]
        sections.append(section([*failed, paragraph(FAILED_SAID)], "Background work that failed"))
    return sections


def _work_and_when(failure: PlanFailure) -> str:
    return f"{FAILED_WORK.get(failure.job, failure.job)}, {failure.at:%d %b %H:%M} UTC"
