"""The guide, as a new seller reaches it: from the sandbox's first screen, in a tab of its own, served by
the sandbox itself, its pictures shown and nothing refused by its own policy."""

from __future__ import annotations

from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from tests.e2e.conftest import shot


def test_the_first_screen_links_to_the_sellers_guide_with_its_pictures(
    page: Page, demo_with_guide: str
) -> None:
    page.goto(demo_with_guide)
    intro = page.get_by_label("What to try")
    with page.expect_popup() as opened:
        intro.get_by_role("link", name="The sellers' guide").click()
    guide = opened.value
    expect(guide.locator("article h1")).to_contain_text("For sellers")
    pictures = guide.locator("article img")
    expect(pictures.first).to_be_visible()
    shown = pictures.evaluate_all("images => images.map(image => image.complete && image.naturalWidth > 0)")
    assert shown, "the sellers' page shows no picture"
    assert all(shown), "a picture of the guide did not load"
    guide.get_by_role("link", name="For managers").first.click()  # the site's own navigation
    expect(guide.locator("article h1")).to_contain_text("For managers")
    shot(guide, "guide-1-managers-page")


def test_the_guide_runs_under_its_own_content_security_policy(browser: Browser, demo_with_guide: str) -> None:
    context = browser.new_context()  # the policy enforced, as a person's browser enforces it
    refused: list[str] = []

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            refused.append(message.text)

    tab = context.new_page()
    tab.on("console", console)
    tab.on("pageerror", lambda error: refused.append(str(error)))
    tab.goto(f"{demo_with_guide}/docs/sellers/")
    expect(tab.locator("article h1")).to_contain_text("For sellers")
    tab.wait_for_load_state("networkidle")
    context.close()
    assert refused == []
