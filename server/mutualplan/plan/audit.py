"""The audit log's hash chain: each event stores the hash of the one before, so a rewrite shows."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


@dataclass(frozen=True, slots=True)
class Link:
    """One stored event as the chain sees it: its sequence number, content, and the two hashes."""

    seq: int
    content: Mapping[str, Any]
    prev: str
    hash: str


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
