"""The CRM preview in the sandbox, in a browser, as the seller: the card lists exactly what a push would
write and never the close date; a close date typed by hand before the plan's signature, or a Commit the
buyer's dates do not support, is P-CRM-CLOSE-UNSUPPORTED; a pasted opportunity is linked and waits for
a CRM this sandbox does not have; unlinking brings the preview back."""

from __future__ import annotations

from datetime import date, timedelta

from playwright.sync_api import Page, expect

from mutualplan.app.crm_push import preview_of
from mutualplan.app.sandbox import Sandbox
from mutualplan.plan.crm import OWNED_FIELDS
from tests.e2e.conftest import shot

OPPORTUNITY = "https://vendor.lightning.force.com/lightning/r/Opportunity/0065g00000NwBnkAAB/view"


def test_the_seller_previews_the_crm_fields_checks_a_close_date_and_links_an_opportunity(
    page: Page, demo: tuple[str, Sandbox]
) -> None:
    url, sandbox = demo
    page.set_viewport_size({"width": 1400, "height": 2300})  # the whole card in each screenshot
    page.goto(url)
    card = page.locator("#card")
    expect(card).to_contain_text("Deal health")
    card.get_by_role("button", name="CRM", exact=True).click()
    expect(card).to_contain_text("What a push writes")
    (record,) = sandbox.services.store.plans_of("sam@vendor.example")
    preview = preview_of(sandbox.services, record)
    for item in OWNED_FIELDS:
        expect(card).to_contain_text(f"{item.salesforce} · {item.hubspot}")
    expect(card).to_contain_text(str(preview.salesforce["NextStep"]))
    expect(card).to_contain_text(
        "Never written by a push: CloseDate, StageName, Amount, ForecastCategoryName"
    )
    expect(card).to_contain_text("not set up on this server")
    shot(page, "crm-1-preview")

    signature = preview.score.figures.target_signature
    assert signature is not None
    card.get_by_label("Your CRM's close date").fill((signature - timedelta(days=14)).isoformat())
    card.get_by_role("button", name="Check").click()
    expect(card).to_contain_text("P-CRM-CLOSE-UNSUPPORTED")
    expect(card).to_contain_text("is before the plan's target signature")
    shot(page, "crm-2-close-date-unsupported")
    card.get_by_label("Your CRM's close date").fill(signature.isoformat())
    card.get_by_label("Forecast category").select_option("Pipeline")
    card.get_by_role("button", name="Check").click()
    expect(card).to_contain_text("rest on the plan's buyer-verified dates")

    card.get_by_label("Opportunity or deal").fill(OPPORTUNITY)
    card.get_by_role("button", name="Link", exact=True).click()
    expect(page.locator("#toast")).to_contain_text("Linked. This server is not set up for Salesforce")
    expect(card).to_contain_text("Salesforce opportunity")
    expect(card).to_contain_text("0065g00000NwBnkAAB")
    expect(card).to_contain_text("This server is not set up for Salesforce: a push would write what is below")
    shot(page, "crm-3-linked-waiting")
    card.get_by_role("button", name="Unlink").click()
    expect(card).to_contain_text("CRM preview")
    assert sandbox.services.store.crm_link(record.id) is None
    assert date.fromisoformat(sandbox.today()) <= signature
