"""Composing reminder mail: text and HTML, escaping, header safety, Message-IDs, unsubscribe, IDN."""

from __future__ import annotations

from dataclasses import replace
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest

from mutualplan.app.mail import compose, message_id
from mutualplan.errors import InputError
from mutualplan.plan.reminders.planner import Recipient, Reminder, ReminderKind

UNSUBSCRIBE = "https://mp.example/unsubscribe?t=sealed"


def reminder(step: str = "MSA redlines returned", to: Recipient | None = None) -> Reminder:
    return Reminder(
        ReminderKind.DUE, "plan-1", to or Recipient("jane@acme.com", "Jane Doe"), f"Acme: due today — {step}",
        (f"“{step}” (M04, row 16 of the plan) is due today: 1 Dec 2026.", "• one", "• two"), "M04",
    )  # fmt: skip


def parsed(message: EmailMessage) -> EmailMessage:
    back = message_from_bytes(message.as_bytes(), policy=policy.default)
    assert isinstance(back, EmailMessage)
    return back


def test_a_reminder_is_text_and_html_from_the_seller_to_one_person_with_one_click_unsubscribe() -> None:
    message = parsed(compose(reminder(), "sam@vendor.io", "Sam Lee", UNSUBSCRIBE))
    assert message.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in message.iter_parts()] == ["text/plain", "text/html"]
    assert (message["From"], message["To"]) == (
        "Sam Lee via mutualplan <sam@vendor.io>",
        "Jane Doe <jane@acme.com>",
    )
    assert message["List-Unsubscribe"] == f"<{UNSUBSCRIBE}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = message.get_body(("html",))
    assert html is not None
    assert ">one</li><li" in html.get_content()
    assert ">two</li></ul>" in html.get_content()


def test_the_message_id_is_the_same_for_the_same_reminder_and_differs_for_another() -> None:
    first = compose(reminder(), "sam@vendor.io", "", UNSUBSCRIBE)["Message-ID"]
    again = compose(reminder(), "sam@vendor.io", "", UNSUBSCRIBE)["Message-ID"]
    upcoming = replace(reminder(), kind=ReminderKind.UPCOMING, period="upcoming")
    other = compose(upcoming, "sam@vendor.io", "", UNSUBSCRIBE)["Message-ID"]
    assert first == again == message_id(reminder().key)
    assert first != other


def test_html_in_a_cell_is_text_in_the_html_part() -> None:
    message = parsed(
        compose(reminder('<script>alert("x")</script> & <b>bold</b>'), "sam@vendor.io", "", UNSUBSCRIBE)
    )
    html = message.get_body(("html",))
    assert html is not None
    content = html.get_content()
    assert "<script>" not in content
    assert (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;"
        in content.replace("&#x27;", "'")
    )


def test_only_the_urls_the_sender_links_become_links_never_one_a_cell_holds() -> None:
    ours, theirs = "https://mp.example/?sheet=s1&x=1", "https://evil.example/login"
    words = replace(reminder(), lines=(f"• Acme: stalled — {ours}", f"Evidence: {theirs}"))
    html = parsed(compose(words, "sam@vendor.io", "", UNSUBSCRIBE, linked=[ours])).get_body(("html",))
    assert html is not None
    content = html.get_content()
    shown = "https://mp.example/?sheet=s1&amp;x=1"
    assert f'<a href="{shown}">{shown}</a>' in content
    assert f'href="{theirs}"' not in content
    assert theirs in content  # shown as the text it is


def test_cr_and_lf_in_a_name_or_step_never_reach_a_header() -> None:
    evil = reminder(
        "Kickoff\r\nBcc: everyone@evil.example", Recipient("jane@acme.com", "Jane\r\nBcc: x@evil.example")
    )
    raw = compose(evil, "sam@vendor.io", "Sam\nX-Injected: 1", UNSUBSCRIBE).as_bytes()
    headers = raw.split(b"\r\n\r\n", 1)[0]
    assert b"\r\nBcc:" not in headers
    assert b"\r\nX-Injected:" not in headers
    message = parsed(compose(evil, "sam@vendor.io", "", UNSUBSCRIBE))
    assert message["Subject"] == "Acme: due today — Kickoff Bcc: everyone@evil.example"


def test_an_internationalised_domain_is_sent_in_its_ascii_form() -> None:
    message = compose(reminder(to=Recipient("ana@bücher.de", "Ana")), "sam@vendor.io", "", UNSUBSCRIBE)
    assert message["To"] == "Ana <ana@xn--bcher-kva.de>"


@pytest.mark.parametrize(
    "address",
    [
        "jürgen@acme.com", "not-an-address", "@acme.com",
        "jane@northwind.example\r\nBcc: evil@evil.example",  # CR/LF in a cell: never a second recipient
        "jane@acme.com, bob@acme.com", '"Jane Doe" <jane@acme.com>', "jane doe@acme.com", "jane@acme.com\x00",
    ],
)  # fmt: skip
def test_an_address_mail_cannot_go_to_is_refused_with_a_reason(address: str) -> None:
    with pytest.raises(InputError, match=r"not (one|an) address mail can be sent to"):
        compose(reminder(to=Recipient(address)), "sam@vendor.io", "", UNSUBSCRIBE)


def test_a_long_sealed_unsubscribe_link_goes_out_as_the_exact_bytes_rfc_8058_shows() -> None:
    link = "https://mutualplan.example.com/unsubscribe?t=" + "gAAAAABn" * 40  # a real link's length
    raw = compose(reminder(), "sam@vendor.io", "Sam Lee", link).as_bytes()
    headers = raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
    assert f"List-Unsubscribe: <{link}>".encode() in headers
    assert b"List-Unsubscribe-Post: List-Unsubscribe=One-Click" in headers
    assert b"=?utf-8?" not in b"\r\n".join(header for header in headers if header.startswith(b"List-"))
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998


def test_every_message_links_to_the_plan_and_a_buyers_to_their_own_page_too() -> None:
    plan = "https://docs.google.com/spreadsheets/d/sheet-1/edit"
    mine = "https://mp.example/confirm/sealed"
    message = parsed(compose(reminder(), "sam@vendor.io", "", UNSUBSCRIBE, mine, None, plan))
    text, html = message.get_body(("plain",)), message.get_body(("html",))
    assert text is not None
    assert html is not None
    assert f"The plan: {plan}" in text.get_content()
    assert f"Your confirmation page (yours alone, don't forward it): {mine}" in text.get_content()
    assert f'<a href="{plan}">Open the plan</a>' in html.get_content()
    assert f'href="{mine}"' in html.get_content()
    assert html.get_content().count("display:inline-block") == 1  # one button: their own page
    assert '<h1 style="font-size:18px;margin:0 0 12px">Acme</h1>' in html.get_content()  # the plan's name
    assert "Hello Jane Doe," in text.get_content()
    assert message["X-Mutualplan-Reminder"] == "due"
    sellers = parsed(compose(reminder(), "sam@vendor.io", "", UNSUBSCRIBE, "", None, plan))
    assert "confirmation page" not in str(sellers.get_body(("plain",)).get_content())  # type: ignore[union-attr]


def test_a_seller_without_a_name_in_the_plan_sends_from_the_bare_address_and_gets_one_button() -> None:
    plan = "https://docs.google.com/spreadsheets/d/sheet-1/edit"
    message = parsed(
        compose(reminder(to=Recipient("sam@vendor.io")), "sam@vendor.io", "", UNSUBSCRIBE, "", None, plan)
    )
    assert message["From"] == "sam@vendor.io"
    html = message.get_body(("html",))
    assert html is not None
    assert html.get_content().count("display:inline-block") == 1
    assert f'href="{plan}" style="display:inline-block' in html.get_content()
    assert "Hello," in str(message.get_body(("plain",)).get_content())  # type: ignore[union-attr]
