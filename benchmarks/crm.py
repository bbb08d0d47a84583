"""CRM pushes at size (python -m benchmarks.crm [--plans N]).

10,000 plans of 500 sellers, each plan linked to its opportunity (Salesforce) or deal (HubSpot), every
seller connected: every push owed, one unit a seller, drained from the store's queue; then again, the
CRMs holding the figures already. Salesforce answers through `responses` (tests/fake_salesforce.py),
HubSpot on loopback (tests/fake_hubspot.py) through hubspot-api-client's own HTTP stack. Prints the API
calls a plan (budget: at most 2), the token refreshes, and the requests a minute at the crm queue's rate.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any, Protocol, cast

import responses
import yaml
from tests.fake_hubspot import FakeHubSpot, serving
from tests.fake_salesforce import FakeSalesforce

from benchmarks.fleet_plan import DAY, fill
from mutualplan.adapters.crm.platform import ConfiguredCrms
from mutualplan.adapters.sealing import FernetSealer, new_secret_key
from mutualplan.app.crm_ports import CrmConnection, CrmLink
from mutualplan.app.records import AccountStatus
from mutualplan.app.services import Services
from mutualplan.app.tasks import run_unit
from mutualplan.app.units import Job, Outcome, Unit
from mutualplan.config import Config
from mutualplan.plan.crm import Crm
from mutualplan.store.base import make_engine
from mutualplan.store.schema import upgrade
from mutualplan.store.sql import SqlStore

ROOT = Path(__file__).parents[1]
BUDGET_CALLS_A_PLAN = 2.0


def crm_rate() -> float:
    """The crm queue's dispatches a second, as queue.yaml sets them."""
    queues = yaml.safe_load((ROOT / "queue.yaml").read_text())["queue"]
    rate: str = next(queue["rate"] for queue in queues if queue["name"] == "crm")
    return float(rate.removesuffix("/s"))


def world(folder: Path, plans: int, hubspot_host: str) -> tuple[Services, dict[str, list[str]]]:
    """The store with the plans, and the services a unit runs with; each seller's plan ids."""
    engine = make_engine(f"sqlite:///{folder / 'store.sqlite'}")
    upgrade(engine)
    store = SqlStore(engine)
    fill(store, plans, random.Random(29))
    config = Config(
        folder, "", 10, public_url="https://mp.example", secret_key=new_secret_key(),
        salesforce_client_id="3MVG9bench", hubspot_client_id="hub-bench", hubspot_client_secret="s",
    )  # fmt: skip
    clock = [DAY + timedelta(hours=9)]
    services = Services(
        store, cast(Any, None), cast(Any, None), FernetSealer(config.secret_key), cast(Any, None), config,
        lambda: clock[0], crms=ConfiguredCrms(config, hubspot_host=hubspot_host),
    )  # fmt: skip
    sellers: dict[str, list[str]] = {}
    for plan_id, record in ((plan_id, store.plan(plan_id)) for plan_id, _ in store.plan_inputs()):
        assert record is not None
        sellers.setdefault(record.owner, []).append(plan_id)
    return services, sellers


def push_all(services: Services, sellers: dict[str, list[str]]) -> float:
    """Every seller's push owed, and each seller's unit run as the queue runs it: the seconds they took."""
    services.store.mark_crm_due([plan_id for plans in sellers.values() for plan_id in plans])
    started = time.perf_counter()
    for seller in sellers:
        run = run_unit(services, Unit(Job.CRM, seller, {"owner": seller}))
        assert run.outcome is Outcome.DONE, run.said
        assert run.said["failed"] == [], run.said
    return time.perf_counter() - started


class Counted(Protocol):
    """A fake CRM's counts: the API requests it answered, the writes it kept, the token refreshes."""

    calls: list[tuple[str, str]]
    writes: list[Any]
    refreshes: int


def measured(services: Services, sellers: dict[str, list[str]], fake: Counted, plans: int) -> dict[str, Any]:
    """Every plan pushed, then pushed again with nothing changed: the calls a plan each time, and more."""
    first = push_all(services, sellers)
    calls_first, writes = len(fake.calls), len(fake.writes)
    again = push_all(services, sellers)
    return {
        "calls_a_plan": round(calls_first / plans, 3), "writes": writes, "push_s": round(first, 1),
        "unchanged_calls_a_plan": round((len(fake.calls) - calls_first) / plans, 3),
        "unchanged_writes": len(fake.writes) - writes, "unchanged_push_s": round(again, 1),
        "token_refreshes_a_seller": round(fake.refreshes / (2 * len(sellers)), 2),
    }  # fmt: skip


def salesforce_part(folder: Path, plans: int) -> dict[str, Any]:
    fake = FakeSalesforce()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        fake.install(mock)
        services, sellers = world(folder, plans, "http://unused")
        for number, (seller, plan_ids) in enumerate(sorted(sellers.items())):
            user_id = f"0055g{number:010d}"
            fake.add_user(user_id, seller).refresh_token = f"refresh-{number}"
            sealed = services.sealer.encrypt(f"refresh-{number}")
            services.store.save_crm_connection(
                CrmConnection(seller, Crm.SALESFORCE, sealed, "", user_id, AccountStatus.CONNECTED, DAY)
            )
            for index, plan_id in enumerate(plan_ids):
                opportunity = f"0065g{number:05d}{index:05d}AAB"
                fake.add_opportunity(opportunity, plan_id, user_id)
                services.store.save_crm_link(CrmLink(plan_id, Crm.SALESFORCE, opportunity, seller, DAY))
        return measured(services, sellers, fake, plans)


def hubspot_part(folder: Path, plans: int) -> dict[str, Any]:
    fake = FakeHubSpot()
    with serving(fake), responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add_passthru(fake.host)
        services, sellers = world(folder, plans, fake.host)
        for number, (seller, plan_ids) in enumerate(sorted(sellers.items())):
            fake.owners[seller] = str(1000 + number)
            fake._refresh[f"refresh-{number}"] = seller
            sealed = services.sealer.encrypt(f"refresh-{number}")
            services.store.save_crm_connection(
                CrmConnection(
                    seller, Crm.HUBSPOT, sealed, "", str(1000 + number), AccountStatus.CONNECTED, DAY
                )
            )
            for index, plan_id in enumerate(plan_ids):
                deal = f"{number:04d}{index:05d}"
                fake.add_deal(deal, plan_id, seller)
                services.store.save_crm_link(CrmLink(plan_id, Crm.HUBSPOT, deal, seller, DAY))
        return measured(services, sellers, fake, plans)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--plans", type=int, default=10_000)
    plans = parser.parse_args().plans
    rate = crm_rate()
    said: dict[str, Any] = {
        "plans": plans,
        "sellers": min(plans, 500),
        "units_a_minute": round(rate * 60),
    }
    for name, part in (("salesforce", salesforce_part), ("hubspot", hubspot_part)):
        with tempfile.TemporaryDirectory() as folder:
            found = part(Path(folder), plans)
        units = said["sellers"]
        calls_a_unit = found["calls_a_plan"] * plans / units
        found["api_requests_a_minute"] = round(rate * 60 * calls_a_unit)
        found["token_requests_a_minute"] = round(rate * 60 * found["token_refreshes_a_seller"])
        found["minutes_for_all"] = round(units / (rate * 60), 1)
        said[name] = found
        assert found["calls_a_plan"] <= BUDGET_CALLS_A_PLAN, (name, found)
    print(json.dumps(said, indent=2))
    flat = " ".join(
        f"{crm}_{key}={value}" for crm in ("salesforce", "hubspot") for key, value in said[crm].items()
    )
    print(f"crm: plans={plans} sellers={said['sellers']} units_a_minute={said['units_a_minute']} {flat}")


if __name__ == "__main__":
    main()
