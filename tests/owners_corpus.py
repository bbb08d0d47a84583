"""The labelled corpus of owner cells (tests/data/owners.csv; its sources in tests/data/owners.md), and how
well the owner reader tells a person, a team, a role, a placeholder or a company in it: the unit tests hold
floors on it, and benchmarks/owners.py prints it. "Caught" counts a team the owner rule flags in any way (read
as a team, a role, or an unsure shape, which warns): what matters is that no team passes as a person."""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from mutualplan.plan.people.parties import PartyKind, read_people_text

CORPUS = Path(__file__).parent / "data" / "owners.csv"
HELD_OUT = "held out"  # the sources written after the reader's vocabulary, never tuned on
LABELS = ("person", "team", "role", "placeholder", "company")
READ_AS = {  # what the reader's kinds mean in the corpus's labels
    PartyKind.PERSON: "person",
    PartyKind.TEAM: "team",
    PartyKind.MAILBOX: "team",
    PartyKind.ROLE: "role",
    PartyKind.COMPANY: "company",
    PartyKind.SIDE: "company",
    PartyKind.PLACEHOLDER: "placeholder",
    PartyKind.ROLE_SLOT: "placeholder",
    PartyKind.UNSURE: "unsure",
    PartyKind.BAD_EMAIL: "unsure",
    PartyKind.FORMULA: "unsure",
}


@dataclass(frozen=True, slots=True)
class Labelled:
    """One string of the corpus, its label, and where it came from."""

    text: str
    label: str
    source: str


def corpus(path: Path = CORPUS) -> list[Labelled]:
    """The labelled strings."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [Labelled(row["text"], row["label"], row["source"]) for row in csv.DictReader(handle)]


def read_as(text: str) -> str:
    """What the owner reader makes of one string, in the corpus's labels ("unsure" besides): a person only
    when every party in it is one, as the owner rule flags each party that is not."""
    kinds = [READ_AS[party.kind] for party in read_people_text(text)] or ["placeholder"]
    return next((kind for kind in kinds if kind != "person"), "person")


@dataclass(frozen=True, slots=True)
class Measure:
    """The confusion matrix (label → read as → count), and the figures the tests hold floors on."""

    matrix: dict[str, Counter[str]]

    def _count(self, label: str, read: str | None = None) -> int:
        row = self.matrix.get(label, Counter())
        return row[read] if read else sum(row.values())

    def _read(self, read: str) -> int:
        return sum(row[read] for row in self.matrix.values())

    def recall(self, label: str) -> float:
        """Of the strings with this label, the share read as it ("person": the floor held highest, since a
        miss insults a buyer)."""
        return self._count(label, label) / self._count(label)

    def precision(self, label: str) -> float:
        """Of the strings read as this label, the share that were one."""
        return self._count(label, label) / self._read(label)

    @property
    def team_caught(self) -> float:
        """Teams the rule flags in any way (not passed as a person)."""
        return 1 - self._count("team", "person") / self._count("team")


def measure(items: list[Labelled]) -> tuple[Measure, list[tuple[Labelled, str]]]:
    """The measure over the corpus, and each string read wrongly with what it was read as."""
    matrix: dict[str, Counter[str]] = {label: Counter() for label in LABELS}
    misses = []
    for item in items:
        read = read_as(item.text)
        matrix[item.label][read] += 1
        if read != item.label:
            misses.append((item, read))
    return Measure(matrix), misses
