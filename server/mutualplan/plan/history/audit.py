"""The audit log's hash chain: each event stores the hash of the one before, so a rewrite shows.

With a key (derived from the server's secret), each link is an HMAC: someone who can write to the
database but has not the key can neither rewrite an event and recompute the chain, nor append a
forged one. Events stored before keyed chains keep their plain SHA-256 links (key id empty)."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mutualplan.plan.history.events import Event

GENESIS = "0" * 64


@dataclass(frozen=True, slots=True)
class ChainKey:
    """The key that signs a chain's links, and its id (stored with each link it signed)."""

    secret: bytes
    id: str

    @classmethod
    def of(cls, server_secret: str) -> ChainKey:
        """The audit key derived from the server's secret, for this one purpose."""
        secret = hmac.new(server_secret.encode(), b"mutualplan audit chain", hashlib.sha256).digest()
        return cls(secret, hashlib.sha256(secret).hexdigest()[:8])


@dataclass(frozen=True, slots=True)
class Link:
    """One stored event as the chain sees it: its sequence number, content, and the two hashes."""

    seq: int
    content: Mapping[str, Any]
    prev: str
    hash: str
    key_id: str = ""  # the key that signed it; "" for a plain SHA-256 link


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """An event as the audit log holds it: its place in the plan's chain, when, and its key."""

    seq: int
    at: datetime
    key: str
    event: Event
    prev: str
    hash: str
    key_id: str = ""  # the chain key that signed it; "" for a plain SHA-256 link

    def link(self) -> Link:
        """The event as the chain checks it."""
        content = content_of(self.seq, self.at, self.key, self.event)
        return Link(self.seq, content, self.prev, self.hash, self.key_id)


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
    previous_hash: str,
    first_seq: int,
    at: datetime,
    keyed: Iterable[tuple[str, Event]],
    chain_key: ChainKey | None = None,
) -> list[StoredEvent]:
    """New events appended to a chain whose last hash is previous_hash (signed, with a key)."""
    stored = []
    prev = previous_hash
    key_id = chain_key.id if chain_key else ""
    for seq, (key, event) in enumerate(keyed, first_seq):
        digest = chain_hash(prev, content_of(seq, at, key, event), chain_key)
        stored.append(StoredEvent(seq, at, key, event, prev, digest, key_id))
        prev = digest
    return stored


def chain_hash(prev: str, content: Mapping[str, Any], chain_key: ChainKey | None = None) -> str:
    """The link of an event over the previous one and its canonical JSON: an HMAC with a key, else SHA-256."""
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    message = f"{prev}\n{canonical}".encode()
    if chain_key is not None:
        return hmac.new(chain_key.secret, message, hashlib.sha256).hexdigest()
    return hashlib.sha256(message).hexdigest()


def head_mac(chain_key: ChainKey, plan_id: str, count: int, last_hash: str) -> str:
    """The signature of a plan's chain head: how many events, and the last one's hash."""
    message = f"{plan_id}\n{count}\n{last_hash}".encode()
    return hmac.new(chain_key.secret, message, hashlib.sha256).hexdigest()


def snapshot_mac(chain_key: ChainKey, plan_id: str, version: int, last_seq: int, body: str) -> str:
    """The signature of a stored snapshot: what the figures are counted from is what was signed."""
    message = f"snapshot\n{plan_id}\n{version}\n{last_seq}\n{body}".encode()
    return hmac.new(chain_key.secret, message, hashlib.sha256).hexdigest()


def registry_mac(chain_key: ChainKey, count: int, last_hash: str) -> str:
    """The signature of the plan registry's head ("registry head" holds a space: no plan id does)."""
    message = f"registry head\n{count}\n{last_hash}".encode()
    return hmac.new(chain_key.secret, message, hashlib.sha256).hexdigest()


def registry_content(seq: int, plan_id: str, spreadsheet_id: str, at: datetime) -> dict[str, Any]:
    """What a registry link's hash covers: plan P registered, in spreadsheet S, at T."""
    return {"seq": seq, "plan": plan_id, "spreadsheet": spreadsheet_id, "at": at.isoformat()}


@dataclass(frozen=True, slots=True)
class HeadMark:
    """A plan's signed chain head as its spreadsheet carries it (developer metadata): a store whose
    history is shorter than what the sheet last saw is named. Sheet text is parsed defensively."""

    plan_id: str
    count: int
    last_hash: str
    mac: str

    def to_text(self) -> str:
        """The mark as the spreadsheet keeps it."""
        fields = {"plan": self.plan_id, "count": self.count, "hash": self.last_hash, "mac": self.mac}
        return json.dumps(fields)

    @classmethod
    def of_text(cls, text: str | None) -> HeadMark | None:
        """The mark a spreadsheet holds; None when there is none or it is not one we wrote."""
        try:
            found = json.loads(text or "")
            mark = cls(found["plan"], found["count"], found["hash"], found["mac"])
        except (ValueError, TypeError, KeyError):
            return None
        fields = (mark.plan_id, mark.last_hash, mark.mac)
        if not all(isinstance(each, str) for each in fields) or type(mark.count) is not int or mark.count < 0:
            return None
        return mark

    def signed_by(self, chain_key: ChainKey) -> bool:
        """Whether the store's key signed this head."""
        expected = head_mac(chain_key, self.plan_id, self.count, self.last_hash)
        return hmac.compare_digest(expected, self.mac)


def first_broken(links: Iterable[Link], chain_key: ChainKey | None = None) -> tuple[int, str] | None:
    """The first link whose hash, predecessor, sequence or key is wrong, with why; None when whole. A
    link signed with a key is checked with it; once links are signed, a plain one after them is forged."""
    prev, expected_seq, signed = GENESIS, 1, False
    for link in links:
        if link.seq != expected_seq:
            return expected_seq, f"event {expected_seq} is missing"
        if link.prev != prev:
            return link.seq, "it does not point at the event before it"
        if link.key_id:
            if chain_key is None or link.key_id != chain_key.id:
                return link.seq, f"it was signed with key {link.key_id}, which this server does not hold"
            signed = True
        elif signed:
            return link.seq, "it is not signed, though the events before it are"
        if not hmac.compare_digest(
            chain_hash(prev, link.content, chain_key if link.key_id else None), link.hash
        ):
            return link.seq, "its content does not match its hash"
        prev, expected_seq = link.hash, expected_seq + 1
    return None
