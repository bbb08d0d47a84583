"""The buyer's confirmation page through Flask's test client, over the embedded default with the demo's
sample deal: confirm, propose, a stale page, and every kind of link that must be refused."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path
from urllib.parse import urlparse

import pytest
from flask.testing import FlaskClient
from PIL import Image
from werkzeug.datastructures import MultiDict
from werkzeug.test import TestResponse

from mutualplan.app.confirming import confirmation_link, reissue_links
from mutualplan.app.links import ConfirmTicket
from mutualplan.app.local import edit_cell, record_of
from mutualplan.app.services import Services
from mutualplan.bootstrap.demo import CHAMPION, SELLER, seed
from mutualplan.bootstrap.local import local_services
from mutualplan.config import Config
from mutualplan.errors import LinkRefusedError
from mutualplan.plan.history.events import EventKind, Trust, Via
from mutualplan.plan.sheet.model import PlanRow
from mutualplan.plan.sheet.parse import parse
from mutualplan.plan.sheet.vocabulary import Column
from mutualplan.web import create_app
from tests.buyer_page import HIDDEN_INPUT, first_row_form

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@dataclass
class Buyer:
    """The sample deal, the app, and the champion's link."""

    services: Services
    client: FlaskClient
    plan_id: str
    now: datetime = START

    def link(self, email: str = CHAMPION, days: int = 14) -> str:
        return urlparse(confirmation_link(self.services, self.plan_id, email, days)[0]).path

    def kinds(self) -> list[EventKind]:
        return [stored.event.kind for stored in self.services.store.events(self.plan_id)]

    def form(self, path: str) -> dict[str, str]:
        """The first row form of a page: its hidden inputs."""
        page = self.client.get(path).get_data(as_text=True)
        return first_row_form(page)

    def cell(self, row_id: str, column: Column) -> tuple[PlanRow, str]:
        """A plan row as the sheet has it now, and the A1 name of one of its cells."""
        sheet, record = record_of(self.services, self.plan_id)
        plan = parse(sheet.read(record.tabs[0])).plan
        row = next(item for item in plan.rows if item.id == row_id)
        cell = plan.cell(row, column)
        assert cell is not None
        return row, cell

    def post(self, path: str, fields: dict[str, str], action: str = "confirm", **more: str) -> TestResponse:
        """The answer sent, and the page the redirect after it lands on."""
        return self.client.post(path, data={**fields, "action": action, **more}, follow_redirects=True)


@pytest.fixture
def buyer(tmp_path: Path) -> Buyer:
    """The demo's sample deal, seeded on a clock the test moves."""
    made = Buyer(None, None, "")  # type: ignore[arg-type]
    services = local_services(Config.from_env({}, data=tmp_path), lambda: made.now)
    made.services, made.plan_id = services, seed(services, START.date()).id
    made.client = create_app(services).test_client()
    return made


def test_the_page_shows_the_plan_to_its_person_and_a_get_changes_nothing(buyer: Buyer) -> None:
    before = buyer.kinds()
    response = buyer.client.get(buyer.link())
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "for Jane Doe (jane@northwind.example)" in page
    assert "Northwind Bank — Credit-model monitoring" in page
    assert page.index("Confirm the outcome") < page.index("Production go-live")  # the next 30 days first
    assert "name=action value=confirm" in page
    assert "name=action value=propose" in page
    assert '<span class="state voided">Confirmation voided: Omar Haddad moved ' in page  # the seed, by name
    headers = response.headers
    assert (headers["Referrer-Policy"], headers["X-Robots-Tag"]) == ("no-referrer", "noindex")
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert buyer.kinds() == before


def test_cell_text_stays_text_on_the_page(buyer: Buyer) -> None:
    edit_cell(buyer.services, buyer.plan_id, "C13", "<script>alert(1)</script> & more", SELLER)
    page = buyer.client.get(buyer.link()).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page


def test_confirming_records_one_verified_confirmation_and_ticks_the_sheet(buyer: Buyer) -> None:
    path = buyer.link()
    fields = buyer.form(path)
    row_id = fields["row"]
    response = buyer.post(path, fields)
    assert response.status_code == 200
    assert "Confirmed — thank you" in response.get_data(as_text=True)
    (stored,) = [item for item in buyer.services.store.events(buyer.plan_id) if item.event.via == Via.LINK]
    event = stored.event
    assert (event.kind, event.trust, event.row, event.who) == (
        EventKind.CONFIRMED, Trust.VERIFIED, row_id, "Jane Doe <jane@northwind.example>",
    )  # fmt: skip
    sheet, record = record_of(buyer.services, buyer.plan_id)
    plan = parse(sheet.read(record.tabs[0])).plan
    row = next(item for item in plan.rows if item.id == row_id)
    assert row.confirmed
    assert [party.email for party in row.confirmed_by] == ["jane@northwind.example"]
    assert len(buyer.services.store.events(buyer.plan_id)) == len(buyer.kinds())
    again = buyer.post(path, fields)
    assert "already confirmed" in again.get_data(as_text=True)
    assert [item for item in buyer.services.store.events(buyer.plan_id) if item.event.via == Via.LINK] == [
        stored
    ]


def test_proposing_a_date_records_it_and_moves_nothing(buyer: Buyer) -> None:
    path = buyer.link()
    fields = buyer.form(path)
    shown_due = fields[f"shown_{fields['row']}"].partition("|")[2]
    later = (datetime.fromisoformat(shown_due) + timedelta(days=7)).date().isoformat()
    response = buyer.post(path, fields, "propose", date=later, reason="Board meets a week later")
    assert response.status_code == 200
    assert "Your proposal is with the seller" in response.get_data(as_text=True)
    (event,) = [
        item.event
        for item in buyer.services.store.events(buyer.plan_id)
        if item.event.kind is EventKind.DATE_PROPOSED
    ]
    assert (event.old, event.new, event.note) == (shown_due, later, "Board meets a week later")
    assert buyer.form(path)[f"shown_{fields['row']}"].endswith(shown_due)  # the plan's date stays
    assert buyer.post(path, fields, "propose", date=later, reason="").status_code == 400


def test_a_page_shown_before_the_dates_moved_is_refused_with_the_new_dates(buyer: Buyer) -> None:
    path = buyer.link()
    fields = buyer.form(path)
    row, cell = buyer.cell(fields["row"], Column.DUE)
    assert row.due.value is not None
    edit_cell(buyer.services, buyer.plan_id, cell, (row.due.value + timedelta(days=3)).isoformat(), SELLER)
    kinds = buyer.kinds()
    response = buyer.post(path, fields)
    assert response.status_code == 200
    assert "The dates changed since this page was shown" in response.get_data(as_text=True)
    assert '<p class="note warn"' in response.get_data(as_text=True)
    assert buyer.kinds() == kinds


def test_a_post_needs_the_token_of_its_own_page(buyer: Buyer) -> None:
    path = buyer.link()
    fields = buyer.form(path)
    assert buyer.post(path, {**fields, "form_token": ""}).status_code == 403
    other = buyer.form(buyer.link("tom@northwind.example"))
    assert buyer.post(path, {**fields, "form_token": other["form_token"]}).status_code == 403


@pytest.mark.parametrize(
    ("spoil", "status"),
    [
        (lambda path: path[:-8] + "AAAAAAAA", 404),  # tampered
        (lambda path: path.replace("/confirm/", "/confirm/x"), 404),
        (lambda path: "/confirm/not-a-token", 404),
    ],
)
def test_a_link_that_is_not_ours_gets_a_page_that_says_so(buyer: Buyer, spoil: object, status: int) -> None:
    assert callable(spoil)
    response = buyer.client.get(spoil(buyer.link()))
    assert response.status_code == status
    assert "ask the seller" in response.get_data(as_text=True)


def test_expired_and_revoked_links_are_gone_and_a_vendors_link_is_refused(buyer: Buyer) -> None:
    short = buyer.link(days=1)
    buyer.now += timedelta(days=2)
    assert buyer.client.get(short).status_code == 410
    kept = buyer.link()
    reissue_links(buyer.services, buyer.plan_id, CHAMPION)
    assert buyer.client.get(kept).status_code == 410
    assert buyer.client.get(buyer.link()).status_code == 200
    forged = buyer.services.links.confirm(
        ConfirmTicket(buyer.plan_id, SELLER, 0, buyer.now + timedelta(days=1))
    )
    assert buyer.client.get(urlparse(forged).path).status_code == 403


def test_a_link_is_made_only_for_someone_on_the_customer_side(buyer: Buyer) -> None:
    with pytest.raises(LinkRefusedError, match=r"is not at northwind\.example"):
        confirmation_link(buyer.services, buyer.plan_id, SELLER)
    replaced = replace(buyer.services.config, public_url="https://mp.example")
    buyer.services.config = replaced
    url, expires = confirmation_link(buyer.services, buyer.plan_id, "Tom@Northwind.example")
    assert url.startswith("https://mp.example/confirm/")
    assert expires == buyer.now + timedelta(days=14)


@pytest.mark.parametrize("typed", ["9999-12-31", "1900-01-01", "2040-01-01"])
def test_a_proposed_date_that_cant_be_meant_is_refused_with_the_dates_that_can(
    buyer: Buyer, typed: str
) -> None:
    path = buyer.link()
    fields = buyer.form(path)
    kinds = buyer.kinds()
    response = buyer.post(path, fields, "propose", date=typed, reason="Typo")
    assert response.status_code == 400
    assert f"{typed} can&#x27;t be meant: give a date between " in response.get_data(as_text=True)
    assert buyer.kinds() == kinds


def test_a_post_for_a_done_step_the_page_did_not_offer_is_refused(buyer: Buyer) -> None:
    path = buyer.link()
    fields = buyer.form(path)
    row, status = buyer.cell(fields["row"], Column.STATUS)
    edit_cell(buyer.services, buyer.plan_id, status, "Done", SELLER)
    kinds = buyer.kinds()
    response = buyer.post(path, fields)
    assert response.status_code == 400
    said = f"{row.id} is done or has no due date: there is nothing to confirm; nothing was recorded"
    assert said in response.get_data(as_text=True)
    assert buyer.kinds() == kinds


def test_confirming_several_says_exactly_how_many_counted_and_too_many_records_nothing(buyer: Buyer) -> None:
    path = buyer.link()
    page = buyer.client.get(path).get_data(as_text=True)
    fields = list(dict.fromkeys(HIDDEN_INPUT.findall(page)))
    rows = [value for name, value in fields if name == "row"]
    assert len(rows) > 2
    data = [*fields, ("action", "confirm")]
    response = buyer.client.post(path, data=MultiDict(data), follow_redirects=True)
    assert f"Confirmed {len(rows)} of the {len(rows)} dates you sent. Thank you." in response.get_data(
        as_text=True
    )
    kinds = buyer.kinds()
    too_many = [("form_token", dict(fields)["form_token"]), ("action", "confirm")]
    too_many += [("row", f"M{index:03d}") for index in range(501)]
    refused = buyer.client.post(path, data=MultiDict(too_many))
    assert refused.status_code == 400
    assert "send at most 500 steps at a time (this form sent 501): nothing was recorded" in refused.get_data(
        as_text=True
    )
    assert buyer.kinds() == kinds


def test_the_page_names_who_verified_dates_at_which_domain(buyer: Buyer) -> None:
    path = buyer.link()
    buyer.post(path, buyer.form(path))
    page = buyer.client.get(path).get_data(as_text=True)
    named = page.split("<p class=muted>Dates verified so far by: ")[1].split("</p>")[0]
    assert "Jane Doe (northwind.example)" in named.split(", ")
    assert page.index(named) < page.index("<dl>")  # under the plan's title


def test_an_answer_redirects_to_the_page_so_a_refresh_sends_nothing_again(buyer: Buyer) -> None:
    path = buyer.link()
    fields = buyer.form(path)
    response = buyer.client.post(path, data={**fields, "action": "confirm"})
    assert response.status_code == 303
    landed = response.headers["Location"]
    assert urlparse(landed).path == path
    kinds = buyer.kinds()
    refreshed = buyer.client.get(landed).get_data(as_text=True)
    assert "Confirmed — thank you" in refreshed
    assert buyer.kinds() == kinds  # the refresh is a GET: nothing recorded twice
    assert "Confirmed — thank you" not in buyer.client.get(path).get_data(as_text=True)
    forged = buyer.client.get(f"{path}?said=<b>x</b>.1,confirmed.99999999").get_data(as_text=True)
    assert "<b>x" not in forged


def test_after_proposing_the_row_offers_no_confirm_of_the_old_dates_and_says_it_waits(buyer: Buyer) -> None:
    path = buyer.link()
    fields = buyer.form(path)
    row_id = fields["row"]
    shown_due = fields[f"shown_{row_id}"].partition("|")[2]
    later = (datetime.fromisoformat(shown_due) + timedelta(days=7)).date().isoformat()
    page = buyer.post(path, fields, "propose", date=later, reason="Board meets later").get_data(as_text=True)
    row_html = page[page.index(f"<small>{row_id}</small>") :].split("</tr>")[0]
    assert "You proposed" in row_html
    assert "waiting for the seller" in row_html
    assert "value=confirm" not in row_html
    assert "Propose a different date" in row_html


def test_the_buyers_own_steps_come_first_and_others_steps_are_offered_quietly(buyer: Buyer) -> None:
    page = buyer.client.get(buyer.link()).get_data(as_text=True)
    mine, _, rest = page.partition("<h2>The rest of the plan</h2>")
    assert "<h2>Your steps</h2>" in mine
    assert rest, "the steps others own follow"
    owners = re.findall(r'data-label="Owners">([^<]*)<', mine)
    assert owners
    assert all("Jane Doe" in cell for cell in owners)
    assert "<button name=action value=confirm>" in mine
    assert "<button name=action value=confirm>" not in rest
    assert "<button class=plain name=action value=confirm>" in rest


def test_the_buyers_browser_tab_shows_mutualplans_mark_not_a_missing_icon(buyer: Buyer) -> None:
    response = buyer.client.get("/favicon.ico")
    assert (response.status_code, response.mimetype) == (200, "image/png")
    assert "max-age" in response.headers["Cache-Control"]
    with Image.open(BytesIO(response.get_data())) as mark:
        assert mark.size == (64, 64)
        assert mark.getpixel((2, 32)) == (0x1A, 0x73, 0xE8, 255)  # the sidebar's blue
        assert mark.getpixel((0, 0)) == (0, 0, 0, 0)  # rounded: the corner is clear
