"""Reading owners: people are people; teams, roles, sides and placeholders are not."""

from __future__ import annotations

import pytest

from mutualplan.plan.grid import Cell, PersonChip
from mutualplan.plan.people import PartyKind, read_people, read_people_text


def kinds(text: str) -> list[PartyKind]:
    return [party.kind for party in read_people_text(text, ("Acme",))]


@pytest.mark.parametrize(
    ("text", "name", "email"),
    [
        ("Jane Doe", "Jane Doe", None),
        ("Jane", "Jane", None),
        ("J. Doe", "J. Doe", None),
        ("jane@acme.com", None, "jane@acme.com"),
        ("Jane Doe <jane@acme.com>", "Jane Doe", "jane@acme.com"),
        ('"Doe, Jane" <jane@acme.com>', "Doe, Jane", "jane@acme.com"),
        ("Seán O'Brien", "Seán O'Brien", None),
        ("José Núñez-García", "José Núñez-García", None),
        ("Jane Doe (Legal)", "Jane Doe", None),
        ("Legal (Jane Doe)", "Jane Doe", None),
        ("Ja\u200bne\u00a0Doe", "Jane Doe", None),
        ("\u202eJane Doe\u202c", "Jane Doe", None),
        ("jane@bücher.de", None, "jane@bücher.de"),
    ],
)
def test_a_person_is_read_with_name_and_email(text: str, name: str | None, email: str | None) -> None:
    (party,) = read_people_text(text)
    assert party.kind is PartyKind.PERSON
    assert (party.name, party.email) == (name, email)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Legal", PartyKind.TEAM),
        ("IT team", PartyKind.TEAM),
        ("Procurement", PartyKind.TEAM),
        ("Customer IT", PartyKind.TEAM),
        ("CFO", PartyKind.ROLE),
        ("Head of IT", PartyKind.ROLE),
        ("Economic buyer", PartyKind.ROLE),
        ("Customer", PartyKind.SIDE),
        ("us", PartyKind.SIDE),
        ("Acme", PartyKind.COMPANY),
        ("Globex Corp", PartyKind.COMPANY),
        ("TBD", PartyKind.PLACEHOLDER),
        ("?", PartyKind.PLACEHOLDER),
        ("<Champion>", PartyKind.ROLE_SLOT),
        ("[Name]", PartyKind.PLACEHOLDER),
        ("N/A", PartyKind.PLACEHOLDER),
        ("🙂", PartyKind.PLACEHOLDER),
        ("legal@acme.com", PartyKind.MAILBOX),
        ("jane@acme", PartyKind.BAD_EMAIL),
        ("Legal <legal@acme.com>", PartyKind.TEAM),
    ],
)
def test_teams_roles_sides_companies_and_placeholders_are_not_people(text: str, kind: PartyKind) -> None:
    assert kinds(text) == [kind]


@pytest.mark.parametrize(
    "text",
    ["Jane Doe, John Smith", "Jane Doe; John Smith", "Jane Doe / John Smith", "Jane Doe and John Smith",
     "Jane Doe & John Smith", "Jane Doe\nJohn Smith", "Jane Doe <jane@acme.com>, John Smith"],
)  # fmt: skip
def test_several_people_in_one_cell_are_each_read(text: str) -> None:
    assert [party.name for party in read_people_text(text)] == ["Jane Doe", "John Smith"]


def test_a_people_chip_is_a_person_with_the_chips_email() -> None:
    cell = Cell("@Jane", chips=(PersonChip("Jane Doe", "jane@acme.com"), PersonChip("", "bo@acme.com")))
    parties = read_people(cell)
    assert [(p.kind, p.name, p.email) for p in parties] == [
        (PartyKind.PERSON, "Jane Doe", "jane@acme.com"),
        (PartyKind.PERSON, None, "bo@acme.com"),
    ]


def test_a_formula_owner_is_not_a_person() -> None:
    assert [p.kind for p in read_people(Cell("Jane", is_formula=True))] == [PartyKind.FORMULA]


def test_a_number_owner_is_a_placeholder() -> None:
    assert [p.kind for p in read_people(Cell(12))] == [PartyKind.PLACEHOLDER]


def test_a_blank_owner_cell_names_nobody() -> None:
    assert read_people(Cell(None)) == ()
    assert read_people_text("  ,  ; ") == ()


def test_people_are_counted_once_whatever_the_case_of_their_email() -> None:
    first, second = read_people_text("Jane <Jane@Acme.com>, jane@acme.COM")
    assert first.key == second.key
    assert first.domain == "acme.com"
