"""Look-alike addresses, found with Unicode's confusables data (UTS #39) through confusable-homoglyphs:
an address that mixes scripts, or whose skeleton is another person's address or a customer domain while
the text is not, is refused (DESIGN.md, "Who confirmed")."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from functools import lru_cache

from mutualplan.plan.people.confirmers import address_key


def screen(addresses: Collection[str], customer_domains: Collection[str]) -> Mapping[str, str]:
    """The addresses to refuse, each with why, among a plan's addresses (compared as address_key)."""
    keys = {address_key(email) for email in addresses if "@" in email}
    refused: dict[str, str] = {}
    by_skeleton: dict[str, set[str]] = {}
    for key in keys:
        local, _, domain = key.rpartition("@")
        if any(map(_mixed_script, (local, *domain.split(".")))):
            refused[key] = f"{key} mixes letters of different scripts, as an impostor's look-alike would"
        else:
            by_skeleton.setdefault(skeleton(key), set()).add(key)
    for same in by_skeleton.values():
        for key in same:
            if len(same) > 1 and key not in refused:
                other = sorted(same - {key})[0]
                refused[key] = f"{key} looks like {other}: name each person by an address no one can mistake"
    domain_skeletons = {skeleton(domain): domain for domain in map(str.casefold, customer_domains)}
    for key in keys - refused.keys():
        domain = key.rpartition("@")[2]
        imitated = domain_skeletons.get(skeleton(domain))
        if imitated is not None and imitated != domain:
            refused[key] = f"{key} is at {domain}, made to look like the customer's {imitated}"
    return refused


def skeleton(text: str) -> str:
    """UTS #39's skeleton of a text, as far as single characters go: each one as its confusable class."""
    prototypes = _prototypes()
    return "".join(prototypes.get(char, char) for char in text)


def _mixed_script(text: str) -> bool:
    if text.isascii():
        return False
    from confusable_homoglyphs import confusables  # loads its data: only when an address needs it

    return bool(confusables.is_mixed_script(text))


@lru_cache(maxsize=1)
def _prototypes() -> Mapping[str, str]:
    """Each confusable character → the least code point of its class (classes joined over the data)."""
    from confusable_homoglyphs import confusables

    parent: dict[str, str] = {}

    def root(char: str) -> str:
        while parent.get(char, char) != char:
            char = parent[char] = parent.get(parent[char], parent[char])
        return char

    for char, entries in confusables.confusables_data.items():
        if len(char) != 1:
            continue
        for entry in entries:
            other = entry["c"]
            if len(other) == 1:
                a, b = root(char), root(other)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    return {char: root(char) for char in parent}
