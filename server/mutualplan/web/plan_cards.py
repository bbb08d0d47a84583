"""The cards of a plan: home, Validate's findings, Activity, Ask the customer to confirm, Reminders."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from itertools import groupby

from mutualplan.app.records import AccountStatus
from mutualplan.app.sidebar_confirm import LinksView
from mutualplan.app.sidebar_views import AskPreview, HomeView
from mutualplan.plan.checks.findings import Severity
from mutualplan.plan.checks.fixes import Action, Fix, fixes
from mutualplan.plan.checks.review import Report
from mutualplan.plan.checks.sentences import by_day, sentence
from mutualplan.plan.dates.reading import format_day
from mutualplan.plan.history.audit import StoredEvent
from mutualplan.plan.reminders.settings import ReminderSettings
from mutualplan.plan.sheet.text import plural
from mutualplan.web.background_cards import background_sections
from mutualplan.web.cards import (
    Card,
    Widget,
    button,
    buttons,
    card,
    choice,
    esc,
    fact,
    link_button,
    paragraph,
    section,
    text_input,
)

SHOWN_OWN_ROWS = 10  # a customer person's own steps on their home card; their page has them all
SHOWN_FIXES = 30  # a card stays light; the Check column in the sheet holds every finding
SEVERITY_TITLES = {Severity.ERROR: "To fix", Severity.WARNING: "Worth a look", Severity.INFO: "Notes"}
RANKED = {severity.rank: severity for severity in Severity}


def days_text(days: int | None, what: str) -> str:
    """A countdown in words."""
    if days is None:
        return f"no {what} date in the plan"
    if days == 0:
        return "today"
    if days > 0:
        return f"in {plural(days, 'day')}"
    return f"{plural(-days, 'day')} ago"


def home_card(view: HomeView, urls: Mapping[str, str]) -> Card:
    """The plan at a glance, and what to do next."""
    health = view.health
    rate = (
        f"{health.confirmation_rate_30d:.0%} ({health.confirmed_next_30d} of {health.dates_next_30d})"
        if health.confirmation_rate_30d is not None
        else "no open steps due in the next 30 days"
    )
    claimed = health.claimed_next_30d
    waiting = f"{claimed} more ticked in the sheet, waiting for the person to verify" if claimed else ""
    slips = health.slips
    slip_text = "none" if not slips or not slips.count else f"{slips.count}, {slips.total_days} days in all"
    countdown = [
        fact("Signature", days_text(health.days_to_signature, "target signature"), "DESCRIPTION"),
        fact("Go-live", days_text(health.days_to_go_live, "go-live"), "FLIGHT_DEPARTURE"),
    ]
    if urls.get("timeline"):
        alt = "The plan backward from go-live: confirmed, unconfirmed, slipped and overdue steps"
        countdown.append({"image": {"imageUrl": urls["timeline"], "altText": alt}})
    if view.for_customer:
        return card(view.title, section(countdown, "Countdown"), *_own_sections(view))
    flagged = [section([paragraph(f"⚠ {esc(view.warning)}.")], "Look into this")] if view.warning else []
    return card(
        view.title,
        *flagged,
        section(countdown, "Countdown"),
        section(
            [
                fact("Confirmed by the customer, next 30 days", rate, "STAR", bottom=waiting),
                fact("Distinct customer owners", health.distinct_customer_owners, "MULTIPLE_PEOPLE"),
                fact("Slips", slip_text, "CLOCK"),
                fact("Overdue open steps", health.overdue_open, "DESCRIPTION"),
            ],
            "Deal health",
        ),
        *_proposal_sections(view, urls),
        *background_sections(view),
        section(
            [
                buttons(button("Validate", urls["validate"]), button("Activity", urls["activity"])),
                buttons(
                    button("Ask the customer to confirm", urls["ask"]), button("Reminders", urls["reminders"])
                ),
                buttons(button("Send links", urls["links"]), button("People", urls["people"])),
                buttons(button("Pipeline: all your deals", urls["pipeline"]), button("CRM", urls["crm"])),
            ]
        ),
        section(_account_widgets(view, urls["connect"]), "Background sync and reminders"),
    )


def _own_sections(view: HomeView) -> list[dict[str, object]]:
    """The customer side's view: their own steps and where each stands, and their own page to confirm
    dates or propose others (the seller's settings are not theirs)."""
    said = paragraph("You are on the customer's side of this plan: confirm the dates your side can keep.")
    mine: list[Widget] = [
        fact(
            f"{row.row_id} · {row.step}",
            f"due {format_day(row.due)}" if row.due else "no date",
            bottom=row.state,
        )
        for row in view.own_rows[:SHOWN_OWN_ROWS]
    ]
    if len(view.own_rows) > SHOWN_OWN_ROWS:
        mine.append(paragraph(f"and {len(view.own_rows) - SHOWN_OWN_ROWS} more on your page"))
    yours = section(mine or [paragraph("No open step names you as its owner.")], "Your steps")
    return [
        yours,
        section([said, buttons(link_button("Confirm or propose dates", view.own_link))], "Your page"),
    ]


def _proposal_sections(view: HomeView, urls: Mapping[str, str]) -> list[dict[str, object]]:
    """The dates the customer proposed, each with a button to accept it."""
    if not view.proposals:
        return []
    widgets: list[Widget] = []
    for item in view.proposals:
        was = format_day(item.due) if item.due else "no date"
        said = f"{item.by.partition(' <')[0]} proposes {format_day(item.proposed)} instead of {was}"
        widgets.append(fact(f"{item.row_id} · {item.step}", said, "INVITE", bottom=item.reason))
        accept = button(f"Accept {format_day(item.proposed)}", urls["accept_proposal"], row=item.row_id)
        answer = button("Counter or decline", urls["proposal"], row=item.row_id)
        widgets.append(buttons(accept, answer))
    return [section(widgets, "Proposed by the customer")]


def proposal_card(view: HomeView, row_id: str, urls: Mapping[str, str]) -> Card:
    """One proposal, answered as a conversation: accept it, offer another date, or keep the date and
    say why. Whatever the seller chooses, the proposer is mailed the answer, with their own link."""
    item = next((found for found in view.proposals if found.row_id == row_id), None)
    back = button("Back", urls["home"])
    if item is None:
        return card(
            "Proposal", section([paragraph(f"{esc(row_id)} has no open proposal now."), buttons(back)])
        )
    was = format_day(item.due) if item.due else "no date"
    who = item.by.partition(" <")[0]
    return card(
        "Proposal",
        section(
            [
                fact(
                    f"{item.row_id} · {item.step}",
                    f"{who} proposes {format_day(item.proposed)} instead of {was}",
                    "INVITE",
                    bottom=item.reason,
                ),
                buttons(
                    button(f"Accept {format_day(item.proposed)}", urls["accept_proposal"], row=item.row_id)
                ),
            ],
            "Proposed by the customer",
        ),
        section(
            [
                {
                    "dateTimePicker": {
                        "name": "counter",
                        "label": "The date you can offer",
                        "type": "DATE_ONLY",
                    }
                },
                buttons(button("Counter with this date", urls["counter_proposal"], row=item.row_id)),
            ],
            "Offer another date",
        ),
        section(
            [
                text_input("reason", "Why the date stays", f"{who} reads this", multiline=True),
                buttons(
                    button(
                        f"Keep {was}", urls["decline_proposal"], row=item.row_id, proposed=str(item.proposed)
                    )
                ),
            ],
            "Keep the date",
        ),
        section([buttons(back)]),
    )


def links_card(view: LinksView, urls: Mapping[str, str]) -> Card:
    """Send each customer person their own link (it goes to their inbox alone), Reissue, and the plan link
    with no identity in it, to paste into a chat."""
    back = buttons(button("Back", urls["home"]))
    share = text_input(
        "plan_link",
        "The plan's link, for a chat",
        "It carries no one's identity: whoever opens it types their address, and a customer person's own "
        "link is mailed to them",
        value=view.plan_link,
    )
    if not view.people:
        none = paragraph(
            "Name the customer's people in the plan first — owners or the Stakeholders tab, each with an "
            "address at the customer's own domain."
        )
        return card("Send links", section([none, share, back]))
    intro = paragraph(
        "Each person's own link opens the plan for them to confirm dates or propose others — no login. "
        "It goes to their inbox alone: nobody else ever sees it, you included, so a confirmation "
        "through it is theirs. Reissue stops a lost or forwarded link and sends a fresh one."
    )
    widgets: list[Widget] = [intro]
    for person in view.people:
        widgets.append(fact(person.name, person.email, "PERSON"))
        first = person.name.split()[0] if person.name.split() else person.email
        widgets.append(
            buttons(
                button(f"Send {first} their link", urls["send_link"], email=person.email),
                button("Reissue", urls["reissue"], email=person.email),
            )
        )
    widgets += [share, back]
    return card("Send links", section(widgets))


def _account_widgets(view: HomeView, connect_url: str) -> list[Widget]:
    if not connect_url:
        return [
            paragraph(
                "This server is not set up for background sync and reminders yet: its administrator "
                "sets MUTUALPLAN_SECRET_KEY and the OAuth client."
            )
        ]
    if view.account is AccountStatus.CONNECTED:
        return [fact("Connected", view.owner, "STAR")]
    if view.account is AccountStatus.RECONNECT:
        return [
            paragraph(
                "<b>Reconnect needed.</b> Google no longer accepts mutualplan's authorisation, so "
                "confirmations are not recorded in the background and no reminders go out."
            ),
            buttons(link_button("Reconnect", connect_url)),
        ]
    return [
        paragraph(
            "To record confirmations while the sidebar is closed and to send reminders as you, "
            "mutualplan needs your offline authorisation (this file's access and sending mail only)."
        ),
        buttons(link_button("Connect", connect_url)),
    ]


def findings_card(report: Report, urls: Mapping[str, str], cells_url: str = "") -> Card:
    """Validate's answer to "what do I do first?": the findings grouped by what fixes them, the most
    urgent first, each with its rows and its one action (send links, name the people, open the row)."""
    todo = fixes(report)
    counts = Counter(SEVERITY_TITLES[Severity(RANKED[fix.severity_rank])] for fix in todo)
    summary = (
        f"{plural(len(todo), 'thing')} to do, the most urgent first: "
        + ", ".join(f"{count} {title.lower()}" for title, count in counts.items())
        + ". The sheet is marked: see the Check column."
        if todo
        else "Every row has a named owner, a real date and exit evidence."
    )
    sections = [section([paragraph(esc(summary)), buttons(button("Back", urls["home"]))])]
    for rank, fixes_here in groupby(todo, key=lambda fix: fix.severity_rank):
        title = SEVERITY_TITLES[Severity(RANKED[rank])]
        widgets = [
            widget for fix in list(fixes_here)[:SHOWN_FIXES] for widget in _fix_widgets(fix, urls, cells_url)
        ]
        sections.append(section(widgets, title, collapsible_after=6))
    return card("Validate", *sections)


def _fix_widgets(fix: Fix, urls: Mapping[str, str], cells_url: str) -> list[Widget]:
    step = fix.findings[0].step if len(fix.rows) == 1 else None
    label = f"{fix.where} · {step}" if step else fix.where
    shown: list[Widget] = [fact(label, fix.title)]
    if fix.action is Action.SEND_LINKS:
        shown.append(buttons(button("Send links", urls["links"])))
    elif fix.action is Action.NAME_PEOPLE:
        shown.append(buttons(button("Name the people", urls["people"])))
    elif fix.action is Action.OPEN_ROW and fix.cell and cells_url:
        shown.append(buttons(link_button(f"Open {fix.cell}", f"{cells_url}{fix.cell}", reload=False)))
    return shown


def activity_card(events: Sequence[StoredEvent], urls: Mapping[str, str]) -> Card:
    """The latest confirmations, voids and slips as sentences, by day, newest first."""
    back = section([buttons(button("Back", urls["home"]))])
    if not events:
        none = paragraph("Nothing recorded yet: confirmations and moved dates will show here.")
        return card("Activity", back, section([none], "Latest"))
    days = [
        section(
            [fact(f"{at:%H:%M} UTC · {event.row or 'the plan'}", sentence(event)) for at, event in moments],
            format_day(day),
        )
        for day, moments in by_day((stored.at, stored.event) for stored in events)
    ]
    return card("Activity", back, *days)


def ask_card(preview: AskPreview, urls: Mapping[str, str]) -> Card:
    """The dates to ask the customer about, and the words to ask with."""
    unconfirmed, champion, message = preview.rows, preview.to, preview.words
    if not unconfirmed:
        done = paragraph(
            "Every open step due in the next 30 days is confirmed. Later steps wait for the customer "
            "too: Send links mails each person their own link, for every step they own."
        )
        more = buttons(button("Send links", urls["links"]), button("Back", urls["home"]))
        return card("Ask the customer to confirm", section([done, more]))
    rows = [
        fact(f"Row {item.row} · due {format_day(item.due)}", item.step, bottom=item.owner)
        for item in unconfirmed
    ]
    return card(
        "Ask the customer to confirm",
        section(
            [
                fact("To", champion or "the champion (name one on the Stakeholders tab)", "PERSON"),
                paragraph(esc(message)),
                buttons(button("Send to the champion", urls["ask_send"]), button("Back", urls["home"]))
                if champion
                else buttons(button("Back", urls["home"])),
            ]
        ),
        section(rows, f"{len(unconfirmed)} unconfirmed in the next 30 days", collapsible_after=6),
    )


def reminders_card(settings: ReminderSettings, urls: Mapping[str, str]) -> Card:
    """Who is nudged, how many days ahead, the weekly digest."""
    switches = [
        {
            "text": "Remind row owners before, on and after due dates",
            "value": "owners",
            "selected": settings.owners,
        },
        {
            "text": "Ask the champion weekly to confirm the next 30 days",
            "value": "champion",
            "selected": settings.champion,
        },
        {
            "text": "Send the weekly countdown to you and the champion",
            "value": "digest",
            "selected": settings.digest,
        },
    ]
    return card(
        "Reminders",
        section(
            [
                choice("nudge", "Who is nudged", switches, kind="SWITCH"),
                text_input("days_ahead", "Days before a due date", "3", value=str(settings.days_ahead)),
                buttons(button("Save", urls["save_reminders"]), button("Back", urls["home"])),
            ]
        ),
    )
