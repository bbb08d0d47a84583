"""The sidebar's buttons on a plan: Validate, Activity, Ask the customer to confirm (and Send), Reminders,
Send links (and Reissue), and accepting a date the customer proposed."""

from __future__ import annotations

from mutualplan.app import sidebar, sidebar_confirm, sidebar_people
from mutualplan.app.sidebar_views import HomeView
from mutualplan.web.addon import Answer, addon, card_answers, event, home_or_gallery, opening, plan_urls, urls
from mutualplan.web.cards import notify, update
from mutualplan.web.context import services
from mutualplan.web.people_cards import ROLES_PARAMETER, chosen_people, people_card
from mutualplan.web.plan_cards import (
    activity_card,
    ask_card,
    findings_card,
    home_card,
    links_card,
    proposal_card,
    reminders_card,
)

__all__ = ["addon"]  # the add-on's blueprint, with these buttons registered on it


@addon.post("/validate", endpoint="validate")
@card_answers
def validate_plan() -> Answer:
    """Check every row, mark the sheet, and list the findings."""
    report, cells_url = sidebar.check(services(), opening())
    return update(findings_card(report, urls(), cells_url))


@addon.post("/activity")
@card_answers
def activity() -> Answer:
    """The latest confirmations, voids and slips."""
    return update(activity_card(sidebar.activity(services(), opening()), urls()))


@addon.post("/ask")
@card_answers
def ask() -> Answer:
    """The next 30 days' unconfirmed dates, and the words to ask the champion with."""
    return update(ask_card(sidebar.ask(services(), opening()), urls()))


@addon.post("/ask/send")
@card_answers
def ask_send() -> Answer:
    """Send this week's request to the champion now (the weekly job then knows it was sent)."""
    return notify(sidebar.ask_send(services(), opening()))


@addon.post("/reminders")
@card_answers
def reminders() -> Answer:
    """The plan's reminder settings."""
    return update(reminders_card(sidebar.reminder_settings(services(), opening()), urls()))


@addon.post("/reminders/save")
@card_answers
def save_reminders() -> Answer:
    """Keep the reminder settings, then go home."""
    current = event()
    view = sidebar.save_reminder_settings(
        services(), opening(current), current.text("days_ahead"), current.chosen("nudge")
    )
    return notify("Reminders saved", home_card(view, plan_urls(view)))


@addon.post("/links")
@card_answers
def links() -> Answer:
    """The customer people to send their own links to, and the plan link for a chat."""
    return update(links_card(sidebar_confirm.people_links(services(), opening()), urls()))


@addon.post("/links/send", endpoint="send_link")
@card_answers
def send_link() -> Answer:
    """Mail one person their own link now."""
    current = event()
    return notify(sidebar_confirm.send(services(), opening(current), current.parameters.get("email", "")))


@addon.post("/links/reissue", endpoint="reissue")
@card_answers
def reissue() -> Answer:
    """Revoke one person's links, and mail them a fresh one."""
    current = event()
    return notify(sidebar_confirm.reissue(services(), opening(current), current.parameters.get("email", "")))


@addon.post("/proposal/accept", endpoint="accept_proposal")
@card_answers
def accept_proposal() -> Answer:
    """Move a row to the date the customer proposed, and ask them to confirm it."""
    current = event()
    said = sidebar_confirm.accept_proposal(services(), opening(current), current.parameters.get("row", ""))
    return notify(said, home_or_gallery(sidebar.home(services(), opening(current))))


@addon.post("/people")
@card_answers
def people() -> Answer:
    """Each role placeholder in the plan, to name once."""
    return update(people_card(sidebar_people.people(services(), opening()), urls()))


@addon.post("/people/save", endpoint="save_people")
@card_answers
def save_people() -> Answer:
    """Write each chosen person into every row that holds their role, then go home."""
    current = event()
    roles = current.parameters.get(ROLES_PARAMETER, "")
    fields = {
        f"{kind}_{index}": current.text(f"{kind}_{index}")
        for kind in ("typed", "pick")
        for index in range(len(roles.splitlines()))
    }
    chosen = chosen_people(roles, fields, fields)
    said = sidebar_people.name_people(services(), opening(current), chosen)
    return notify(said, home_or_gallery(sidebar.home(services(), opening(current))))


@addon.post("/proposal", endpoint="proposal")
@card_answers
def proposal() -> Answer:
    """One proposal, to accept, counter with another date, or decline with a reason."""
    current = event()
    view = sidebar.home(services(), opening(current))
    if not isinstance(view, HomeView):
        return update(home_or_gallery(view))
    return update(proposal_card(view, current.parameters.get("row", ""), urls()))


@addon.post("/proposal/counter", endpoint="counter_proposal")
@card_answers
def counter_proposal() -> Answer:
    """Move the row to the seller's own date, and ask the proposer to confirm it."""
    current = event()
    row = current.parameters.get("row", "")
    said = sidebar_confirm.counter_proposal(services(), opening(current), row, current.day("counter"))
    return notify(said, home_or_gallery(sidebar.home(services(), opening(current))))


@addon.post("/proposal/decline", endpoint="decline_proposal")
@card_answers
def decline_proposal() -> Answer:
    """Keep the row's date, close the proposal, and tell the proposer why."""
    current = event()
    row = current.parameters.get("row", "")
    seen = current.parameters.get("proposed", "")
    said = sidebar_confirm.decline_proposal(services(), opening(current), row, current.text("reason"), seen)
    return notify(said, home_or_gallery(sidebar.home(services(), opening(current))))
