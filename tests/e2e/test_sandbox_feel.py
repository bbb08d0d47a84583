"""The sandbox feels like a spreadsheet, not a developer tool: a blank sheet has a grid, what a person
chose survives a reload, each tab keeps its own scroll, dates are typed as the sheet writes them, and
what the page says is in words."""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import Page, expect

from mutualplan.app.sandbox import Sandbox
from mutualplan.bootstrap.demo import CHAMPION
from tests.e2e.conftest import shot
from tests.e2e.test_sandbox import acme_plan, edit_text, stamp_acme


def test_a_blank_spreadsheet_shows_a_grid_to_type_in_and_access_is_remembered_on_reload(
    page: Page, sandbox_url: str
) -> None:
    page.goto(sandbox_url)
    page.get_by_role("button", name="New spreadsheet").click()
    expect(page.locator("#grid tbody tr")).to_have_count(30)
    expect(page.get_by_label("J30", exact=True)).to_be_visible()  # A–J, 30 rows, as Sheets opens
    edit_text(page, "B2", "Notes for the deal")
    expect(page.locator("#toast")).to_have_text("Saved")  # no cell names, no codes
    sidebar = page.locator("#sidebar")
    sidebar.get_by_role("button", name="Grant access to this spreadsheet").click()
    expect(sidebar).to_contain_text("Start a Mutual Action Plan")
    go_live = sidebar.locator("input[name=go_live]")
    expect(go_live).to_have_attribute("placeholder", "YYYY-MM-DD")  # the sheet's own date style
    expect(go_live).to_have_value(re.compile(r"^\d{4}-\d{2}-\d{2}$"))
    expect(sidebar.locator("input[name=customer]")).not_to_have_attribute("placeholder", "Northwind Bank")
    shot(page, "feel-1-gallery")
    page.reload()
    expect(sidebar).to_contain_text("Start a Mutual Action Plan")  # no second Grant access
    go_live = sidebar.locator("input[name=go_live]")
    go_live.fill("31/12/2027")
    sidebar.get_by_role("button", name="Stamp the plan").click()
    expect(page.locator("#toast")).to_contain_text("type the date as YYYY-MM-DD")
    stamp_acme(sidebar)
    shot(page, "feel-2-stamped")


def test_each_tab_keeps_its_own_scroll_and_the_persona_survives_a_reload(
    page: Page, demo: tuple[str, Sandbox]
) -> None:
    url, _ = demo
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(url)
    expect(page.locator("#sidebar")).to_contain_text("Deal health")
    expect(page.get_by_label("A1", exact=True)).to_have_value("Deal")  # the grid drawn: a later draw resets
    wrap = page.locator("#grid-wrap")
    wrap.evaluate("node => { node.scrollLeft = 300; node.scrollTop = 200; }")
    page.wait_for_timeout(100)
    page.locator("#tabs").get_by_role("button", name="Stakeholders").click()
    expect(page.get_by_label("A1", exact=True)).to_have_value("Name")
    assert wrap.evaluate("node => [node.scrollLeft, node.scrollTop]") == [0, 0]  # opens at A1
    page.locator("#tabs").get_by_role("button", name="MAP").click()
    expect(page.get_by_label("A1", exact=True)).to_have_value("Deal")
    assert wrap.evaluate("node => [node.scrollLeft, node.scrollTop]") == [300, 200]  # where it was left
    widths = page.locator("#grid thead th").evaluate_all("cells => cells.map(cell => cell.offsetWidth)")
    customer = page.locator("#tabs").get_by_role("button", name="Stakeholders")
    customer.click()
    header = page.get_by_label("C1", exact=True)
    expect(header).to_have_value("Side")
    role = page.locator("td[data-cell=D2] textarea")
    assert role.evaluate("node => node.scrollHeight <= 24"), "a short value wraps inside a word"
    assert len(widths) > 7
    page.locator("#persona").select_option(CHAMPION)
    expect(page.locator("#sidebar")).to_contain_text("on the customer's side")
    page.reload()
    expect(page.locator("#persona")).to_have_value(CHAMPION)
    expect(page.locator("#sidebar")).to_contain_text("on the customer's side")


def test_a_cell_note_says_what_to_fix_without_a_rule_code_and_the_log_says_who_in_words(
    page: Page, demo: tuple[str, Sandbox]
) -> None:
    url, _ = demo
    page.goto(url)
    expect(page.locator("#sidebar")).to_contain_text("Deal health")
    page.locator("#card").get_by_role("button", name="Validate").click()
    expect(page.locator("#card")).to_contain_text("the most urgent first")
    notes = page.locator("#grid td[title]").evaluate_all("cells => cells.map(cell => cell.title)")
    assert notes
    assert not [note for note in notes if re.match(r"^[PR]-[A-Z-]+:", note)]
    edit_text(page, "B9", "Jane Doe <jane@northwind.example>")
    expect(page.locator("#toast")).to_contain_text("In the Log:")
    expect(page.locator("#toast")).not_to_contain_text("plan:")
    page.locator("#tabs").get_by_role("button", name="Log").click()
    expect(page.get_by_label("A1", exact=True)).to_have_value("When")
    events = page.locator("#grid textarea").evaluate_all("fields => fields.map(field => field.value)")
    assert any(text.startswith("Sam Lee changed Signed off by") for text in events), events[-8:]
    assert not any(text.startswith("Someone changed Signed off by") for text in events)
    later = (date.today() + timedelta(days=1)).isoformat()
    assert later  # the clock is the sandbox's own: nothing here depends on it


def test_text_selected_to_be_typed_over_is_still_typed_over_when_the_grid_reloads_meanwhile(
    page: Page, sandbox_url: str
) -> None:
    acme_plan(page, sandbox_url)
    owner = page.get_by_label("D13", exact=True)
    expect(owner).to_have_value("[Champion]")
    owner.click()
    page.keyboard.press("Control+A")
    page.evaluate("loadGrid()")  # an edit elsewhere, or a sync, draws the grid again under the cursor
    page.keyboard.type("Jane Doe <jane@acme.example>")
    page.keyboard.press("Enter")
    expect(page.locator("#toast")).to_contain_text(re.compile(r"M01: .+ changed owners"))
    expect(page.get_by_label("D13", exact=True)).to_have_value("Jane Doe")
