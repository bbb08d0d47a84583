"""The whole add-on in a browser, as a new user meets it: headless Chromium, the sandbox on loopback."""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import CLOCK_MOVED_MS, shot

JANE = "jane@acme.example"
SELLER = "sam@vendor.example"


def saved(page: Page) -> int:
    """How many edits the page has finished (saved, synced, and the grid drawn again)."""
    return int(page.evaluate("Number(document.body.dataset.saved || 0)"))


def wait_saved(page: Page, before: int) -> None:
    page.wait_for_function(f"Number(document.body.dataset.saved || 0) > {before}")


def edit_text(page: Page, name: str, text: str) -> None:
    before = saved(page)
    field = page.get_by_label(name, exact=True)
    field.fill(text)
    field.blur()
    wait_saved(page, before)


def tick(page: Page, name: str) -> None:
    before = saved(page)
    page.get_by_label(name, exact=True).check()
    wait_saved(page, before)


def cell_values(page: Page) -> list[str]:
    """Every cell's text on the tab shown."""
    fields = page.locator("#grid textarea, #grid input")
    found: list[str] = fields.evaluate_all("fields => fields.map(field => field.value)")
    return found


def log_rows(page: Page) -> list[list[str]]:
    """The Log tab's lines below its header, each cell as text (the MAP tab is shown again after)."""
    page.locator("#tabs").get_by_role("button", name="Log").click()
    expect(page.get_by_label("A1", exact=True)).to_have_value("When")
    rows: list[list[str]] = page.locator("#grid tbody tr").evaluate_all(
        "rows => rows.slice(1).map(row => "
        "[...row.querySelectorAll('textarea, input')].map(field => field.value))"
    )
    page.locator("#tabs").get_by_role("button", name="MAP").click()
    expect(page.get_by_label("A12", exact=True)).to_have_value("ID")
    return [row for row in rows if any(row)]


def as_persona(page: Page, email: str) -> None:
    """Edit as this person, once the sidebar shows their side (its own sync is then done)."""
    page.locator("#persona").select_option(email)
    shown = "on the customer's side" if email == JANE else "Deal health"
    expect(page.locator("#sidebar")).to_contain_text(shown)


def recorded(page: Page, words: str | re.Pattern[str], timeout: float | None = None) -> None:
    expect(page.locator("#toast")).to_contain_text(words, timeout=timeout)


def stamp_acme(sidebar: Locator) -> None:
    """Stamp a mid-market plan for Acme Bank from the gallery, 300 days to go-live."""
    sidebar.get_by_label("Template").select_option("mid-market")
    sidebar.locator("input[name=go_live]").fill((date.today() + timedelta(days=300)).isoformat())
    sidebar.locator("input[name=customer]").fill("Acme Bank")
    sidebar.locator("input[name=customer_domain]").fill("acme.example")
    sidebar.get_by_role("button", name="Stamp the plan").click()
    expect(sidebar).to_contain_text("Deal health")


def acme_plan(page: Page, sandbox_url: str) -> Locator:
    """A new spreadsheet, access granted, and Acme Bank's plan stamped: the sidebar."""
    page.goto(sandbox_url)
    page.get_by_role("button", name="New spreadsheet").click()
    sidebar = page.locator("#sidebar")
    sidebar.get_by_role("button", name="Grant access to this spreadsheet").click()
    stamp_acme(sidebar)
    return sidebar


def test_a_new_user_stamps_confirms_voids_validates_and_reads_the_reminders(
    page: Page, sandbox_url: str
) -> None:
    page.goto(sandbox_url)
    page.get_by_role("button", name="New spreadsheet").click()
    sidebar = page.locator("#sidebar")
    expect(sidebar).to_contain_text("this spreadsheet only")
    sidebar.get_by_role("button", name="Grant access to this spreadsheet").click()
    expect(sidebar).to_contain_text("Start a Mutual Action Plan")
    shot(page, "1-gallery")

    stamp_acme(sidebar)
    expect(page.locator("#tabs")).to_contain_text("Log")
    shot(page, "2-stamped")

    edit_text(page, "D13", f"Jane Doe <{JANE}>")
    recorded(page, re.compile(r"M01: .+ changed owners"))
    edit_text(page, "D14", f"Jane Doe <{JANE}>")
    recorded(page, re.compile(r"M02: .+ changed owners"))
    edit_text(page, "E13", f"Sam Lee <{SELLER}>")
    expect(page.get_by_label("E13", exact=True)).to_have_value(
        "Sam Lee"
    )  # a person shows as a chip: the name
    shot(page, "3-owners")

    as_persona(page, JANE)
    tick(page, "L13")
    recorded(page, "M01: Jane Doe confirmed")
    tick(page, "L14")
    recorded(page, "M02: Jane Doe confirmed")
    expect(page.get_by_label("M13", exact=True)).to_have_value("Jane Doe")  # filled in by name: Jane ticked
    shot(page, "4-confirmed")

    with page.expect_popup() as opened:  # her own page, from her sidebar: a tab of its own, as in Google
        page.locator("#sidebar").get_by_role("button", name="Confirm or propose dates").click()
    own = opened.value
    expect(own.locator("h1")).to_contain_text("Acme Bank")
    expect(own.locator("tr", has_text="M01")).to_contain_text("Confirmed by you")
    own.close()

    due = page.get_by_label("G13", exact=True)
    moved = date.fromisoformat(due.input_value()) + timedelta(days=7)
    edit_text(page, "G13", moved.isoformat())
    recorded(page, "the confirmation is void")
    expect(page.get_by_label("L13", exact=True)).not_to_be_checked()
    expect(page.get_by_label("L14", exact=True)).to_be_checked()
    voided = page.locator("td[data-cell=L13]")
    said = re.compile(r"^Confirmation voided: Jane Doe confirmed .+ — ask")
    expect(voided).to_have_attribute("title", said)
    expect(voided.locator(".badge")).to_have_text("voided by Jane Doe")  # people by name, everywhere
    expect(voided.locator(".badge")).to_have_attribute(
        "title", re.compile(rf"– {moved.day} {moved:%b %Y} by Jane Doe$")
    )
    shot(page, "5-voided")

    page.locator("#tabs").get_by_role("button", name="Log").click()
    expect(page.get_by_label("A1", exact=True)).to_have_value("When")
    events = cell_values(page)
    assert any(event.endswith("the confirmation is void — ask again") for event in events)
    assert any(event.startswith("Jane Doe moved due from ") for event in events)
    assert "verified" in events
    shot(page, "6-log")

    page.locator("#tabs").get_by_role("button", name="MAP").click()
    as_persona(page, SELLER)
    sidebar.get_by_role("button", name="Validate").click()
    expect(sidebar).to_contain_text("The sheet is marked: see the Check column")
    expect(sidebar).to_contain_text("Worth a look")  # roles months out are notes, not errors
    expect(sidebar).to_contain_text("Assumed rather than seen")  # a review question, answered
    shot(page, "7-validate")

    page.get_by_role("button", name="+1 week").click()
    recorded(page, "Today is", CLOCK_MOVED_MS)
    page.get_by_role("button", name="Run reminders").click()
    recorded(page, "sent")
    expect(page.locator("#outbox-count")).not_to_have_text("0")
    page.get_by_role("button", name="Outbox").click()
    page.locator("#messages li").first.click()
    headers = page.locator("#message-headers")
    expect(headers).to_contain_text("Unsubscribe (the link is in their inbox only)")  # Jane's message

    expect(headers.get_by_role("link")).to_have_count(0)
    body = page.frame_locator("#message-body")
    expect(body.locator("body")).to_contain_text("Hello")
    shot(page, "8-outbox")


def test_cell_text_with_html_renders_as_text_in_the_grid_and_the_sidebar(
    page: Page, sandbox_url: str
) -> None:
    page.goto(sandbox_url)
    page.get_by_role("button", name="New spreadsheet").click()
    page.locator("#sidebar").get_by_role("button", name="Grant access to this spreadsheet").click()
    sidebar = page.locator("#sidebar")
    sidebar.locator("input[name=go_live]").fill((date.today() + timedelta(days=300)).isoformat())
    sidebar.get_by_label("Template").select_option("mid-market")
    sidebar.locator("input[name=customer]").fill('<img src=x onerror="document.title=1">Acme')
    sidebar.get_by_role("button", name="Stamp the plan").click()
    expect(sidebar).to_contain_text('<img src=x onerror="document.title=1">Acme')
    expect(page.get_by_label("B2", exact=True)).to_have_value('<img src=x onerror="document.title=1">Acme')
    assert page.locator("img[src=x]").count() == 0  # the text never became an element
    assert page.title() == "mutualplan — sandbox"
    shot(page, "9-escaped")


def test_a_buyer_verifies_a_claimed_date_and_proposes_another_from_the_link_in_their_email(
    page: Page, sandbox_url: str
) -> None:
    acme_plan(page, sandbox_url)

    edit_text(page, "D13", f"Jane Doe <{JANE}>")
    edit_text(page, "M13", f"Jane Doe <{JANE}>")  # the seller names the buyer …
    tick(page, "L13")  # … and ticks for her: a claim, not a confirmation
    recorded(page, "as confirmed by Jane Doe: a claim")
    shot(page, "10-claimed")

    page.get_by_role("button", name="Run reminders").click()
    recorded(page, "sent")
    page.get_by_role("button", name="Outbox").click()  # the seller sees Jane's mail, not her key
    page.locator("#messages li", has_text="did you confirm").first.click()
    body = page.frame_locator("#message-body")
    expect(body.locator("body")).to_contain_text("The plan shows you confirmed these dates")
    masked = body.get_by_role("link", name="Confirm or propose dates")
    expect(masked).to_have_attribute("href", f"{sandbox_url}/confirm/…only-in-their-inbox")
    page.locator("#close-outbox").click()

    as_persona(page, JANE)  # Jane, in her own inbox: her messages alone, counted
    expect(page.locator("#show-outbox")).to_have_text(re.compile(r"^Inbox \([1-9]\d*\)$"))
    page.get_by_role("button", name="Inbox").click()
    expect(page.locator("#outbox-title")).to_have_text(f"Inbox of {JANE}")
    page.locator("#messages li", has_text="did you confirm").first.click()
    live = body.get_by_role("link", name="Confirm or propose dates")
    expect(live).to_have_attribute("href", re.compile(rf"^{re.escape(sandbox_url)}/confirm/gAAAA"))
    link = live.get_attribute("href")
    assert link is not None

    with page.expect_popup() as opened:  # a link in a message opens in its own tab, as in a mail client
        live.click()
    buyer = opened.value
    assert buyer.url == link
    expect(buyer.locator("h1")).to_contain_text("Acme Bank")
    row = buyer.locator("tr", has_text="M01")
    expect(row).to_contain_text("Ticked for Jane Doe — not verified")
    row.get_by_role("button", name="Confirm these dates").click()
    expect(buyer.locator("[role=status]")).to_contain_text("Confirmed — thank you")
    expect(buyer.locator("tr", has_text="M01")).to_contain_text("Confirmed by you")
    shot(buyer, "11-buyer-confirmed")

    other = buyer.locator("tr", has_text="M02")
    other.locator("summary").click()
    due = date.today() + timedelta(days=400)
    other.locator("input[name=date]").fill(due.isoformat())
    other.locator("input[name=reason]").fill("Our board meets later")
    other.get_by_role("button", name="Propose").click()
    expect(buyer.locator("[role=status]")).to_contain_text("Your proposal is with the seller")
    expect(buyer.locator("tr", has_text="M02")).to_contain_text("Our board meets later")
    shot(buyer, "12-buyer-proposed")

    buyer.close()

    page.goto(sandbox_url)
    expect(page.locator("#persona")).to_have_value(JANE)  # the persona chosen survives a reload
    as_persona(page, SELLER)
    expect(page.locator("#sidebar")).to_contain_text("Proposed by the customer")
    page.locator("#tabs").get_by_role("button", name="Log").click()
    expect(page.get_by_label("A1", exact=True)).to_have_value("When")
    events = cell_values(page)
    assert events.count("verified") == 1  # Jane's, through her link
    assert "claimed" in events
    shot(page, "13-seller-sees-proposal")


def confirmed_by_jane(page: Page, sandbox_url: str) -> None:
    """A stamped plan whose first row Jane owns and has confirmed herself."""
    acme_plan(page, sandbox_url)
    edit_text(page, "D13", f"Jane Doe <{JANE}>")
    as_persona(page, JANE)
    tick(page, "L13")
    recorded(page, "M01: Jane Doe confirmed")


def test_a_date_typed_by_keyboard_is_one_edit_with_the_final_value_whatever_the_keystrokes(
    page: Page, sandbox_url: str
) -> None:
    confirmed_by_jane(page, sandbox_url)
    due = page.get_by_label("G13", exact=True)
    before, lines = saved(page), len(log_rows(page))
    due.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("2027-03-01", delay=40)  # digit by digit, as a person types
    page.wait_for_timeout(300)
    assert saved(page) == before  # nothing is saved while typing
    shot(page, "14-typing-a-date")
    page.keyboard.press("Enter")
    wait_saved(page, before)
    page.wait_for_timeout(500)
    assert saved(page) == before + 1
    expect(page.get_by_label("G13", exact=True)).to_have_value("2027-03-01")
    new = log_rows(page)[lines:]
    assert [row[3].split(" from ")[0] for row in new[:1]] == ["Jane Doe moved due"]
    assert new[1][3].endswith("the confirmation is void — ask again")
    assert len(new) == 2
    assert new[0][5] == "2027-03-01"  # the final value, once
    assert [row[1] for row in new] == [f"Jane Doe <{JANE}>"] * 2  # who moved it: never blank, by name
    shot(page, "15-one-edit")

    before = saved(page)
    start = page.get_by_label("F14", exact=True)
    start.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("2027-02-15", delay=20)
    page.keyboard.press("Tab")
    wait_saved(page, before)
    page.wait_for_timeout(500)
    assert saved(page) == before + 1
    expect(page.get_by_label("F14", exact=True)).to_have_value("2027-02-15")
    focused = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert focused == "G14"  # Tab moved on to the next cell, and the grid kept it there


def test_a_week_later_the_sidebar_counts_down_from_the_new_today_without_a_reload(
    page: Page, sandbox_url: str
) -> None:
    sidebar = acme_plan(page, sandbox_url)
    countdown = sidebar.locator(".decorated", has_text="Go-live")
    days = int(countdown.inner_text().split("in ")[1].split(" day")[0])
    page.get_by_role("button", name="+1 week").click()
    recorded(page, "The daily job ran for each day", CLOCK_MOVED_MS)
    expect(countdown).to_contain_text(f"in {days - 7} days")
    shot(page, "16-a-week-later")


def test_a_sellers_tick_shows_as_not_counted_and_a_buyers_as_verified(page: Page, sandbox_url: str) -> None:
    acme_plan(page, sandbox_url)
    edit_text(page, "D13", f"Jane Doe <{JANE}>")
    edit_text(page, "D14", f"Jane Doe <{JANE}>")
    tick(page, "L13")  # the seller ticks for the customer
    sellers = page.locator("td[data-cell=L13]")
    expect(sellers).to_have_class(re.compile(r"\brejected\b"))
    expect(sellers.locator(".badge")).to_have_text("not counted")
    expect(sellers.locator(".badge")).to_have_attribute("title", re.compile(r"^not counted: "))
    as_persona(page, JANE)
    tick(page, "L14")
    jane = page.locator("td[data-cell=L14]")
    expect(jane).to_have_class(re.compile(r"\bverified\b"))
    expect(jane.locator(".badge")).to_have_text("✓ Jane Doe")
    when = re.compile(r"^✓ Jane Doe on \d+ \w{3} \d{4}$")
    expect(jane.locator(".badge")).to_have_attribute("title", when)
    shot(page, "17-not-counted-and-verified")
