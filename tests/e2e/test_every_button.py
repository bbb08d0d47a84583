"""Every button of every card the sandbox can show, clicked — as the seller and as a buyer — and the
screens a person meets checked for what trips people up: no error, no 4xx or 5xx, no button whose
parameters went missing, no page wider than its window, no row taller than a glance."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlparse

from playwright.sync_api import Page, Request, Response, expect

from mutualplan.app.confirming import Reply, answer, confirmation_link
from mutualplan.app.sandbox import Sandbox
from mutualplan.bootstrap.demo import CHAMPION
from mutualplan.web.events import SHEET_PARAMETER
from tests.e2e.conftest import CLOCK_MOVED_MS, shot

# What a person must never read: a failure, or a sentence with a hole where a parameter should be.
BROKEN = re.compile(
    r"answered [45]\d\d|Something needs your attention|could not finish|internal error|Failed to fetch|"
    r"^ |  |'' |has no proposed date|is not one of the customer's people|Traceback"
)
DAY = re.compile(r"\d{1,2} [A-Z][a-z]{2} \d{4}")
# Buttons whose click leaves the sidebar: a link Google opens in a tab of its own (checked apart).
LEAVES = {"Connect", "Reconnect", "Confirm or propose dates"}
# Buttons that turn the spreadsheet into something else, so that no other button is left to walk after them
# (tests/e2e/test_pipeline.py presses it in a spreadsheet of its own).
TURNS_THE_SHEET = {"Make this my Pipeline spreadsheet"}
BEFORE_THE_GRANT = {"Grant access to this spreadsheet"}  # drawn while there is no spreadsheet id to carry
# What a form is given before its buttons are pressed, by the field's name (the rest keep their value).
FILLED = {
    "reason": "The regulator's deadline stands",
    "customer": "Acme Bank",
    "customer_domain": "acme.example",
    "deal": "Pilot",
    "counter": (date.today() + timedelta(days=150)).isoformat(),
    "share_with": "lea@vendor.example",
}


@dataclass
class Watch:
    """What the page did while the buttons were clicked."""

    problems: list[str] = field(default_factory=list)
    posted: list[dict[str, str]] = field(default_factory=list)  # each add-on call's parameters
    with_sheet: list[bool] = field(default_factory=list)  # whether each call's event had a sheets object
    clicked: list[str] = field(default_factory=list)

    def response(self, response: Response) -> None:
        if response.status >= 400:
            self.problems.append(
                f"{response.request.method} {urlparse(response.url).path} → {response.status}"
            )

    def request(self, request: Request) -> None:
        if request.method == "POST" and "/addon/" in request.url:
            body = json.loads(request.post_data or "{}")
            self.posted.append(body.get("commonEventObject", {}).get("parameters", {}))
            self.with_sheet.append("sheets" in body)


def answered(page: Page) -> int:
    return int(page.evaluate("Number(document.body.dataset.answered || 0)"))


def call(page: Page, path: str) -> None:
    """Ask for a card as the sidebar does, and wait until it is drawn."""
    before = answered(page)
    page.evaluate(f"callAddon({json.dumps(path)})")
    page.wait_for_function(f"Number(document.body.dataset.answered || 0) > {before}")


def card_buttons(page: Page) -> list[tuple[str, str, str]]:
    """The card's buttons: label, parameters (JSON) and link, in order."""
    found: list[tuple[str, str, str]] = page.locator("#card button").evaluate_all(
        "buttons => buttons.map(b => [b.textContent, b.dataset.parameters || '', b.dataset.link || ''])"
    )
    return found


def fill(page: Page) -> None:
    for name, value in FILLED.items():
        field_ = page.locator(f"#card [name={name}]")
        if field_.count() and not field_.first.input_value():
            field_.first.fill(value)


def press(page: Page, path: list[tuple[str, int]], watch: Watch) -> None:
    """From home, follow the path of buttons (label, which of that label), the last one watched."""
    call(page, "/addon/home")
    page.evaluate("window.__toasts = []")
    for step, (label, nth) in enumerate(path):
        shape = re.escape(label).replace(re.escape("DATE"), DAY.pattern)
        buttons = page.locator("#card button", has_text=re.compile(f"^{shape}$"))
        if buttons.count() <= nth:
            watch.problems.append(f"{' › '.join(item for item, _ in path[: step + 1])}: the button is gone")
            return
        target = buttons.nth(nth)
        link = target.get_attribute("data-link") or ""
        if link:  # the sheet at a cell: this page is the sheet, so the cell is selected here
            cell = link.partition("#range=")[2]
            target.click()
            page.wait_for_function(
                f"document.activeElement?.getAttribute('aria-label') === {json.dumps(cell)}"
            )
            continue
        declared = json.loads(target.get_attribute("data-parameters") or "{}")
        fill(page)
        before, calls = answered(page), len(watch.posted)
        target.click()
        page.wait_for_function(f"Number(document.body.dataset.answered || 0) > {before}")
        sent = watch.posted[calls] if len(watch.posted) > calls else {}
        if sent != declared:
            watch.problems.append(f"{label}: sent {sent}, the card declared {declared}")
        if watch.with_sheet[calls]:  # as Google may send it: the spreadsheet only in the button's parameter
            watch.problems.append(f"{label}: the sandbox posted its event with a sheets object")
        if SHEET_PARAMETER not in declared and label not in BEFORE_THE_GRANT:
            watch.problems.append(f"{label}: the button carries no spreadsheet id")
    watch.clicked.append(" › ".join(label for label, _ in path))
    said = page.evaluate("window.__toasts")
    heading = page.locator("#card h2").inner_text()
    for text in [*said, heading]:
        if BROKEN.search(text):
            watch.problems.append(f"{' › '.join(label for label, _ in path)}: {text!r}")


def walk(page: Page, watch: Watch, depth: int = 2) -> None:
    """Every button reachable from home within depth clicks, each pressed on a fresh way there."""
    page.evaluate(
        "() => { window.__toasts = []; const shown = window.toast;"
        " window.toast = (text) => { window.__toasts.push(text); shown(text); }; }"
    )
    frontier: list[list[tuple[str, int]]] = [[]]
    seen: set[tuple[str, ...]] = set()
    for _ in range(depth):
        following: list[list[tuple[str, int]]] = []
        for path in frontier:
            if path:
                press(page, path, watch)
            else:
                call(page, "/addon/home")
            title = page.locator("#card h2").inner_text() + page.locator("#card .card-header p").inner_text()
            counted: dict[str, int] = {}
            for text, _, link in card_buttons(page):
                label = DAY.sub("DATE", text)  # "Accept 8 Feb 2027": whichever proposal comes first
                nth = counted.get(label, 0)
                counted[label] = nth + 1
                leaves = label in LEAVES or (link and "#range=" not in link)
                if leaves or label == "Back" or label in TURNS_THE_SHEET or (title, label) in seen:
                    continue
                seen.add((title, label))
                following.append([*path, (label, nth)])
        frontier = following
    for path in frontier:
        press(page, path, watch)


def proposed_by_jane(made: Sandbox) -> None:
    """Jane proposes other dates from her own page, as she would: enough for every way to answer one."""
    record = made.services.store.plans()[0]
    url, _ = confirmation_link(made.services, record.id, CHAMPION)
    token = urlparse(url).path.rpartition("/")[2]
    snapshot = made.services.store.latest_snapshot(record.id).snapshot
    assert snapshot is not None
    open_rows = [row for row in snapshot.rows if row.due and row.due > date.today() + timedelta(days=40)]
    for row in open_rows[:8]:
        assert row.due is not None
        later = Reply(row.id, row.start, row.due, row.due + timedelta(days=14), "Our board meets later")
        answer(made.services, token, made.services.links.form_token(token), [later])


def test_every_button_the_seller_can_press_does_what_it_says(page: Page, demo: tuple[str, Sandbox]) -> None:
    url, made = demo
    proposed_by_jane(made)
    watch = Watch()
    page.on("response", watch.response)
    page.on("request", watch.request)
    page.goto(url)
    expect(page.locator("#sidebar")).to_contain_text("Proposed by the customer")
    shot(page, "every-1-seller-home")
    walk(page, watch)
    assert watch.problems == []
    pressed = "\n".join(watch.clicked)
    for reached in (
        "Validate › Send links",
        "Validate › Open B9",
        "People",
        "Counter or decline › Keep",
        "Send links › Send",
        "Send links › Reissue",
        "Reminders › Save",
        "Activity",
        "Ask",
    ):
        assert reached in pressed, f"{reached} was never pressed"  # fmt: skip


def test_every_button_from_a_blank_spreadsheet_to_a_fresh_plan_does_what_it_says(
    page: Page, sandbox_url: str
) -> None:
    watch = Watch()
    page.on("response", watch.response)
    page.on("request", watch.request)
    page.goto(sandbox_url)
    page.get_by_role("button", name="New spreadsheet").click()
    expect(page.locator("#sidebar")).to_contain_text("Grant access")
    walk(page, watch, depth=1)  # Grant access: the gallery
    walk(page, watch, depth=1)  # Stamp the plan: a plan of the customer's own
    expect(page.locator("#tabs button").first).to_have_text("Sheet1")
    expect(page.locator("#tabs button[aria-selected=true]")).to_have_text(
        "MAP"
    )  # the grid turned to the plan
    walk(page, watch)  # and every card a fresh plan shows, with nothing confirmed and no proposal
    assert watch.problems == []
    pressed = "\n".join(watch.clicked)
    for reached in ("Grant access to this spreadsheet", "Stamp the plan", "Validate › Send links", "Ask"):
        assert reached in pressed, f"{reached} was never pressed"


def test_every_button_a_buyer_can_press_does_what_it_says(page: Page, demo: tuple[str, Sandbox]) -> None:
    url, _ = demo
    watch = Watch()
    page.on("response", watch.response)
    page.on("request", watch.request)
    page.goto(url)
    page.locator("#persona").select_option(CHAMPION)
    expect(page.locator("#sidebar")).to_contain_text("on the customer's side")
    walk(page, watch)
    assert watch.problems == []
    with page.expect_popup() as opened:  # her own page, in a tab of its own
        page.locator("#card").get_by_role("button", name="Confirm or propose dates").click()
    own = opened.value
    own.wait_for_load_state()
    expect(own.locator("h1")).to_contain_text("Northwind Bank")
    shot(own, "every-2-buyer-page")
    before = answered(page)
    own.close()  # OnClose RELOAD: the sidebar asks for its card again, as Google does
    page.wait_for_function(f"Number(document.body.dataset.answered || 0) > {before}")
    for seller_only in ("Reminders", "Send links", "People", "Validate"):
        expect(page.locator("#card").get_by_role("button", name=seller_only, exact=True)).to_have_count(0)


def champions_link(made: Sandbox) -> str:
    """The champion's own link to the sample deal's page, as her inbox holds it."""
    link, _ = confirmation_link(made.services, made.services.store.plans()[0].id, CHAMPION)
    return link


def test_the_buyers_page_fits_a_phone_and_a_desk_with_no_sideways_scroll(
    page: Page, demo: tuple[str, Sandbox]
) -> None:
    link = champions_link(demo[1])
    for width, height in ((390, 844), (1440, 900)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(link)
        expect(page.locator("h2").first).to_have_text("Your steps")  # her own steps first
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= width, f"{wide} px of page in a {width} px window"
        confirm = page.get_by_role("button", name="Confirm these dates").first
        box = confirm.bounding_box()
        assert box is not None
        assert box["x"] + box["width"] <= width  # the buttons are within reach
        shot(page, f"every-3-buyer-page-{width}")


def test_after_validate_no_row_of_the_grid_is_taller_than_a_glance(
    page: Page, demo: tuple[str, Sandbox]
) -> None:
    url, _ = demo
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(url)
    expect(page.locator("#sidebar")).to_contain_text("Deal health")
    call(page, "/addon/validate")
    expect(page.locator("#card")).to_contain_text("the most urgent first")
    page.wait_for_timeout(300)
    heights = page.locator("#grid tbody tr").evaluate_all("rows => rows.map(row => row.offsetHeight)")
    assert max(heights) <= 120
    assert page.evaluate("document.documentElement.scrollHeight") <= 900  # the page is the window
    assert page.evaluate("document.querySelector('header').offsetHeight") < 50  # the header: one line
    shot(page, "every-4-validated")


def test_a_link_in_a_message_opens_a_working_page_in_its_own_tab(
    page: Page, demo: tuple[str, Sandbox]
) -> None:
    url, _ = demo
    page.goto(url)
    page.get_by_role("button", name="+1 week").click()
    expect(page.locator("#outbox-count")).not_to_have_text("0", timeout=CLOCK_MOVED_MS)
    page.locator("#persona").select_option(CHAMPION)
    page.get_by_role("button", name=re.compile("^Inbox")).click()
    page.locator("#messages li[data-id]").first.click()
    frame = page.frame_locator("#message-body")
    link = frame.get_by_role("link").first
    expect(link).to_be_visible()
    shot(page, "every-6-an-email-as-received")
    with page.expect_popup() as asked:  # List-Unsubscribe, one word to click, as a mail client offers it
        page.locator("#message-headers").get_by_role("link", name="Unsubscribe", exact=True).click()
    expect(asked.value.locator("h1")).to_have_text("Unsubscribe")  # a GET asks; it changes nothing
    asked.value.close()
    with page.expect_popup() as opened:
        link.click()
    landed = opened.value
    landed.wait_for_load_state()
    assert landed.evaluate("performance.getEntriesByType('navigation')[0].responseStatus") == 200
    assert landed.url.startswith(url)
    assert landed.locator("body").inner_text().strip(), "the link's page is not blank"
    assert "refused" not in landed.locator("body").inner_text()
    shot(landed, "every-5-link-from-an-email")


def test_the_buyers_page_links_to_the_privacy_page_that_names_what_is_kept_and_every_scope(
    page: Page, demo: tuple[str, Sandbox]
) -> None:
    link = champions_link(demo[1])
    page.goto(link)
    page.get_by_role("link", name="What mutualplan keeps and sends").click()
    expect(page.locator("h1")).to_have_text("mutualplan and your data")
    for scope in ("drive.file", "gmail.send"):
        expect(page.locator("body")).to_contain_text(scope)
    shot(page, "every-7-privacy-page")
