"""What the sidebar's journeys take and give: who opened what, and each card's view of the plan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mutualplan.app.records import AccountStatus, PlanFailure, UnknownReminder
from mutualplan.plan.checks.health import Health
from mutualplan.plan.dates.template import Template
from mutualplan.plan.history.own_rows import OwnRow


@dataclass(frozen=True, slots=True)
class Opening:
    """Who opened which spreadsheet, and where it is: what every sidebar journey starts from."""

    token: str
    spreadsheet_id: str
    title: str = ""
    time_zone: str = "UTC"


@dataclass(frozen=True, slots=True)
class ProposalView:
    """A date the customer proposed, waiting for the seller."""

    row_id: str
    step: str
    due: date | None
    proposed: date
    reason: str
    by: str


@dataclass(frozen=True, slots=True)
class HomeView:
    """What the home card shows of a plan."""

    plan_id: str
    title: str
    health: Health
    account: AccountStatus | None  # the owner's offline authorisation; None before they connect
    owner: str
    proposals: tuple[ProposalView, ...] = ()
    own_link: str = ""  # the sidebar user's own confirmation page, when they are on the customer side
    own_rows: tuple[OwnRow, ...] = ()  # a customer-side user's own open steps
    warning: str = ""  # what the seller's side must not miss (the customer domain moved after verification)
    unknown_mail: tuple[UnknownReminder, ...] = ()  # messages a killed run may or may not have sent, lately
    failures: tuple[PlanFailure, ...] = ()  # background work that failed and has not succeeded since

    @property
    def for_customer(self) -> bool:
        """Whether the sidebar's user is on the customer's side: they see their view, not the seller's."""
        return bool(self.own_link)


@dataclass(frozen=True, slots=True)
class Gallery:
    """A spreadsheet with no plan yet: the templates to stamp one from."""

    templates: tuple[Template, ...]
    first_go_live: date
    notice: str = ""  # what became of a plan marker another app edited, when the sheet carries one


@dataclass(frozen=True, slots=True)
class Unconfirmed:
    """An open step due soon that the customer has not confirmed."""

    row: int
    step: str
    due: date
    owner: str


@dataclass(frozen=True, slots=True)
class AskPreview:
    """The dates to ask the customer about, whom to ask, and the words to ask with."""

    rows: tuple[Unconfirmed, ...]
    to: str  # "Name <email>" of the champion; "" when none is named
    words: str


@dataclass(frozen=True, slots=True)
class StampForm:
    """What the gallery's form says of the deal."""

    template: str
    go_live: date | None
    deal: str = ""
    customer: str = ""
    customer_domain: str = ""
    outcome: str = ""
    done_before_today: bool = False  # a deal under way: the steps already past are Done
    external_deadline: date | None = None
    champion: str = ""  # "Name <email>", optional: the [Champion] rows start with their name
    team: str = ""  # lines of "Role: Name <email>", optional: the seller's own team, named up front
