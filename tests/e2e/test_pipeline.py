"""The manager's pipeline in the sandbox, in a browser: the Manager persona's Pipeline spreadsheet opens on
the Pipeline card with the six deals and their statuses; a deal opens its plan in one tap; +1 week keeps a
new score, moves the stalled deal on, and the Pipeline spreadsheet shows the new week."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import Page, expect

from mutualplan.app.sandbox import Sandbox
from mutualplan.bootstrap.pipeline_demo import MANAGER, MANAGER_SHEET
from mutualplan.plan.pipeline import week_of
from tests.e2e.conftest import CLOCK_MOVED_MS, shot

DEALS = {
    "Fabrikam — Analytics rollout": "Stalled",
    "Tailspin Toys — Security suite": "At risk",
    "Adatum — Renewal": "At risk",
    "Litware — Pilot": "At risk",
    "Contoso — Data platform": "On track",
    "Northwind Bank — credit-model monitoring": "On track",
}
QUIET = re.compile(r"nothing confirmed, done or moved for (\d+) weeks")


def open_pipeline(page: Page, url: str) -> None:
    page.goto(url)
    page.locator("#sheet").select_option(label=MANAGER_SHEET)
    expect(page.locator("#persona")).to_have_value(MANAGER)
    page.locator("#card").get_by_role(
        "button", name="Grant access to this spreadsheet"
    ).click()  # once a file
    expect(page.locator("#card")).to_contain_text("6 deals")


def weekly_rows(page: Page, deal: str) -> list[str]:
    """The weeks the Weekly scores tab holds of a deal, in its order."""
    page.locator("#tabs").get_by_role("button", name="Weekly scores").click()
    expect(page.get_by_label("B1", exact=True)).to_have_value("Week")
    rows: list[list[str]] = page.locator("#grid tbody tr").evaluate_all(
        "rows => rows.map(row => [...row.querySelectorAll('textarea, input')].map(field => field.value))"
    )
    return [row[1] for row in rows if row and row[0] == deal]


def quiet_weeks(page: Page) -> int:
    text = page.locator("#card .decorated", has_text="Fabrikam").inner_text()
    found = QUIET.search(text)
    assert found, text
    return int(found.group(1))


def test_the_manager_sees_six_deals_opens_one_and_a_week_later_sees_the_new_week(
    page: Page, pipeline_demo: tuple[str, Sandbox]
) -> None:
    url, sandbox = pipeline_demo
    open_pipeline(page, url)
    card = page.locator("#card")
    for deal, status in DEALS.items():
        expect(card.locator(".decorated", has_text=deal)).to_contain_text(status)
    first = card.locator(".decorated.clickable").first
    expect(first).to_contain_text("Fabrikam")  # stalled first: what needs attention
    expect(card.locator(".decorated", has_text="Tailspin")).to_contain_text("signature not supported")
    expect(card.locator(".decorated", has_text="Contoso")).to_contain_text("signature supported")
    shot(page, "pipeline-1-manager-card")
    expect(page.get_by_label("A1", exact=True)).to_have_value("Deal")  # the Pipeline tab
    weeks = weekly_rows(page, "Fabrikam — Analytics rollout")
    assert len(weeks) == 12  # the Weekly scores tab: the deal's last twelve weeks, for a chart
    assert weeks[-1] == week_of(date.fromisoformat(sandbox.today())).isoformat()
    quiet = quiet_weeks(page)

    card.locator(".decorated", has_text="Tailspin").click()  # one tap opens that plan's spreadsheet
    expect(page.locator("#sheet option:checked")).to_have_text(re.compile("Tailspin"))
    expect(page.get_by_label("A12", exact=True)).to_have_value("ID")
    shot(page, "pipeline-2-deal-opened")

    page.locator("#sheet").select_option(label=MANAGER_SHEET)
    expect(card).to_contain_text("6 deals")
    page.get_by_role("button", name="+1 week").click()
    expect(page.locator("#toast")).to_contain_text("Today is", timeout=CLOCK_MOVED_MS)
    page.locator("#sheet").select_option(label=MANAGER_SHEET)
    expect(card.locator(".decorated", has_text="Fabrikam")).to_contain_text(f"for {quiet + 1} weeks")
    later = weekly_rows(page, "Fabrikam — Analytics rollout")
    assert later[-1] == week_of(date.fromisoformat(sandbox.today())).isoformat() != weeks[-1]  # the new week
    assert later[:-1] == weeks[1:]
    shot(page, "pipeline-3-a-week-later")
    follow_the_digest(page)


def follow_the_digest(page: Page) -> None:
    """The manager's digest, in the outbox: its picture, and a deal's link opening that plan."""
    page.get_by_role("button", name=re.compile("^Outbox")).click()
    page.locator("#messages li[data-id]", has_text="Your pipeline").first.click()
    frame = page.frame_locator("#message-body")
    expect(frame.locator("body")).to_contain_text("6 deals in your pipeline this week.")
    expect(frame.locator("img")).to_have_attribute(
        "alt", re.compile("confirmed by the customer, week by week")
    )
    shot(page, "pipeline-5-manager-digest")
    with page.expect_popup() as opened:
        frame.get_by_role("link", name=re.compile(r"\?sheet=")).first.click()
    landed = opened.value
    landed.wait_for_load_state()
    expect(landed.locator("#sheet option:checked")).not_to_have_text(MANAGER_SHEET)  # a plan's own sheet
    expect(landed.get_by_label("A12", exact=True)).to_have_value("ID")
    shot(landed, "pipeline-6-a-deal-from-the-digest")


def test_a_seller_makes_a_blank_spreadsheet_their_pipeline_from_the_gallery(
    page: Page, pipeline_demo: tuple[str, Sandbox]
) -> None:
    url, _ = pipeline_demo
    page.goto(url)
    page.get_by_role("button", name="New spreadsheet").click()
    card = page.locator("#card")
    card.get_by_role("button", name="Grant access to this spreadsheet").click()
    card.get_by_role("button", name="Make this my Pipeline spreadsheet").click()
    expect(page.locator("#toast")).to_contain_text("Pipeline written: 3 deals; it is refreshed every Monday")
    expect(card).to_contain_text("3 deals")  # Sam's own: the example, Contoso and Litware
    expect(page.locator("#tabs button", has_text="Weekly scores")).to_be_visible()
    expect(page.get_by_label("A1", exact=True)).to_have_value("Deal")
    card.get_by_label("Share my plans' health with").fill("lea@vendor.example")
    card.get_by_role("button", name="Share").click()
    expect(page.locator("#toast")).to_contain_text("lea@vendor.example now sees your plans' health")
    card.get_by_role("button", name="Stop sharing with lea@vendor.example").click()
    expect(page.locator("#toast")).to_contain_text("lea@vendor.example no longer sees your plans")
    shot(page, "pipeline-4-made-from-the-gallery")
