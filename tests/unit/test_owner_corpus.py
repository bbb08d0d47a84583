"""The owner reader measured on the labelled corpus (tests/data/owners.csv): false alarms on real names are
worse than misses, so people read as people have the higher floor."""

from __future__ import annotations

import pytest

from mutualplan.plan.people.parties import PartyKind, read_people_text
from tests.owners_corpus import HELD_OUT, LABELS, corpus, measure

PEOPLE_FLOOR = 0.995
TEAMS_CAUGHT_FLOOR = 0.95


def test_the_corpus_is_over_a_thousand_labelled_strings_each_with_its_source() -> None:
    items = corpus()
    assert len(items) >= 1000
    assert {item.label for item in items} == set(LABELS)
    assert all(item.source for item in items)
    assert any(item.source.startswith(HELD_OUT) for item in items)


def test_people_are_read_as_people_and_teams_are_caught_above_their_floors() -> None:
    found, misses = measure(corpus())
    people_missed = [item.text for item, read in misses if item.label == "person"]
    assert found.recall("person") >= PEOPLE_FLOOR, people_missed
    teams_passed = [item.text for item, read in misses if item.label == "team" and read == "person"]
    assert found.team_caught >= TEAMS_CAUGHT_FLOOR, teams_passed


@pytest.mark.parametrize(
    "text",
    ["Northwind Risk Management", "Acme Operations Center", "Internal Audit", "Model Risk Management",
     "Treasury Operations Center", "Credit Portfolio Management"],
)  # fmt: skip
def test_the_team_names_that_passed_as_three_part_names_are_teams(text: str) -> None:
    assert [party.kind for party in read_people_text(text)] == [PartyKind.TEAM]


@pytest.mark.parametrize(
    "text",
    ["José María Núñez-Ortega", "Nguyen Van An", "O'Brien, Siobhan", "प्रिया शर्मा", "สมชาย ใจดี",
     "Grace Chen", "Victoria Banks", "Law Kwok-wah"],
)  # fmt: skip
def test_real_names_are_people_whatever_their_script_or_their_words(text: str) -> None:
    assert [party.kind for party in read_people_text(text)] == [PartyKind.PERSON]


@pytest.mark.parametrize(
    ("text", "kind"),
    [("Fabrikam, Inc.", PartyKind.COMPANY), ("Przykład Sp. z o.o.", PartyKind.COMPANY),
     ("R&D", PartyKind.TEAM), ("Clinical Director", PartyKind.ROLE), ("Head of Treasury", PartyKind.ROLE)],
)  # fmt: skip
def test_a_legal_form_an_ampersand_acronym_and_a_job_title_are_read_as_what_they_are(
    text: str, kind: PartyKind
) -> None:
    assert [party.kind for party in read_people_text(text)] == [kind]
