"""A unit's name is its identity, in Cloud Tasks' alphabet; a task body round-trips, and a bad one is
refused with what is wrong."""

from __future__ import annotations

import json
import re

import pytest

from mutualplan.app.units import Job, Unit


def test_the_same_work_has_the_same_name_in_cloud_tasks_alphabet_and_other_work_another() -> None:
    one = Unit(Job.REMIND, "Sam@Vendor.io|America/Los_Angeles|2026-12-07", {"owner": "sam@vendor.io"})
    same = Unit(Job.REMIND, one.key, {"owner": "other"})
    assert one.name == same.name
    assert re.fullmatch(r"[A-Za-z0-9_-]{1,500}", one.name)
    assert one.name != Unit(Job.REMIND, one.key.replace("07", "08")).name
    assert one.name != Unit(Job.SYNC, one.key).name


def test_a_task_body_round_trips() -> None:
    unit = Unit(Job.SYNC, "plan-1|42", {"plan": "plan-1"})
    assert Unit.from_body(json.loads(unit.body())) == unit


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ([], "a JSON object of strings"),
        ({"job": "sync", "key": 3}, "a JSON object of strings"),
        ({"job": "mine", "key": "k"}, "one of sync, remind, reconcile, renew"),
        ({"job": "sync"}, "a non-empty key"),
    ],
)
def test_a_bad_task_body_is_refused_saying_what_is_wrong(body: object, said: str) -> None:
    with pytest.raises(ValueError, match=said):
        Unit.from_body(body)
