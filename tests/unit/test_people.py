"""Reading owners: people are people; teams, roles, sides and placeholders are not."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mutualplan.plan.people.parties import PartyKind, read_people, read_people_text
from mutualplan.plan.sheet.grid import Cell, PersonChip


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


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Acme IT", PartyKind.TEAM),
        ("InfoSec team", PartyKind.TEAM),
        ("SRE", PartyKind.TEAM),
        ("Procurement Ops", PartyKind.TEAM),
        ("Contoso Legal", PartyKind.TEAM),
        ("Acme Platform", PartyKind.TEAM),  # the customer's own name, with any word
        ("TBD – legal", PartyKind.PLACEHOLDER),
        ("Pending sourcing", PartyKind.PLACEHOLDER),
        ("Team 7 rocks", PartyKind.TEAM),
        ("Anyone on floor 3", PartyKind.UNSURE),
        ("Owner #2 (see notes)", PartyKind.ROLE),
        ("the people who run the thing on Tuesdays", PartyKind.UNSURE),
    ],
)
def test_the_team_names_regulated_buyers_use_are_not_people(text: str, kind: PartyKind) -> None:
    assert set(kinds(text)) == {kind}


def test_risk_and_compliance_is_two_teams_and_the_ciso_office_a_role() -> None:
    assert kinds("Risk & Compliance") == [PartyKind.TEAM, PartyKind.TEAM]
    assert kinds("CISO office") in ([PartyKind.ROLE], [PartyKind.TEAM])


def test_a_persons_own_address_is_evidence_whatever_the_name_looks_like() -> None:
    assert kinds("Jane Board <jane.board@acme.com>") == [PartyKind.PERSON]
    assert kinds("Legal <legal@acme.com>") == [PartyKind.TEAM]  # a shared mailbox is no evidence


GIVEN = [
    "Jane",
    "José",
    "Anne-Marie",
    "Zoë",
    "Björn",
    "Siobhán",
    "Oluwaseun",
    "Priya",
    "Ngozi",
    "Łukasz",
    "Mia",
]
FAMILY = ["Doe", "García-López", "O'Brien", "Nguyen", "Müller", "D'Angelo", "Okafor", "Šimić", "Ng", "Chen"]
PARTICLES = ["", "van ", "van der ", "de ", "da ", "von ", "al-", "bin ", "ter "]
CJK = ["李小龙", "山田太郎", "김민준", "王芳", "佐藤花子"]


@st.composite
def real_names(draw: st.DrawFn) -> str:
    """A person's name as people write them: Given Family, Family, Given, with particles; CJK names."""
    if draw(st.booleans()) and draw(st.booleans()):
        return draw(st.sampled_from(CJK))
    given, family = draw(st.sampled_from(GIVEN)), draw(st.sampled_from(FAMILY))
    particle = draw(st.sampled_from(PARTICLES))
    middle = draw(st.sampled_from(["", "M. ", "Maria ", "J. R. "]))
    if draw(st.booleans()):
        return f"{particle}{family}, {given}"
    return f"{given} {middle}{particle}{family}"


@given(real_names())
def test_a_real_persons_name_is_never_flagged(name: str) -> None:
    parties = read_people_text(name, ("Acme", "Vendorly"))
    assert [party.kind for party in parties] == [PartyKind.PERSON], name
