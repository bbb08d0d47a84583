"""Syncs queued on Cloud Tasks: one named task a plan and window, at the window's end, calling an endpoint
that takes only the tasks account's OIDC token. Every request body is checked against cloudtasks.v2."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any, NoReturn

import pytest

from mutualplan.adapters.google.tasks import CloudTasksQueue, sync_unit
from mutualplan.app.editing import set_cell
from mutualplan.app.watch import open_channel
from mutualplan.bootstrap.google import production_app, production_services
from mutualplan.config import Config
from mutualplan.errors import GoogleApiError, InputError
from mutualplan.plan.sheet.parse import parse
from mutualplan.plan.sheet.vocabulary import Column
from mutualplan.store.base import make_engine
from mutualplan.store.schema import upgrade
from tests.google_http_mock import CheckedHttp, google_error, ok
from tests.id_tokens import ADDON_ACCOUNT, SCHEDULER_ACCOUNT, id_token
from tests.integration.addon_world import (
    NOW,
    PUBLIC,
    SELLER,
    TRANSPORT,
    World,
    answer,
    cards_of,
    stamped,
    texts,
    world,
)

LOCATION = "projects/mutualplan-prod/locations/europe-west1"
QUEUE = f"{LOCATION}/queues/syncs"
TASKS_ACCOUNT = "mutualplan-prod@appspot.gserviceaccount.com"
TARGET = f"{PUBLIC}/tasks/run"
WINDOW = timedelta(seconds=10)


def created(name: str = f"{QUEUE}/tasks/any") -> tuple[dict[str, str], str]:
    return ok({"name": name})


def already_exists() -> tuple[dict[str, str], str]:
    return google_error(409, "alreadyExists", "Requested entity already exists")


def queue_over(http: CheckedHttp) -> CloudTasksQueue:
    return CloudTasksQueue(http, LOCATION, TARGET, TASKS_ACCOUNT, WINDOW, TRANSPORT)


def tasks_sent(http: CheckedHttp) -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = [json.loads(body)["task"] for _, _, body in http.sent]
    return sent


def test_notifications_within_one_window_make_one_named_task_run_at_the_windows_end() -> None:
    http = CheckedHttp("cloudtasks.v2", [created(), already_exists(), created()])
    queue = queue_over(http)
    first = NOW + timedelta(seconds=3)  # 15:00:03: due at 15:00:13, in the window 15:00:10–20
    assert queue.request_sync("plan-1", first + WINDOW) is True
    assert queue.request_sync("plan-1", first + timedelta(seconds=5) + WINDOW) is False  # coalesced
    assert queue.request_sync("plan-1", first + timedelta(seconds=9) + WINDOW) is True  # the next window
    one, same, next_window = tasks_sent(http)
    assert one["name"] == same["name"] != next_window["name"]
    assert one["name"].startswith(f"{QUEUE}/tasks/sync-")
    assert one["scheduleTime"] == "2026-11-23T15:00:20Z"
    assert next_window["scheduleTime"] == "2026-11-23T15:00:30Z"
    request = one["httpRequest"]
    assert (request["httpMethod"], request["url"]) == ("POST", TARGET)
    assert request["oidcToken"] == {"serviceAccountEmail": TASKS_ACCOUNT, "audience": TARGET}
    body = json.loads(base64.b64decode(request["body"]))
    assert (body["job"], body["plan"]) == ("sync", "plan-1")
    assert [uri.split("?")[0] for uri, _, _ in http.sent] == [
        f"https://cloudtasks.googleapis.com/v2/{QUEUE}/tasks"
    ] * 3


def test_two_plans_in_one_window_get_two_tasks() -> None:
    http = CheckedHttp("cloudtasks.v2", [created(), created()])
    queue = queue_over(http)
    assert queue.request_sync("plan-1", NOW + WINDOW) is True
    assert queue.request_sync("plan-2", NOW + WINDOW) is True
    first, second = tasks_sent(http)
    assert first["name"] != second["name"]


def test_a_queue_that_refuses_says_so_and_is_not_taken_for_already_queued() -> None:
    http = CheckedHttp("cloudtasks.v2", [google_error(403, "forbidden", "cloudtasks.tasks.create denied")])
    with pytest.raises(GoogleApiError) as refused:
        queue_over(http).request_sync("plan-1", NOW + WINDOW)
    assert refused.value.status == 403


@pytest.fixture
def there(tmp_path: Path) -> Iterator[World]:
    """A stamped plan, the app knowing the tasks account."""
    with world(tmp_path) as made:
        made.spreadsheet()
        stamped(made)
        made.wired.config = replace(made.wired.config, tasks_location=LOCATION, tasks_account=TASKS_ACCOUNT)
        yield made


def run_task(there: World, body: Any, token: str | None) -> tuple[int, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = there.client.post("/tasks/run", json=body, headers=headers)
    return response.status_code, response.json


def test_a_task_with_the_tasks_accounts_token_syncs_its_plan(there: World) -> None:
    (record,) = there.store.plans()
    workbook = there.workbook("sheet-1")
    plan = parse(workbook.read("MAP")).plan
    cell = plan.cell(plan.rows[0], Column.STATUS)
    assert cell is not None
    set_cell(workbook, cell, "In progress", SELLER, "MAP")
    there.drive.touch("sheet-1", SELLER)
    token = id_token(TARGET, email=TASKS_ACCOUNT)
    said = {"synced": 1, "events": 1, "queued": 0, "failed": []}
    assert run_task(there, sync_of(record.id), token) == (200, said)
    gone = {"synced": 0, "events": 0, "queued": 0, "failed": []}
    assert run_task(there, sync_of("plan-gone"), token) == (200, gone)
    # A body no retry can mend ends the task (200), and says why; Cloud Tasks would retry anything else.
    assert run_task(there, {"job": "sync", "key": "k", "plan": 7}, token) == (
        200, {"error": 'a task body is a JSON object of strings: {"job": …, "key": …}'}
    )  # fmt: skip
    assert run_task(there, {"job": "sync", "key": "k"}, token) == (
        200,
        {"error": "a sync unit names its plan"},
    )
    assert run_task(there, {"job": "mine", "key": "k"}, token)[1]["error"].startswith(
        "a task's job is one of"
    )


def sync_of(plan_id: str) -> dict[str, str]:
    """A sync unit's body, as the queue carries it."""
    return {**sync_unit(plan_id, NOW, WINDOW).payload, "job": "sync", "key": f"{plan_id}|1"}


def test_a_unit_that_meets_a_passing_failure_asks_the_queue_to_retry(
    there: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    (record,) = there.store.plans()

    def unavailable(file_id: str) -> NoReturn:
        raise GoogleApiError("Google Drive is unavailable: try again later", 503, "backendError")

    monkeypatch.setattr(there.drive, "state", unavailable)
    token = id_token(TARGET, email=TASKS_ACCOUNT)
    status, said = run_task(there, sync_of(record.id), token)
    assert (status, said["failed"][0]["plan"]) == (503, record.id)


def test_a_task_whose_plan_google_answers_oddly_is_done_with_the_failure_on_the_owners_home_card(
    there: World,
) -> None:
    (record,) = there.store.plans()
    there.drive.touch("sheet-1", SELLER)
    odd = json.dumps({"sheets": [{"data": []}]})  # a tab with no properties: the adapter trips on it
    there.apis["sheet-1"].failures = [(200, odd)]
    token = id_token(TARGET, email=TASKS_ACCOUNT)
    status, said = run_task(there, sync_of(record.id), token)
    assert status == 200  # a retry cannot mend it: done, never retried forever
    assert said["failed"] == [{"plan": record.id, "error": _internal("KeyError")}]
    home = texts(cards_of(answer(there, "/addon/home"))[0])
    assert "Background work that failed" in home
    assert _internal("KeyError") in home
    assert run_task(there, sync_of(record.id), token) == (
        200,
        {"synced": 1, "events": 0, "queued": 0, "failed": []},
    )
    assert "Background work that failed" not in texts(cards_of(answer(there, "/addon/home"))[0])


def _internal(kind: str) -> str:
    return f"mutualplan hit an internal error ({kind}); it is logged for mutualplan's team"


@pytest.mark.parametrize(
    "token",
    [
        None,
        id_token(TARGET, email=SCHEDULER_ACCOUNT),  # the cron's account is not the tasks'
        id_token("https://elsewhere.example/tasks/run", email=TASKS_ACCOUNT),  # another audience
        id_token(TARGET, email=TASKS_ACCOUNT, exp=1),  # expired
    ],
)
def test_a_task_without_the_tasks_accounts_token_for_this_url_does_nothing(
    there: World, token: str | None
) -> None:
    (record,) = there.store.plans()
    before = len(there.store.events(record.id))
    assert run_task(there, sync_of(record.id), token)[0] == 403
    assert len(there.store.events(record.id)) == before


def test_a_drive_notification_queues_its_sync_on_cloud_tasks_not_in_the_store(there: World) -> None:
    (record,) = there.store.plans()
    http = CheckedHttp("cloudtasks.v2", [created(), already_exists()])
    there.wired.queue = queue_over(http)
    channel = open_channel(there.store, there.drive, record, f"{PUBLIC}/hooks/drive", NOW)
    headers = {
        "X-Goog-Channel-ID": channel.id, "X-Goog-Channel-Token": there.drive.tokens[channel.id],
        "X-Goog-Resource-State": "update",
    }  # fmt: skip
    answers = [there.client.post("/hooks/drive", headers=headers).json for _ in range(2)]
    assert answers == [{"result": "queued"}, {"result": "already queued"}]
    assert len(http.sent) == 2
    assert there.store.claim_due_syncs(NOW + timedelta(days=1)) == []


def test_a_queue_without_an_account_to_run_its_tasks_is_refused_at_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MUTUALPLAN_PUBLIC_URL", PUBLIC)
    monkeypatch.setenv("MUTUALPLAN_ADDON_SERVICE_ACCOUNT", ADDON_ACCOUNT)
    monkeypatch.setenv("MUTUALPLAN_TASKS_LOCATION", LOCATION)
    monkeypatch.delenv("MUTUALPLAN_TASKS_ACCOUNT", raising=False)
    with pytest.raises(InputError, match="MUTUALPLAN_TASKS_ACCOUNT"):
        production_app()


def test_production_queues_syncs_on_cloud_tasks_when_a_queue_is_set(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    upgrade(make_engine(url))
    config = Config(
        tmp_path, url, 10, public_url=PUBLIC, tasks_location=LOCATION, tasks_account=TASKS_ACCOUNT
    )
    http = CheckedHttp("cloudtasks.v2", [created()])
    services = production_services(config, TRANSPORT, tasks_http=http)
    assert services.sync_queue.request_sync("plan-1", NOW + WINDOW) is True
    (task,) = tasks_sent(http)
    assert task["httpRequest"]["oidcToken"] == {"serviceAccountEmail": TASKS_ACCOUNT, "audience": TARGET}
    embedded = production_services(replace(config, tasks_location=""), TRANSPORT)
    assert embedded.sync_queue is embedded.store
