"""The audit log's hash chain: each event stores the hash of the one before, so a rewrite shows."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mutualplan.plan.events import Event

GENESIS = "0" * 64


@dataclass(frozen=True, slots=True)
class Link:
    """One stored event as the chain sees it: its sequence number, content, and the two hashes."""

    seq: int
    content: Mapping[str, Any]
    prev: str
    hash: str


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """An event as the audit log holds it: its place in the plan's chain, when, and its key."""

    seq: int
    at: datetime
    key: str
    event: Event
    prev: str
    hash: str

    def link(self) -> Link:
        """The event as the chain checks it."""
        return Link(self.seq, content_of(self.seq, self.at, self.key, self.event), self.prev, self.hash)


def content_of(seq: int, at: datetime, key: str, event: Event) -> dict[str, Any]:
    """What an event's hash covers: everything stored about it (via and note only when set, so that
    events stored before they existed keep their hashes)."""
    content = {
        "seq": seq,
        "at": at.isoformat(),
        "key": key,
        "kind": event.kind.value,
        "row": event.row,
        "field": event.field,
        "old": event.old,
        "new": event.new,
        "who": event.who,
        "trust": event.trust.value if event.trust else None,
        "sheet_row": event.sheet_row,
    }
    content.update({name: value for name, value in (("via", event.via), ("note", event.note)) if value})
    return content


def chain(
    previous_hash: str, first_seq: int, at: datetime, keyed: Iterable[tuple[str, Event]]
) -> list[StoredEvent]:
    """New events appended to a chain whose last hash is previous_hash."""
    stored = []
    prev = previous_hash
    for seq, (key, event) in enumerate(keyed, first_seq):
        digest = chain_hash(prev, content_of(seq, at, key, event))
        stored.append(StoredEvent(seq, at, key, event, prev, digest))
        prev = digest
    return stored


def chain_hash(prev: str, content: Mapping[str, Any]) -> str:
    """The hash of an event: SHA-256 over the previous hash and the event's canonical JSON."""
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(f"{prev}\n{canonical}".encode()).hexdigest()


def first_broken(links: Iterable[Link]) -> tuple[int, str] | None:
    """The first link whose hash, predecessor or sequence is wrong, with why; None when whole."""
    prev, expected_seq = GENESIS, 1
    for link in links:
        if link.seq != expected_seq:
            return link.seq, f"event {expected_seq} is missing"
        if link.prev != prev:
            return link.seq, "it does not point at the event before it"
        if chain_hash(prev, link.content) != link.hash:
            return link.seq, "its content does not match its hash"
        prev, expected_seq = link.hash, expected_seq + 1
    return None
