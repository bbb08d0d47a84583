"""Reading owners from cells: people, and the teams, roles and placeholders that are not."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

from mutualplan.plan.people.org_words import JOB_LEADS, JOB_NOUNS, UNIT_WORDS
from mutualplan.plan.people.words import (
    COMPANY_SUFFIXES,
    FUNCTION_WORDS,
    MAILBOX_NAMES,
    PLACEHOLDER_LEADS,
    PLACEHOLDER_WORDS,
    ROLE_WORDS,
    SIDE_WORDS,
    TEAM_WORDS,
)
from mutualplan.plan.sheet.grid import Cell
from mutualplan.plan.sheet.text import clean, label_key


class PartyKind(StrEnum):
    """What a name in an owner cell turned out to be."""

    PERSON = "person"
    TEAM = "team"
    ROLE = "role"
    SIDE = "side"
    COMPANY = "company"
    UNSURE = "unsure"  # a shape no person's name has (digits, many words): a warning, never silence
    PLACEHOLDER = "placeholder"
    ROLE_SLOT = "role slot"  # "[Champion]": a person not named yet, fine while the step is far off
    MAILBOX = "mailbox"
    BAD_EMAIL = "bad email"
    FORMULA = "formula"


@dataclass(frozen=True, slots=True)
class Party:
    """One name from an owner cell, as written, with what it is."""

    text: str
    kind: PartyKind
    name: str | None = None
    email: str | None = None
    # Derived once: checks ask for these on every row.
    is_person: bool = field(init=False, compare=False)
    key: str = field(init=False, compare=False)  # the email, else the name: who this is
    domain: str | None = field(init=False, compare=False)  # the email's domain in lower case

    def __post_init__(self) -> None:
        email = self.email
        derived = {
            "is_person": self.kind is PartyKind.PERSON,
            "key": email.casefold() if email else clean(self.name or self.text).casefold(),
            "domain": email.rpartition("@")[2].casefold() if email else None,
        }
        for name, value in derived.items():
            object.__setattr__(self, name, value)  # the dataclass is frozen

    @property
    def label(self) -> str:
        """The name to show a person: the name, else the email, else the text."""
        return self.name or self.email or self.text


_EMAIL = re.compile(r"^[^@\s<>(),;:\"']+@[^@\s<>(),;:\"']+\.[^@\s<>(),;:\"'.]{2,}$")
_NAMED_EMAIL = re.compile(r"^(?P<name>.*?)\s*[<(\[]\s*(?P<email>[^<>()\[\]\s]*@[^<>()\[\]\s]*)\s*[>)\]]$")
_BRACKETED = re.compile(r"^[<\[{].*[>\]}]$")
_PARENTHESIS = re.compile(r"\(([^()]*)\)")
_SEPARATORS = re.compile(r"\s*(?:[;,\n/+|]|(?<![A-Z])&|&(?![A-Z])|\s+and\s+)\s*", re.IGNORECASE)
_PROTECTED = re.compile(r"\"[^\"]*\"|<[^<>]*>|\([^()]*\)|\[[^\[\]]*\]")
_MASKED = re.compile("\x00(\\d+)\x00")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# A person's name: a few words of letters (any script), with hyphens, apostrophes and initials.
MOST_NAME_WORDS = 7  # "Jane J. R. van der Doe"
_NAME_WORD = re.compile(r"^[^\W\d_]+(?:[-'’.][^\W\d_]+)*\.?$")
_ACRONYM = re.compile(r"^[A-Z]{2,6}s?$")  # "SRE", "GRC": a function, not a person
_AMPERSAND_ACRONYM = re.compile(r"^[A-Z]{1,3}&[A-Z]{1,3}$")  # "R&D", "FP&A", "M&A": never split at "&"
# "García-López, José", "van der Berg, Anna": family name, a comma, one given name.
_FAMILY_GIVEN = re.compile(r"^(?P<family>[^,;/&+|<>()\[\]@]+),\s*(?P<given>[^\W\d_][^\s,;/&+|<>()@]*)$")


_NAME_VOCABULARY = SIDE_WORDS | TEAM_WORDS | ROLE_WORDS
# How the names of activities end ("Procurement", "Operations", "Radiology", "Logistics"): no person's
# name of eight letters or more ends so ("Clement" has seven).
_ACTIVITY_ENDINGS = ("ment", "ments", "tion", "tions", "sion", "sions", "ology", "ship", "ities", "ics")
ACTIVITY_LENGTH = 8


def read_people(cell: Cell, companies: tuple[str, ...] = ()) -> tuple[Party, ...]:
    """Every party named in an owner cell; companies are the plan's company names."""
    if cell.chips:
        return tuple(
            Party(
                chip.name or chip.email or "",
                PartyKind.PERSON,
                nfkc(chip.name) or None,
                nfkc(chip.email) or None,
            )
            for chip in cell.chips
        )
    if cell.is_formula:
        return (Party("a formula", PartyKind.FORMULA),)
    value = cell.value
    if value is None:
        return ()
    if not isinstance(value, str):
        return (Party(str(value), PartyKind.PLACEHOLDER),)
    return read_people_text(value, companies)


@lru_cache(maxsize=8192)
def read_people_text(text: str, companies: tuple[str, ...] = ()) -> tuple[Party, ...]:
    """Every party named in owner text such as "Jane Doe <jane@acme.com>; Legal" (read in NFKC, so a
    full-width address is the address it shows)."""
    text = clean(re.sub(r"[\r\n]+", ";", nfkc(text)))
    if not text:
        return ()
    if (label_key(text) or text) in PLACEHOLDER_WORDS:  # "N/A" is one placeholder, not N and A
        return (Party(text, PartyKind.PLACEHOLDER),)
    company_keys = frozenset(label_key(company) for company in companies if label_key(company))
    parts = _split(text)
    if len(parts) == 2 and label_key(parts[1]) in COMPANY_SUFFIXES:  # "Fabrikam, Inc.": one company
        return (Party(text, PartyKind.COMPANY),)
    family_given = _FAMILY_GIVEN.match(text)
    if family_given:
        one = _read_one(f"{family_given['given']} {family_given['family']}", company_keys)
        if one.is_person:
            return (Party(text, PartyKind.PERSON, text),)
    return tuple(_read_one(part, company_keys) for part in parts if part.strip(" '\""))


def _split(text: str) -> list[str]:
    """Split on separators, but not inside <…>, (…) or […]."""
    protected: list[str] = []

    def protect(match: re.Match[str]) -> str:
        protected.append(match.group(0))
        return f"\x00{len(protected) - 1}\x00"

    parts = _SEPARATORS.split(_PROTECTED.sub(protect, text))
    if protected:
        parts = [_MASKED.sub(lambda m: protected[int(m.group(1))], part) for part in parts]
    return [part.strip() for part in parts]


def _read_one(part: str, companies: frozenset[str]) -> Party:
    text = part.strip(" '\"")
    named = _NAMED_EMAIL.match(text)
    if named:
        email = named.group("email")
        name = named.group("name").strip(" '\"")
        if not _EMAIL.match(email):
            return Party(text, PartyKind.BAD_EMAIL, name or None, None)
        if not name:
            return _bare_email(text, email)
        if not _is_mailbox(email):  # a person's own address: evidence
            return Party(text, PartyKind.PERSON, name, email)
        return Party(text, _kind_of_name(name, companies), name, email)
    if "@" in text:
        if _EMAIL.match(text):
            return _bare_email(text, text)
        return Party(text, PartyKind.BAD_EMAIL)
    if _BRACKETED.match(text):
        return Party(text, PartyKind.ROLE_SLOT)
    main = clean(_PARENTHESIS.sub(" ", text))
    kind = _kind_of_name(main, companies) if main else PartyKind.PLACEHOLDER
    if kind is not PartyKind.PERSON:
        # "Legal (Jane Doe)": the person may stand in the parenthesis.
        for inner in _PARENTHESIS.findall(text):
            person = clean(inner)
            if person[:1].isupper() and _kind_of_name(person, companies) is PartyKind.PERSON:
                return Party(text, PartyKind.PERSON, person)
    return Party(text, kind, main if kind is PartyKind.PERSON else None)


def _unmarked(token: str) -> str:
    """A word without its combining marks: Devanagari, Tamil, Bengali and Thai write vowels as marks, which
    are letters' parts, not letters, to a regular expression."""
    return token if token.isascii() else "".join(ch for ch in token if unicodedata.category(ch)[0] != "M")


def _is_unit_word(word: str) -> bool:
    """A word of an org chart: listed, or made the way the names of activities are."""
    return word in UNIT_WORDS or (len(word) >= ACTIVITY_LENGTH and word.endswith(_ACTIVITY_ENDINGS))


def _company_suffixed(name: str) -> bool:
    """Whether a name ends with a company's legal form, written in one word or several ("Inc.",
    "S.A.", "Sp. z o.o.")."""
    tokens = name.split()
    return any(label_key("".join(tokens[-n:])) in COMPANY_SUFFIXES for n in (1, 2, 3) if len(tokens) > n)


def nfkc(text: str | None) -> str:
    """Text in Unicode's compatibility form (full-width letters, ligatures and the like as plain ones)."""
    if not text:
        return ""
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


def _bare_email(text: str, email: str) -> Party:
    return Party(text, PartyKind.MAILBOX if _is_mailbox(email) else PartyKind.PERSON, None, email)


def _is_mailbox(email: str) -> bool:
    """A shared address ("legal@…"), no one person's."""
    return email.partition("@")[0].casefold() in MAILBOX_NAMES


def is_email_address(text: str) -> bool:
    """A well-formed address (a shared mailbox too)."""
    return bool(_EMAIL.match(text.strip()))


def is_personal_email(text: str) -> bool:
    """A well-formed address of one person: not a shared mailbox such as legal@…."""
    text = text.strip()
    return bool(_EMAIL.match(text)) and not _is_mailbox(text)


def _kind_of_name(name: str, companies: frozenset[str]) -> PartyKind:
    key = label_key(name) or name
    if key in PLACEHOLDER_WORDS or not _WORD.search(name):
        return PartyKind.PLACEHOLDER
    if key in companies:
        return PartyKind.COMPANY
    written = _WORD.findall(name)
    words = [word.casefold() for word in written]
    if words[0] in PLACEHOLDER_LEADS:
        return PartyKind.PLACEHOLDER
    if _company_suffixed(name):
        return PartyKind.COMPANY
    if all(word in SIDE_WORDS for word in words):
        return PartyKind.SIDE
    if all(word in _NAME_VOCABULARY or label_key(word) in companies for word in words):
        if any(word in ROLE_WORDS and word not in TEAM_WORDS for word in words):
            return PartyKind.ROLE
        return PartyKind.TEAM
    if any(word in FUNCTION_WORDS for word in words) or any(label_key(word) in companies for word in words):
        return PartyKind.TEAM  # "Procurement Ops", "Contoso Platform", "CISO office"
    if len(words) > 1 and (words[-1] in JOB_NOUNS or words[0] in JOB_LEADS or words[:2] == ["head", "of"]):
        return PartyKind.ROLE  # "Clinical Director", "Chief Nursing Officer", "Head of Treasury"
    if any(_is_unit_word(word) for word in words):
        return PartyKind.TEAM  # "Model Risk Management", "Patient Safety", "EMEA Settlements"
    if len(written) == 1 and _ACRONYM.match(written[0]):
        return PartyKind.TEAM
    tokens = name.split()
    if any(_AMPERSAND_ACRONYM.match(token) for token in tokens):
        return PartyKind.TEAM  # "R&D", "North America FP&A"
    if not 1 <= len(tokens) <= MOST_NAME_WORDS or not all(_NAME_WORD.match(_unmarked(t)) for t in tokens):
        return PartyKind.UNSURE
    return PartyKind.PERSON
