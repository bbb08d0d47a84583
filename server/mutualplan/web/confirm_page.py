"""The buyer's confirmation page as HTML: a pure builder, every value from the plan escaped.

Each row the person can answer is its own form: `row` (the row ID), `shown_<ID>` (the start|due the
page showed), the anti-forgery `form_token`, and buttons named `action` valued `confirm` and `propose`;
`propose` also takes `date` (YYYY-MM-DD) and `reason`. Automation and tests drive the page by these names.
"""

from __future__ import annotations

from datetime import date
from html import escape

from mutualplan.app.confirming import ConfirmPage, PageRow
from mutualplan.plan.dates.reading import format_day
from mutualplan.plan.history.snapshot import date_text
from mutualplan.plan.sheet.vocabulary import HeadField

HEAD_SHOWN = (
    (HeadField.GO_LIVE, "Go-live"),
    (HeadField.TARGET_SIGNATURE, "Target signature"),
    (HeadField.EXTERNAL_DEADLINE, "External deadline"),
)
COLUMNS = (
    ("step", "Step"), ("owners", "Owners"), ("start", "Start"), ("due", "Due"),
    ("evidence", "Exit evidence"), ("status", "Status"), ("answer", "Your answer"),
)  # fmt: skip
HEADER_ROW = "".join(f"<th>{label}</th>" for _, label in COLUMNS)
# A table on a desk; on a phone each step is a card, every value labelled, the buttons in reach.
STYLE = """
*{box-sizing:border-box} body{font-family:system-ui,sans-serif;margin:0 auto;max-width:64rem;padding:1rem;
color:#202124;line-height:1.45;overflow-wrap:break-word}
h1{font-size:1.4rem;margin:.2rem 0} h2{font-size:1.1rem;margin:1.6rem 0 .4rem} .muted{color:#5f6368}
.note{padding:.6rem .8rem;border-radius:6px;margin:1rem 0} .ok{background:#e6f4ea}
.warn{background:#fef7e0} .bad{background:#fce8e6} table{border-collapse:collapse;width:100%}
th,td{text-align:left;vertical-align:top;padding:.45rem .4rem;border-bottom:1px solid #e0e0e0}
th{font-size:.8rem;color:#5f6368;font-weight:600} .soon td{background:#f8fbff}
td.step{font-weight:600} td.step small{display:block;font-weight:normal;color:#5f6368}
td.date,td.status{white-space:nowrap} td.answer{width:15rem} td.evidence,.state{overflow-wrap:anywhere}
.state{display:block;font-size:.85rem;margin-bottom:.3rem} .confirmed{color:#137333} .claimed{color:#b06000}
.voided{color:#a50e0e} .proposed{color:#1967d2}
form{margin:0}
button{font:inherit;padding:.35rem .8rem;border-radius:4px;border:1px solid #1a73e8;background:#1a73e8;
color:#fff;cursor:pointer} button.plain{background:#fff;color:#1a73e8} details{margin-top:.35rem}
summary{cursor:pointer;color:#1a73e8} input{font:inherit;padding:.25rem;max-width:100%}
dl{display:flex;flex-wrap:wrap;gap:.4rem 2rem} dt{font-size:.8rem;color:#5f6368} dd{margin:0;font-weight:600}
@media (max-width:40rem){
 table,thead,tbody,tr,td{display:block;width:100%} thead{display:none}
 tr{border:1px solid #dadce0;border-radius:8px;margin:0 0 .8rem;padding:.4rem .7rem;background:#fff}
 .soon td{background:transparent} tr.soon{border-color:#aecbfa}
 td{border:0;padding:.15rem 0} td.answer{width:auto;padding-top:.5rem}
 td[data-label]::before{content:attr(data-label) ": ";color:#5f6368;font-size:.8rem}
 td.step{font-size:1.05rem} button{padding:.5rem 1rem} input{width:100%;margin:.2rem 0}
}
"""

MAX_ANSWERS = 500  # answers one form may carry: "Confirm all" offers no more


def page_html(page: ConfirmPage, token_path: str, message: str = "", tone: str = "ok") -> str:
    """The whole page: the head dates, then the person's own steps, then the rest of the plan — each
    part the next 30 days first."""
    until = escape(format_day(page.expires.date()))
    head = "".join(
        f"<div><dt>{escape(label)}</dt><dd>{escape(_day_text(page.head[field.value]))}</dd></div>"
        for field, label in HEAD_SHOWN
        if page.head.get(field.value)
    )
    soon = [item for item in page.rows if item.soon and _may_confirm(item)]
    confirm_all = _confirm_all(page, soon, token_path) if len(soon) > 1 else ""
    notice = f'<p class="note {escape(tone)}" role="status">{escape(message)}</p>' if message else ""
    theirs = [item for item in page.rows if item.theirs]
    others = [item for item in page.rows if not item.theirs]
    parts = [("Your steps", theirs), ("The rest of the plan" if theirs else "The plan", others)]
    tables = "".join(_table(page, title, items, token_path) for title, items in parts if items)
    return (
        "<!doctype html><html lang=en><meta charset=utf-8>"
        "<meta name=viewport content='width=device-width, initial-scale=1'><meta name=robots content=noindex>"
        f"<title>Confirm dates — {escape(page.title)}</title><style>{STYLE}</style>"
        f"<p class=muted>mutualplan · for {escape(page.person)} ({escape(page.email)})</p>"
        f"<h1>{escape(page.title)}</h1>{_verifiers(page)}{notice}<dl>{head}</dl>"
        "<p>Confirm the dates your side can keep, or propose another date with a reason. "
        "A proposal changes nothing until the seller accepts it.</p>"
        f"{confirm_all}{tables}"
        f"<p class=muted>This link is yours alone and works until {until}. "
        "Don't forward it: ask the seller for a link for someone else. "
        "<a href=/privacy>What mutualplan keeps and sends</a>.</p></html>"
    )


def _table(page: ConfirmPage, title: str, items: list[PageRow], token_path: str) -> str:
    rows = "".join(_row(page, item, token_path) for item in items)
    return f"<h2>{escape(title)}</h2><table><thead><tr>{HEADER_ROW}</tr></thead><tbody>{rows}</tbody></table>"


def _may_confirm(item: PageRow) -> bool:
    """Whether the page offers to confirm the row's dates as they stand."""
    return item.can_answer and not item.confirmed_by_them and not item.proposed_by_them


def _verifiers(page: ConfirmPage) -> str:
    """Who verified dates, at which domain: a name at a domain the buyer does not know is an impostor."""
    if not page.verifiers:
        return "<p class=muted>Nobody has verified a date in this plan yet.</p>"
    named = ", ".join(f"{escape(name)} ({escape(domain)})" for name, domain in page.verifiers)
    return f"<p class=muted>Dates verified so far by: {named}</p>"


def refusal_html(title: str, message: str) -> str:
    """A page for a link that can't be used, saying what to do."""
    return (
        "<!doctype html><html lang=en><meta charset=utf-8><meta name=robots content=noindex>"
        f"<meta name=viewport content='width=device-width, initial-scale=1'><title>{escape(title)}</title>"
        f"<style>{STYLE}</style><h1>{escape(title)}</h1><p class='note bad'>{escape(message)}.</p></html>"
    )


JOIN_SENT = (
    "If that address belongs to one of this plan's customer people, their own link is on its way to it. "
    "It can take a minute; look in spam too. The link is theirs alone: please don't forward it"
)


def join_html(path: str, sent: bool = False, problem: str = "") -> str:
    """The plan link's page: type your address, and your own link is mailed to it. It says the same
    whatever was typed, so it tells nobody who is on the plan."""
    said = f"<p class='note ok' role=status>{escape(JOIN_SENT)}.</p>" if sent else ""
    if problem:
        said = f"<p class='note bad' role=status>{escape(problem)}.</p>"
    return (
        "<!doctype html><html lang=en><meta charset=utf-8><meta name=robots content=noindex>"
        "<meta name=viewport content='width=device-width, initial-scale=1'>"
        "<title>Your link to the plan</title>"
        f"<style>{STYLE}</style><h1>Your link to the Mutual Action Plan</h1>"
        "<p class=muted>Type your work email address. If you are one of the customer's people on this plan, "
        "your own confirmation link is mailed to you — it opens the plan for you to confirm dates or "
        f"propose others.</p>{said}"
        f'<form method=post action="{escape(path, quote=True)}"><label>Your email '
        "<input type=email name=email required autocomplete=email maxlength=320></label> "
        "<button>Mail me my link</button></form></html>"
    )


def _hidden(name: str, value: str) -> str:
    return f'<input type=hidden name="{escape(name)}" value="{escape(value)}">'


def _shown(item: PageRow) -> str:
    row = item.state
    return _hidden("row", row.id) + _hidden(f"shown_{row.id}", f"{date_text(row.start)}|{date_text(row.due)}")


def _confirm_all(page: ConfirmPage, soon: list[PageRow], token_path: str) -> str:
    fields = _hidden("form_token", page.form_token) + "".join(_shown(item) for item in soon[:MAX_ANSWERS])
    many = len(soon) > MAX_ANSWERS
    which = f"the first {MAX_ANSWERS} of the {len(soon)}" if many else f"all {len(soon)}"
    button = f"<button name=action value=confirm>Confirm {which} dates due in the next 30 days</button>"
    return f'<form method=post action="{escape(token_path)}" class=note>{fields}{button}</form>'


def _row(page: ConfirmPage, item: PageRow, token_path: str) -> str:
    row = item.state
    owners = ", ".join(owner.name or owner.email or "" for owner in row.owners)
    values = {
        "owners": escape(owners), "start": escape(_day(row.start)), "due": escape(_day(row.due)),
        "evidence": escape(row.evidence), "status": escape(row.status),
    }  # fmt: skip
    step = f"<td class=step>{escape(row.step)}<small>{escape(row.id)}</small></td>"
    cells = "".join(
        f'<td class="{"date" if key in ("start", "due") else key}" data-label="{label}">{values[key]}</td>'
        for key, label in COLUMNS[1:-1]
    )
    answer = f"<td class=answer>{_answer(page, item, token_path)}</td>"
    return f"<tr{' class=soon' if item.soon else ''}>{step}{cells}{answer}</tr>"


def _answer(page: ConfirmPage, item: PageRow, token_path: str) -> str:
    row = item.state
    record = row.confirmation
    if row.verified and record is not None:
        by = "you" if item.confirmed_by_them else record.by.partition(" <")[0]
        state = f'<span class="state confirmed">Confirmed by {escape(by)}</span>'
    elif record is not None and (record.start, record.due) == (row.start, row.due):
        claimant = escape(record.by.partition(" <")[0])
        state = f'<span class="state claimed">Ticked for {claimant} — not verified</span>'
    elif row.voided is not None:
        gone = row.voided
        said = f"Confirmation voided: {gone.mover} moved {gone.old_dates} to {gone.new_dates} — confirm again"
        state = f'<span class="state voided">{escape(said)}</span>'
    else:
        state = '<span class="state">Not confirmed</span>'
    if row.proposal is not None:
        proposal = row.proposal
        who = "You" if item.proposed_by_them else escape(proposal.by.partition(" <")[0])
        waiting = " — waiting for the seller" if item.proposed_by_them else ""
        state += (
            f'<span class="state proposed">{who} proposed {escape(format_day(proposal.due))}{waiting}: '
            f"{escape(proposal.reason)}</span>"
        )
    if not item.can_answer or item.confirmed_by_them:
        return state
    fields = _hidden("form_token", page.form_token) + _shown(item)
    again = "a different date" if item.proposed_by_them else "another date"
    propose = (
        f"<details><summary>Propose {again}</summary>"
        f'<input type=date name=date aria-label="Proposed due date for {escape(row.id)}" '
        f'min="{page.today.isoformat()}"> '
        f'<input name=reason maxlength=500 placeholder="Why" aria-label="Reason for {escape(row.id)}"> '
        "<button class=plain name=action value=propose>Propose</button></details>"
    )
    style = "" if item.theirs else " class=plain"  # another's step: offered, not pressed on them
    confirm = (
        ""
        if item.proposed_by_them
        else f"<button{style} name=action value=confirm>Confirm these dates</button>"
    )
    return f'{state}<form method=post action="{escape(token_path)}">{fields}{confirm}{propose}</form>'


def _day(day: date | None) -> str:
    return format_day(day) if day else "—"


def _day_text(text: str) -> str:
    try:
        return format_day(date.fromisoformat(text))
    except ValueError:
        return text
