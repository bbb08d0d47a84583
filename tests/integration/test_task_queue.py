"""The store's own queue of units, on SQLite and PostgreSQL: a name is enqueued once, a due unit is leased
to one runner, a lapsed lease hands it out again, and a unit given back waits for its moment; runs sending as
one person share one pace."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from mutualplan.app.units import Job, Unit
from mutualplan.store.sql import SqlStore

NOW = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
LEASE = timedelta(seconds=60)
REMIND_SAM = Unit(Job.REMIND, "sam@vendor.io|Europe/London|2026-12-07", {"owner": "sam@vendor.io"})


def test_a_unit_is_enqueued_once_by_name_even_after_it_is_done(store: SqlStore) -> None:
    assert store.enqueue([REMIND_SAM], NOW) == 1
    assert store.enqueue([REMIND_SAM, REMIND_SAM], NOW) == 0  # a cron retry: nothing twice
    (leased,) = store.lease_due(NOW, LEASE, 10)
    store.finish_task(leased.unit.name, NOW)
    assert store.enqueue([REMIND_SAM], NOW + timedelta(hours=1)) == 0  # the hour job again, same day
    assert store.next_task_at() is None


def test_a_due_unit_is_leased_to_one_runner_until_its_lease_lapses(store: SqlStore) -> None:
    store.enqueue([REMIND_SAM], NOW)
    (first,) = store.lease_due(NOW, LEASE, 10)
    assert (first.unit, first.attempts) == (REMIND_SAM, 1)
    assert store.lease_due(NOW + timedelta(seconds=59), LEASE, 10) == []  # still leased: no one else
    (again,) = store.lease_due(NOW + LEASE, LEASE, 10)  # the runner was killed: handed out again
    assert (again.unit, again.attempts) == (REMIND_SAM, 2)


def test_a_unit_waits_for_its_moment_and_a_retry_puts_it_back_later(store: SqlStore) -> None:
    later = Unit(Job.SYNC, "plan-1|window-9", {"plan": "plan-1"}, NOW + timedelta(seconds=10))
    store.enqueue([later], NOW)
    assert store.lease_due(NOW, LEASE, 10) == []
    assert store.next_task_at() == NOW + timedelta(seconds=10)
    (leased,) = store.lease_due(NOW + timedelta(seconds=10), LEASE, 10)
    store.retry_task(leased.unit.name, NOW + timedelta(minutes=5))
    assert store.lease_due(NOW + timedelta(minutes=1), LEASE, 10) == []
    assert [item.attempts for item in store.lease_due(NOW + timedelta(minutes=5), LEASE, 10)] == [2]


def test_units_are_handed_out_oldest_first_and_at_most_the_limit(store: SqlStore) -> None:
    units = [Unit(Job.SYNC, f"plan-{n}", {"plan": f"plan-{n}"}, NOW - timedelta(seconds=n)) for n in range(5)]
    assert store.enqueue(units, NOW) == 5
    oldest_first = [unit.key for unit in reversed(units)]
    assert [item.unit.key for item in store.lease_due(NOW, LEASE, 3)] == oldest_first[:3]
    assert [item.unit.key for item in store.lease_due(NOW, LEASE, 3)] == oldest_first[3:]


def test_done_units_are_forgotten_after_a_while_and_their_names_are_free_again(store: SqlStore) -> None:
    store.enqueue([REMIND_SAM], NOW)
    store.finish_task(store.lease_due(NOW, LEASE, 1)[0].unit.name, NOW)
    assert store.forget_tasks_done(NOW + timedelta(days=2)) == 1
    assert store.enqueue([REMIND_SAM], NOW + timedelta(days=2)) == 1


def test_runs_sending_as_one_person_at_once_are_given_slots_a_gap_apart(store: SqlStore) -> None:
    gap = timedelta(seconds=0.5)
    with ThreadPoolExecutor(max_workers=4) as runners:  # four runs at once, as Cloud Tasks may run them
        slots = list(runners.map(lambda _: store.reserve_send("Sam@Vendor.io", NOW, gap), range(12)))
    assert sorted(slots) == [NOW + n * gap for n in range(12)]
    assert store.reserve_send("sam@vendor.io", NOW + timedelta(minutes=1), gap) == NOW + timedelta(minutes=1)
    assert store.reserve_send("lee@vendor.io", NOW, gap) == NOW  # another person keeps their own pace
