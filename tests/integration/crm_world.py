"""The add-on's world with both CRMs behind their fakes: Salesforce's REST API through `responses`,
HubSpot's on loopback; the deployment set up for both, and a plan stamped by the seller."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from mutualplan.adapters.crm.platform import ConfiguredCrms
from mutualplan.app.crm_ports import CrmLink
from mutualplan.app.records import PlanRecord, WorkbookKind
from mutualplan.app.services import Services
from mutualplan.app.tasks import Drained, drain
from mutualplan.plan.crm import Crm
from tests.deals import MONDAY, signed_plan
from tests.fake_hubspot import FakeHubSpot, serving
from tests.fake_salesforce import FakeSalesforce
from tests.integration.addon_world import PUBLIC, SELLER, World, answer, only_card, stamped, world


@dataclass
class CrmWorld:
    """The world, the two fakes, and the seller's plan."""

    there: World
    salesforce: FakeSalesforce
    hubspot: FakeHubSpot
    plan: PlanRecord

    @property
    def services(self) -> Services:
        return self.there.wired

    def card(self, path: str = "/addon/crm", **event: Any) -> dict[str, Any]:
        """A CRM card, parsed strictly."""
        return only_card(answer(self.there, path, **event))

    def act(self, path: str, **event: Any) -> dict[str, Any]:
        """A button's whole answer (a notification over a card)."""
        return answer(self.there, path, **event)

    def consent_url(self, crm: Crm, challenge: str) -> str:
        """A consent screen's address, for a challenge of the test's own."""
        assert self.services.crms is not None
        return self.services.crms.sign_in(crm).consent_url(
            "state", challenge, self.services.links.crm_callback
        )

    def connect(self, crm: Crm, who: str = SELLER, user_id: str = "") -> str:
        """The seller clicks Connect on the CRM card, consents, and comes back: the page's text."""
        (url,) = [
            button["onClick"]["openLink"]["url"]
            for section in self.card(user=who)["sections"]
            for widget in section["widgets"]
            for button in widget.get("buttonList", {}).get("buttons", [])
            if button["text"] == f"Connect {crm.label}"
        ]
        started = self.there.client.get(url.removeprefix(PUBLIC))
        assert started.status_code == 302, started.get_data(as_text=True)
        consent = started.headers["Location"]
        fake = self.salesforce if crm is Crm.SALESFORCE else self.hubspot
        code, state = fake.consent(consent, user_id or who)
        back = self.there.client.get(
            f"{urlparse(self.services.links.crm_callback).path}?code={code}&state={state}"
        )
        return back.get_data(as_text=True)

    def link(self, crm: Crm, record_id: str, plan: PlanRecord | None = None) -> None:
        """A plan linked, with no push yet."""
        plan = plan or self.plan
        self.services.store.save_crm_link(
            CrmLink(plan.id, crm, record_id, plan.owner, self.there.now, due=True)
        )

    def drain(self) -> Drained:
        return drain(self.services)

    def later(self, seconds: float) -> None:
        self.there.now += timedelta(seconds=seconds)


def another_plan(there: World, plan_id: str, owner: str) -> PlanRecord:
    """Another seller's plan, synced once (no spreadsheet needed to push it)."""
    record = PlanRecord(plan_id, f"sheet-{plan_id}", WorkbookKind.GOOGLE, owner, "Globex pilot", there.now)
    there.store.add_plan(record)
    there.store.record_sync(plan_id, 0, signed_plan(MONDAY + timedelta(weeks=10)), [], there.now)
    return record


@contextmanager
def crm_world(folder: Path) -> Iterator[CrmWorld]:
    """The world with both CRMs set up, and Sam's stamped plan."""
    with world(folder) as there, serving(FakeHubSpot()) as hubspot:
        services = there.wired
        services.config = replace(
            services.config, salesforce_client_id="3MVG9mutualplan.test", hubspot_client_id="hub-app-1",
            hubspot_client_secret="hub-secret",
        )  # fmt: skip
        services.crms = ConfiguredCrms(services.config, hubspot_host=hubspot.host)
        salesforce = FakeSalesforce()
        salesforce.install(there.mock)
        there.mock.add_passthru(hubspot.host)
        there.spreadsheet()
        stamped(there)
        plan = there.store.plan_in("sheet-1")
        assert plan is not None
        yield CrmWorld(there, salesforce, hubspot, plan)
