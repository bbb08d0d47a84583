"""Who may confirm for the customer: a person whose address is at one of the plan's customer domains —
never a freemail domain, never a look-alike (DESIGN.md, "Who confirmed"). Standing in the Customer owner
column or on the Stakeholders tab names a person; it does not make an outside address the customer's.

Addresses are compared in NFKC and case-folded, so a full-width "ｊａｎｅ" is jane. Look-alikes (mixed
scripts, or a confusable skeleton equal to another person's address or a customer domain) need the
Unicode confusables data, which the app layer screens for and hands in as `lookalikes`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field

from mutualplan.plan.history.events import Rejection
from mutualplan.plan.people.freemail import is_freemail

# (a plan's addresses, its customer domains) → the look-alikes among them, each with why it is refused
Screen = Callable[[Collection[str], Collection[str]], Mapping[str, str]]


def address_key(email: str) -> str:
    """An address as addresses are compared: NFKC, case-folded, trimmed."""
    return unicodedata.normalize("NFKC", email).casefold().strip()


def domain_of(email: str) -> str:
    """An address's domain, as compared."""
    return address_key(email).rpartition("@")[2]


@dataclass(frozen=True, slots=True)
class Confirmers:
    """The rule that says whose address speaks for the customer in one plan."""

    customer_domains: frozenset[str] = frozenset()  # freemail never among them
    vendor_domains: frozenset[str] = frozenset()
    lookalikes: Mapping[str, str] = field(default_factory=dict)  # refused address → why, in words

    @classmethod
    def of(
        cls, customer: Iterable[str], vendor: Iterable[str] = (), lookalikes: Mapping[str, str] | None = None
    ) -> Confirmers:
        """The rule for a plan's domains (freemail ones dropped) and the look-alikes screened in it."""
        trusted = frozenset(domain_of(f"@{domain}") for domain in customer if not is_freemail(domain))
        return cls(trusted, frozenset(domain_of(f"@{domain}") for domain in vendor), dict(lookalikes or {}))

    def refusal(self, email: str) -> Rejection | None:
        """Why this address may not confirm for the customer; None when it may."""
        key = address_key(email)
        if key in self.lookalikes:
            return Rejection.LOOKALIKE
        domain = key.rpartition("@")[2]
        if is_freemail(domain):
            return Rejection.FREEMAIL
        if domain in self.customer_domains:
            return None
        return Rejection.VENDOR if domain in self.vendor_domains else Rejection.OUTSIDE

    def may_confirm(self, email: str) -> bool:
        """Whether this address speaks for the customer."""
        return self.refusal(email) is None

    def why_not(self, email: str, who: str = "") -> str:
        """Why an address may not confirm, in words that say what it means ("" when it may)."""
        reason = self.refusal(email)
        if reason is None:
            return ""
        named = who or email
        if reason is Rejection.LOOKALIKE:
            return f"{named}: {self.lookalikes[address_key(email)]} — refused"
        if reason is Rejection.FREEMAIL:
            return f"{named} is at a freemail domain: a confirmation from this address will not count"
        at = " or ".join(sorted(self.customer_domains)) or "the customer's domain (none is set)"
        return f"{named} is not at {at}: a confirmation from this address will not count"

    def as_json(self) -> dict[str, object]:
        """The rule as a snapshot keeps it."""
        return {
            "customer": sorted(self.customer_domains),
            "vendor": sorted(self.vendor_domains),
            "lookalikes": dict(self.lookalikes),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Confirmers:
        """The rule back from a snapshot."""
        customer, vendor, lookalikes = data.get("customer"), data.get("vendor"), data.get("lookalikes")
        return cls(
            frozenset(customer) if isinstance(customer, list) else frozenset(),
            frozenset(vendor) if isinstance(vendor, list) else frozenset(),
            dict(lookalikes) if isinstance(lookalikes, dict) else {},
        )
