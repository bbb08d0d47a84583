"""A reminder as an RFC 5322 message: text and HTML, safe headers, one-click unsubscribe (RFC 8058)."""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Collection
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from functools import lru_cache

from mutualplan.errors import InputError
from mutualplan.plan.reminders.planner import Reminder

# Folding only past RFC 5322's 998: RFC 8058 wants List-Unsubscribe as <https://…> byte for byte, and a
# long unbroken URL that the SMTP policy folds at 78 comes out RFC 2047-encoded, which no provider knows.
POLICY = SMTP.clone(max_line_length=998)
_NOT_IN_ADDRESS = r"@\s\x00-\x1f\x7f<>()\[\],;:\"\\"  # a second address, a display name, a control character
_ONE_ADDRESS = re.compile(rf"[^{_NOT_IN_ADDRESS}]+@[^{_NOT_IN_ADDRESS}]+\.[^{_NOT_IN_ADDRESS}.]+")
_HEADER_UNSAFE = re.compile(r"[\x00-\x1f\x7f]+")  # CR, LF and every other control character
FOOTER = "You get this because you own steps in a Mutual Action Plan kept with mutualplan."
PICTURE_ID = "timeline@mutualplan"  # the inline PNG's Content-ID: clients block SVG and remote images


def header_text(text: str) -> str:
    """Text safe in a header: no CR/LF (no header injection), white space folded."""
    return " ".join(_HEADER_UNSAFE.sub(" ", text).split())


@lru_cache(maxsize=4096)  # a run writes to the same people again and again; IDNA costs
def address(email: str, name: str = "") -> Address:
    """One address to put in From or To, read strictly — no control characters, spaces or a second
    address smuggled in a cell — with an internationalised domain in its ASCII (IDNA) form."""
    if not _ONE_ADDRESS.fullmatch(email.strip()):
        raise InputError(f"'{header_text(email)[:120]}' is not one address mail can be sent to: fix the cell")
    local, _, domain = email.strip().rpartition("@")
    if not local.isascii():
        raise InputError(f"'{header_text(email)}' is not an address mail can be sent to")
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise InputError(f"'{domain}' is not a domain mail can be sent to") from exc
    return Address(display_name=header_text(name), username=local, domain=ascii_domain)


def message_id(key: str) -> str:
    """The same reminder always has the same Message-ID: mail clients fold a resend into one."""
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:40]}@mutualplan>"


def compose(
    reminder: Reminder,
    sender: str,
    sender_name: str,
    unsubscribe_url: str,
    confirm_url: str = "",
    picture: bytes | None = None,
    plan_url: str = "",
    picture_alt: str = "The plan's timeline, from today to the go-live",
    footer: str = FOOTER,
    linked: Collection[str] = (),
) -> EmailMessage:
    """The message for one reminder, from the seller to one person: a link to the plan, their own
    confirmation link when they are on the customer's side, and for the digest the plan's timeline (a
    PNG carried in the message)."""
    message = EmailMessage(policy=POLICY)
    message["From"] = address(sender, f"{sender_name} via mutualplan" if sender_name else "")
    message["To"] = address(reminder.to.email, reminder.to.name)
    message["Subject"] = header_text(reminder.subject)
    message["Message-ID"] = message_id(reminder.key)
    message["List-Unsubscribe"] = f"<{header_text(unsubscribe_url)}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["Auto-Submitted"] = "auto-generated"
    message["X-Mutualplan-Reminder"] = reminder.kind.value  # which reminder it is, for filters
    greeting = f"Hello {reminder.to.name}," if reminder.to.name else "Hello,"
    link = [f"The plan: {plan_url}", ""] if plan_url else []
    if confirm_url:
        link += [f"Your confirmation page (yours alone, don't forward it): {confirm_url}", ""]
    text = "\n".join(
        [greeting, "", *reminder.lines, "", *link, "--", footer, f"Unsubscribe: {unsubscribe_url}"]
    )
    message.set_content(text)
    title = reminder.subject.partition(": ")[0]  # every subject opens with the plan's name
    shown_alt = picture_alt if picture is not None else ""
    html_text = _html(
        greeting, reminder.lines, unsubscribe_url, confirm_url, shown_alt, plan_url, title, footer, linked
    )
    message.add_alternative(html_text, subtype="html")
    for part in message.iter_parts():
        if picture is not None and part.get_content_type() == "text/html":  # multipart/related
            part.add_related(picture, "image", "png", cid=f"<{PICTURE_ID}>", filename="timeline.png")
    return message


def _escaped(line: str, linked: Collection[str]) -> str:
    """A line as HTML text, each URL the sender linked made a link."""
    text = html.escape(line)
    for url in linked:
        shown = html.escape(url)
        if shown in text:
            text = text.replace(shown, f'<a href="{html.escape(url, quote=True)}">{shown}</a>')
    return text


BODY = "font:15px/1.5 -apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:#202124;margin:0"
BUTTON = (
    "display:inline-block;background:#1a73e8;color:#ffffff;padding:10px 18px;border-radius:6px;"
    "text-decoration:none;font-weight:600"
)
MUTED = "color:#5f6368;font-size:13px"


def _html(
    greeting: str,
    lines: tuple[str, ...],
    unsubscribe_url: str,
    confirm_url: str,
    picture_alt: str,  # "": no picture
    plan_url: str = "",
    title: str = "",
    footer: str = FOOTER,
    linked: Collection[str] = (),
) -> str:
    """The HTML part, typeset for a phone and a desk alike: the plan's name, the words (every line escaped:
    cell text never becomes markup; bullets as a list), the picture (when one is carried: its alt text
    says what it shows), and one button — a buyer's own page when they have one, else the plan. Of the
    URLs in the words, only those the sender linked (its own, never a cell's) become links."""
    parts = [f'<h1 style="font-size:18px;margin:0 0 12px">{html.escape(title)}</h1>'] if title else []
    parts.append(f"<p>{html.escape(greeting)}</p>")
    bullets: list[str] = []
    for line in [*lines, ""]:
        if line.startswith("• "):
            bullets.append(f'<li style="margin:2px 0">{_escaped(line[2:], linked)}</li>')
            continue
        if bullets:
            parts.append('<ul style="padding-left:20px;margin:4px 0 12px">' + "".join(bullets) + "</ul>")
            bullets = []
        if line:
            parts.append(f'<p style="margin:12px 0 4px">{_escaped(line, linked)}</p>')
    if picture_alt:
        parts.append(
            f'<p><img src="cid:{PICTURE_ID}" alt="{html.escape(picture_alt, quote=True)}" '
            'width="520" style="width:100%;max-width:520px;height:auto;border:1px solid #dadce0;'
            'border-radius:4px"></p>'
        )
    if confirm_url:
        parts.append(
            f'<p style="margin:20px 0 6px"><a href="{html.escape(confirm_url, quote=True)}" '
            f'style="{BUTTON}">Confirm or propose dates</a></p>'
            f'<p style="{MUTED};margin:0">Your own link: please don\'t forward it.</p>'
        )
        if plan_url:
            parts.append(f'<p><a href="{html.escape(plan_url, quote=True)}">Open the plan</a></p>')
    elif plan_url:
        parts.append(
            f'<p style="margin:20px 0"><a href="{html.escape(plan_url, quote=True)}" '
            f'style="{BUTTON}">Open the plan</a></p>'
        )
    link = html.escape(unsubscribe_url, quote=True)
    parts.append(
        f'<p style="{MUTED};border-top:1px solid #e0e0e0;padding-top:12px;margin-top:24px">'
        f'{html.escape(footer)} <a href="{link}" style="color:#5f6368">Unsubscribe</a></p>'
    )
    return (
        f'<!doctype html><html><head><meta name="viewport" content="width=device-width,initial-scale=1">'
        f'</head><body style="{BODY}"><div style="max-width:560px;margin:0 auto;padding:20px 16px">'
        + "".join(parts)
        + "</div></body></html>"
    )
