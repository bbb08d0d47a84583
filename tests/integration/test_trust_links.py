"""Verified holds against the seller: a person's link reaches only their inbox, only people at the
customer's own domain confirm, and a look-alike address is refused (BAD_INPUTS 43–45)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

import pytest
from flask.testing import FlaskClient

from mutualplan.app import link_mail
from mutualplan.app.confirming import confirmation_link
from mutualplan.app.link_mail import send_link, show_link
from mutualplan.app.local import edit_cell, record_of
from mutualplan.app.services import Services
from mutualplan.bootstrap.demo import CHAMPION, SELLER, seed
from mutualplan.bootstrap.local import local_services
from mutualplan.config import Config
from mutualplan.errors import LinkRefusedError
from mutualplan.plan.history.events import EventKind, Rejection, Trust
from mutualplan.plan.sheet.parse import parse
from mutualplan.plan.sheet.vocabulary import Column
from mutualplan.web import create_app
from tests.buyer_page import first_row_form
from tests.integration.test_cli import mutualplan

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
OPERATOR = "ops@hosting.example"
MIA = "Mia Lind <mia.lind@gmail.example>"
LOOKALIKE = "Jane Doe <j\u0430ne@northwind.example>"  # a Cyrillic а


@dataclass
class Deal:
    """The demo's sample deal, the app, and its outbox."""

    services: Services
    client: FlaskClient
    plan_id: str

    def inbox(self, email: str) -> list[str]:
        """The plain text of every message to one address."""
        outbox = self.services.outbox
        assert outbox is not None
        found = []
        for entry in outbox.entries():
            message = outbox.message(entry)
            if email in str(message["To"]):
                body = message.get_body(("plain",))
                assert body is not None
                found.append(body.get_content())
        return found

    def links_to(self, email: str) -> list[str]:
        return [
            path for text in self.inbox(email) for path in re.findall(r"https?://[^/\s]+(/confirm/\S+)", text)
        ]

    def owner_row(self, index: int, text: str, confirmed_as: str | None = None) -> str:
        """Name an owner in a row's Customer owner cell; with confirmed_as, that person ticks it too."""
        sheet, record = record_of(self.services, self.plan_id)
        plan = parse(sheet.read(record.tabs.map)).plan
        row = plan.rows[index]
        cell = plan.cell(row, Column.CUSTOMER_OWNER)
        assert cell is not None
        edit_cell(self.services, self.plan_id, cell, text, SELLER)
        if confirmed_as is not None:
            for column, value in ((Column.CONFIRMED_BY, text), (Column.CONFIRMED, "TRUE")):
                where = plan.cell(row, column)
                assert where is not None
                edit_cell(self.services, self.plan_id, where, value, confirmed_as)
        return row.id or ""

    def events(self, kind: EventKind) -> list[tuple[str, str, str, Trust | None]]:
        return [
            (item.event.row or "", item.event.field, item.event.who, item.event.trust)
            for item in self.services.store.events(self.plan_id)
            if item.event.kind is kind
        ]


@pytest.fixture
def deal(tmp_path: Path) -> Deal:
    services = local_services(Config.from_env({}, data=tmp_path), lambda: START)
    plan_id = seed(services, START.date()).id
    return Deal(services, create_app(services).test_client(), plan_id)


def test_a_link_is_mailed_to_its_person_alone_once_an_hour(deal: Deal) -> None:
    sent = send_link(deal.services, deal.plan_id, CHAMPION)
    assert sent.why_not is None
    assert "/confirm/" not in sent.said  # what the seller is told carries no link
    (path,) = deal.links_to(CHAMPION)
    assert deal.client.get(path).status_code == 200
    again = send_link(deal.services, deal.plan_id, "JANE@northwind.example")
    assert again.why_not == "they were sent it less than an hour ago"
    assert len(deal.links_to(CHAMPION)) == 1


def test_a_link_shown_to_an_operator_is_audited_and_confirms_only_as_a_claim(deal: Deal) -> None:
    with pytest.raises(LinkRefusedError, match="the plan's seller, who never sees a customer's link"):
        show_link(deal.services, deal.plan_id, CHAMPION, SELLER.upper(), 14)
    url, _ = show_link(deal.services, deal.plan_id, CHAMPION, OPERATOR, 14)
    assert deal.events(EventKind.LINK_SHOWN) == [("", f"link {CHAMPION}", OPERATOR, None)]
    path = urlparse(url).path
    page = deal.client.get(path).get_data(as_text=True)
    fields = first_row_form(page)
    assert deal.client.post(path, data={**fields, "action": "confirm"}).status_code == 303
    confirmed = [item for item in deal.events(EventKind.CONFIRMED) if item[0] == fields["row"]]
    assert confirmed[-1][3] is Trust.CLAIMED
    after = deal.services.store.latest_snapshot(deal.plan_id).snapshot
    assert after is not None
    row = after.row(fields["row"])
    assert row is not None
    assert not row.verified


@pytest.mark.parametrize(
    ("owner", "reason"),
    [(MIA, Rejection.FREEMAIL), ("Kim Rao <kim@elsewhere.example>", Rejection.OUTSIDE)],
)
def test_an_outside_customer_owner_gets_no_link_and_counts_nothing(
    deal: Deal, owner: str, reason: Rejection
) -> None:
    email = owner.partition("<")[2].rstrip(">")
    row_id = deal.owner_row(3, owner, confirmed_as=email)
    assert (row_id, reason.value) in [
        (item[0], item[1]) for item in deal.events(EventKind.CONFIRMATION_REJECTED)
    ]
    assert row_id not in [item[0] for item in deal.events(EventKind.CONFIRMED)]
    with pytest.raises(LinkRefusedError, match="will not count"):
        confirmation_link(deal.services, deal.plan_id, email)
    with pytest.raises(LinkRefusedError, match="will not count"):
        send_link(deal.services, deal.plan_id, email)
    assert deal.links_to(email) == []


def test_a_lookalike_address_is_refused_everywhere(deal: Deal) -> None:
    row_id = deal.owner_row(4, LOOKALIKE, confirmed_as="j\u0430ne@northwind.example")
    rejected = [item for item in deal.events(EventKind.CONFIRMATION_REJECTED) if item[0] == row_id]
    assert rejected[-1][1] == Rejection.LOOKALIKE.value
    with pytest.raises(LinkRefusedError, match="mixes letters of different scripts"):
        confirmation_link(deal.services, deal.plan_id, "j\u0430ne@northwind.example")
    assert send_link(deal.services, deal.plan_id, CHAMPION).why_not is None  # the real Jane is not hurt


def test_the_plan_link_mails_a_customer_person_their_own_and_tells_nobody_who_is_on_the_plan(
    deal: Deal,
) -> None:
    path = urlparse(deal.services.links.plan_invite(deal.plan_id)).path
    assert deal.client.get(path).status_code == 200
    answers = {
        email: deal.client.post(path, data={"email": email}).get_data(as_text=True)
        for email in (CHAMPION, "nobody@northwind.example", "mallory@elsewhere.example")
    }
    assert len(set(answers.values())) == 1
    assert len(deal.links_to(CHAMPION)) == 1
    assert deal.links_to("nobody@northwind.example") == deal.links_to("mallory@elsewhere.example") == []
    deal.client.post(path, data={"email": CHAMPION})
    assert len(deal.links_to(CHAMPION)) == 1  # once an hour
    assert deal.client.post(path, data={"email": "not an address"}).status_code == 400
    assert deal.client.get("/join/forged").status_code == 404


def test_the_plan_link_mails_at_most_so_many_links_an_hour(
    deal: Deal, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(link_mail, "PLAN_LINK_SENDS_PER_HOUR", 1)
    path = urlparse(deal.services.links.plan_invite(deal.plan_id)).path
    for email in (CHAMPION, "omar@northwind.example"):
        assert deal.client.post(path, data={"email": email}).status_code == 200
    assert (len(deal.links_to(CHAMPION)), len(deal.links_to("omar@northwind.example"))) == (1, 0)


def test_the_sellers_cli_prints_no_working_link(deal: Deal, tmp_path: Path) -> None:
    result = mutualplan("confirm-link", deal.plan_id, "--for", CHAMPION, "--data", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "/confirm/" not in result.stdout + result.stderr
    assert result.stdout.startswith("Sent Jane Doe their own link (jane@northwind.example)")
    refused = mutualplan(
        "operator-show-link", deal.plan_id, "--for", CHAMPION, "--operator", SELLER, "--data", tmp_path
    )
    assert refused.returncode == 2
    assert "/confirm/" not in refused.stdout + refused.stderr
    assert "the plan's seller, who never sees a customer's link" in refused.stderr
    shown = mutualplan(
        "operator-show-link", deal.plan_id, "--for", CHAMPION, "--operator", OPERATOR, "--data", tmp_path
    )
    assert shown.stdout.startswith("http")
    assert f"shown to operator {OPERATOR}" in shown.stderr
