"""The sidebar's buttons on a plan: Validate, Activity, Ask the customer to confirm (and Send), Reminders."""

from __future__ import annotations

from mutualplan.app.remind import Remind, title_of
from mutualplan.app.services import services
from mutualplan.app.stamping import validate
from mutualplan.app.sync import history_of, sync
from mutualplan.app.watch import GooglePlan
from mutualplan.errors import InputError
from mutualplan.plan.confirmation import confirm_request_lines, unconfirmed_within
from mutualplan.plan.parse import parse
from mutualplan.plan.reminder_settings import MAX_DAYS_AHEAD, ReminderSettings
from mutualplan.plan.reminders import PlanToRemind, Skipped, confirm_request
from mutualplan.plan.stakeholders import champion_of, read_stakeholders
from mutualplan.web.addon import (
    ACTIVITY_SHOWN,
    Answer,
    addon,
    card_answers,
    current_plan,
    event,
    home_view,
    plan_urls,
    today_of,
    urls,
)
from mutualplan.web.cards import notify, update
from mutualplan.web.plan_cards import (
    Unconfirmed,
    activity_card,
    ask_card,
    findings_card,
    home_card,
    reminders_card,
)
from mutualplan.web.unsubscribe import unsubscribe_link

__all__ = ["addon"]  # the add-on's blueprint, with these buttons registered on it


@addon.post("/validate", endpoint="validate")
@card_answers
def validate_plan() -> Answer:
    """Check every row, mark the sheet, and list the findings."""
    current = event()
    workbook, record = current_plan(current)
    history = history_of(services().store, record.id)
    report = validate(workbook, today_of(current), None, history, tab=record.tabs[0])
    return update(findings_card(report, urls()))


@addon.post("/activity")
@card_answers
def activity() -> Answer:
    """The latest confirmations, voids and slips."""
    _, record = current_plan(event())
    return update(activity_card(services().store.events(record.id)[-ACTIVITY_SHOWN:], urls()))


@addon.post("/ask")
@card_answers
def ask() -> Answer:
    """The next 30 days' unconfirmed dates, and the words to ask the champion with."""
    current = event()
    workbook, record = current_plan(current)
    map_tab, stakeholders_tab, _ = record.tabs
    grids = workbook.read_tabs([map_tab, stakeholders_tab])
    plan = parse(grids[map_tab]).plan
    rows = unconfirmed_within(plan, today_of(current), history_of(services().store, record.id))
    champion = champion_of(read_stakeholders(grids.get(stakeholders_tab)))
    listed = [
        Unconfirmed(
            row.sheet_row, row.step, row.due.value, ", ".join(owner.party.label for owner in row.owners)
        )
        for row in rows
        if row.due.value
    ]
    to = f"{champion.name} <{champion.email}>" if champion else ""
    words = "\n".join(confirm_request_lines([(item.due, item.step) for item in listed]))
    return update(ask_card(listed, to, words, urls()))


@addon.post("/ask/send")
@card_answers
def ask_send() -> Answer:
    """Send this week's request to the champion now (the weekly job then knows it was sent)."""
    current, wired = event(), services()
    workbook, record = current_plan(current)
    access = GooglePlan(workbook, wired.drive_for_token(current.user_token), current.spreadsheet_id)
    sync(wired.store, workbook, record, access.editors, wired.now)  # ask about the sheet as it is now
    found = dict(wired.store.plan_inputs(record.id))[record.id]
    plan = PlanToRemind(
        record.id, title_of(found.snapshot, record), record.owner, found.snapshot, found.settings
    )
    asked = confirm_request(plan, today_of(current))
    if asked is None:
        return notify("Every open step due in the next 30 days is confirmed: nothing to ask")
    if isinstance(asked, Skipped):
        return notify(f"Not sent: {asked.why}")
    if asked.key in found.claimed:
        return notify(f"{asked.to.email} was already asked this week")
    run = Remind(wired.store, wired.mailer_for, unsubscribe_link, wired.now())
    run.send(record, asked)
    if run.report.sent:
        dates = sum(line.startswith("•") for line in asked.lines)
        return notify(f"Sent to {asked.to.name or asked.to.email}: {dates} dates to confirm")
    return notify(f"Not sent: {run.report.skipped[-1]['why']}")


@addon.post("/reminders")
@card_answers
def reminders() -> Answer:
    """The plan's reminder settings."""
    _, record = current_plan(event())
    return update(reminders_card(services().store.reminder_settings(record.id), urls()))


@addon.post("/reminders/save")
@card_answers
def save_reminders() -> Answer:
    """Keep the reminder settings, then go home."""
    current = event()
    workbook, record = current_plan(current)
    days = current.text("days_ahead") or "3"
    if not days.isdigit() or int(days) > MAX_DAYS_AHEAD:
        raise InputError(f"Days before a due date is a whole number from 0 to {MAX_DAYS_AHEAD}")
    picked = current.chosen("nudge")
    chosen = ReminderSettings(int(days), "owners" in picked, "champion" in picked, "digest" in picked)
    services().store.save_reminder_settings(record.id, chosen)
    return notify("Reminders saved", home_card(home_view(current, workbook, record), plan_urls(record)))
