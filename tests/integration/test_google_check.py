"""`mutualplan google-check`, its logic over the fakes: the real Sheets adapter against the fake Sheets API,
a fake Drive that makes and copies spreadsheets, the fake mailer. (The command itself needs the network
and a deployer's grant: it is never part of the test command.)"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from mutualplan.adapters.google.tasks import CloudTasksQueue
from mutualplan.adapters.templates import TemplateFolder
from mutualplan.app.google_check import CheckLine, CheckPorts, Outcome, google_check
from mutualplan.bootstrap.commands import Commands
from mutualplan.cli import main
from mutualplan.errors import GoogleApiError, GrantRevokedError
from tests.fake_drive import FakeDrive
from tests.fake_sheets_api import FakeSheetsApi
from tests.google_http_mock import CheckedHttp, google_error, ok
from tests.integration.addon_world import NOW, PUBLIC, SELLER, TRANSPORT, World, stamped, world

HOOK = f"{PUBLIC}/hooks/drive"


@dataclass
class ScratchFakeDrive(FakeDrive):
    """The fake Drive, making and copying spreadsheets behind the fake Sheets API."""

    there: World | None = None
    refuse_create: bool = False

    def create_spreadsheet(self, name: str) -> str:
        if self.refuse_create:
            raise GoogleApiError("mutualplan has no access to this file in Google Drive (forbidden)", 403)
        assert self.there is not None
        made = self.there.add(FakeSheetsApi(f"scratch-{len(self.there.apis)}", file_owner=SELLER))
        return made.spreadsheet_id

    def copy(self, file_id: str, name: str) -> str:
        assert self.there is not None
        twin = self.there.apis[file_id].copy(f"copy-{len(self.there.apis)}")
        return self.there.add(twin).spreadsheet_id


@pytest.fixture
def there(tmp_path: Path) -> Iterator[World]:
    with world(tmp_path) as made:
        yield made


LOCATION = "projects/mutualplan-prod/locations/europe-west1"


def queue_answer(name: str, per_second: float, status: int = 200) -> tuple[dict[str, str], str]:
    """Cloud Tasks' queues.get answer for one of mutualplan's queues."""
    if status != 200:
        return google_error(status, "forbidden", "cloudtasks.queues.get denied")
    limits = {"maxDispatchesPerSecond": per_second, "maxConcurrentDispatches": 10, "maxBurstSize": 5}
    queue = {"name": f"{LOCATION}/queues/{name}", "rateLimits": limits, "retryConfig": {"maxAttempts": 10}}
    return ok({**queue, "state": "RUNNING"})


def reading(*answers: tuple[dict[str, str], str]) -> CloudTasksQueue:
    """Cloud Tasks as the deployer, answering queues.get in turn."""
    return CloudTasksQueue(
        CheckedHttp("cloudtasks.v2", list(answers)), LOCATION, "", "", timedelta(), TRANSPORT
    )


RIGHT_RATES = [
    queue_answer("syncs", 1.6),
    *(queue_answer(name, 5) for name in ("mail", "renewals", "fanout")),
    queue_answer("crm", 3),
]


def ports_of(
    there: World,
    drive: ScratchFakeDrive,
    queues: CloudTasksQueue | str = "not set",
    granted_at: datetime | None = NOW - timedelta(days=30),
) -> CheckPorts:
    drive.there = there
    return CheckPorts(
        lambda: drive,
        lambda spreadsheet_id: there.workbook(spreadsheet_id, person=SELLER),
        lambda: there.mailer,
        TemplateFolder(),
        lambda: queues,
        lambda: granted_at,
    )


def outcomes(lines: list[CheckLine]) -> list[tuple[str, Outcome]]:
    return [(line.step, line.outcome) for line in lines]


def test_on_a_working_project_every_step_passes_and_says_what_google_answered(there: World) -> None:
    drive = ScratchFakeDrive()
    lines = list(google_check(ports_of(there, drive, reading(*RIGHT_RATES)), SELLER, HOOK, NOW))
    assert [line.outcome for line in lines] == [Outcome.PASS] * 7 + [Outcome.SKIP] * 2 + [Outcome.PASS] * 7
    answers = {line.step: line.answer for line in lines}
    assert answers["a people-chip column keeps a placeholder"].startswith("'[")
    assert "it would be adopted" in answers["a copy keeps the marker (Drive files.copy)"]
    assert (drive.calls["watch"], drive.calls["stop"]) == (1, 1)
    (mail,) = there.mailer.sent
    assert mail["To"] == SELLER
    assert set(there.apis) == {"scratch-0", "copy-1"}  # left in the deployer's Drive to look at
    assert answers["queue syncs: its rates"] == "1.6 a second, 10 at once, 10 attempts"


def test_a_queue_too_fast_for_sheets_fails_a_missing_one_fails_and_unreadable_ones_are_skipped(
    there: World,
) -> None:
    queues = reading(
        queue_answer("syncs", 5), google_error(404, "notFound", "Queue does not exist."),
        queue_answer("renewals", 0, status=403), queue_answer("fanout", 5), queue_answer("crm", 8),
    )  # fmt: skip
    lines = list(google_check(ports_of(there, ScratchFakeDrive(), queues), SELLER, HOOK, NOW))
    said = {line.step: (line.outcome, line.answer) for line in lines if line.step.startswith("queue ")}
    assert said["queue syncs: its rates"] == (
        Outcome.FAIL, "5 a second, 10 at once, 10 attempts: above 1.67 a second, Sheets' quota would be hit"
    )  # fmt: skip
    assert said["queue mail: its rates"][0] is Outcome.FAIL
    assert "the guide: Deploying to Google, step 6" in said["queue mail: its rates"][1]
    assert said["queue renewals: its rates"][0] is Outcome.SKIP
    assert said["queue fanout: its rates"][0] is Outcome.PASS
    assert said["queue crm: its rates"] == (
        Outcome.FAIL, "8 a second, 10 at once, 10 attempts: above 5.00 a second, HubSpot's quota would be hit"
    )  # fmt: skip
    unset = list(google_check(ports_of(there, ScratchFakeDrive()), SELLER, HOOK, NOW))
    assert {line.outcome for line in unset if line.step.startswith("queue ")} == {Outcome.SKIP}


def test_the_offline_grant_reads_a_spreadsheet_granted_in_the_sidebar(there: World) -> None:
    there.spreadsheet()
    stamped(there)
    lines = list(google_check(ports_of(there, ScratchFakeDrive()), SELLER, HOOK, NOW, granted="sheet-1"))
    granted = next(line for line in lines if "granted in the sidebar" in line.step)
    assert granted.outcome is Outcome.PASS
    assert "plan plan-" in granted.answer


def test_a_refused_step_fails_with_googles_answer_and_what_needs_it_is_skipped(there: World) -> None:
    lines = list(google_check(ports_of(there, ScratchFakeDrive(refuse_create=True)), SELLER, HOOK, NOW))
    first, *rest = lines
    assert (first.outcome, first.answer) == (
        Outcome.FAIL,
        "mutualplan has no access to this file in Google Drive (forbidden)",
    )
    assert [line.outcome for line in rest[:6]] == [Outcome.SKIP] * 6
    said = {line.step: line.outcome for line in rest}
    assert said["send one email to you (Gmail, gmail.send)"] is Outcome.PASS  # it needs no spreadsheet
    assert said[GRANT_AGE] is Outcome.SKIP  # the grant did not work here: nothing to measure


GRANT_AGE = "the offline grant outlives 7 days (an OAuth app in Testing loses it)"


def test_a_plan_in_a_shared_drive_is_read_and_watched_when_the_deployer_names_one(there: World) -> None:
    drive = ScratchFakeDrive()
    there.spreadsheet("in-a-shared-drive")
    drive.touch("in-a-shared-drive", SELLER)
    lines = list(google_check(ports_of(there, drive), SELLER, HOOK, NOW, shared="in-a-shared-drive"))
    (shared,) = [line for line in lines if "shared drive" in line.step]
    assert shared.outcome is Outcome.PASS
    assert "watched it and stopped the channel" in shared.answer
    assert drive.calls["stop"] == 2  # the scratch spreadsheet's channel, and this one's


@pytest.mark.parametrize(
    ("days", "outcome", "says"),
    [
        (3, Outcome.WARN, "if the OAuth consent screen is still in Testing, Google ends it on 27 Nov 2026"),
        (8, Outcome.PASS, "8 days old and still works: the app is published"),
    ],
)
def test_a_grant_younger_than_seven_days_is_a_warning_and_an_older_one_that_works_proves_the_app_published(
    there: World, days: int, outcome: Outcome, says: str
) -> None:
    ports = ports_of(there, ScratchFakeDrive(), granted_at=NOW - timedelta(days=days))
    (line,) = [line for line in google_check(ports, SELLER, HOOK, NOW) if line.step == GRANT_AGE]
    assert (line.outcome, says in line.answer) == (outcome, True)


def test_an_account_that_never_connected_fails_each_step_that_needs_the_grant(there: World) -> None:
    def no_grant() -> ScratchFakeDrive:
        raise GrantRevokedError(f"{SELLER} has not connected mutualplan: Connect in the sidebar")

    ports = CheckPorts(
        no_grant,
        lambda spreadsheet_id: there.workbook(spreadsheet_id),
        lambda: there.mailer,
        TemplateFolder(),
    )
    (first, *_) = google_check(ports, SELLER, HOOK, NOW)
    assert first.outcome is Outcome.FAIL
    assert "Connect in the sidebar" in first.answer


class CheckedCommands(Commands):
    """The console script's wiring, its live check given."""

    def __init__(self, lines: list[CheckLine]) -> None:
        self.lines = lines

    def google_check(self, email: str, granted: str | None, shared: str | None = None) -> Iterator[CheckLine]:
        return iter(self.lines)


def test_the_command_prints_a_line_a_step_and_exits_1_when_one_failed() -> None:
    lines = [
        CheckLine("make a scratch spreadsheet", Outcome.PASS, "spreadsheet s1"),
        CheckLine("send one email to you", Outcome.FAIL, "Gmail failed (403, insufficientPermissions)"),
    ]
    result = CliRunner().invoke(main, ["google-check", "--email", SELLER], obj=CheckedCommands(lines))
    assert result.output.splitlines() == [
        "PASS  make a scratch spreadsheet: spreadsheet s1",
        "FAIL  send one email to you: Gmail failed (403, insufficientPermissions)",
    ]
    assert result.exit_code == 1
    passing = CliRunner().invoke(main, ["google-check", "--email", SELLER], obj=CheckedCommands(lines[:1]))
    assert passing.exit_code == 0
    warned = [CheckLine("the offline grant outlives 7 days", Outcome.WARN, "made 3 days ago: …")]
    warning = CliRunner().invoke(main, ["google-check", "--email", SELLER], obj=CheckedCommands(warned))
    assert (warning.output, warning.exit_code) == (
        "WARN  the offline grant outlives 7 days: made 3 days ago: …\n",
        0,
    )


def test_the_command_without_the_deployments_settings_says_which_to_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("MUTUALPLAN_PUBLIC_URL", "MUTUALPLAN_SECRET_KEY", "MUTUALPLAN_OAUTH_CLIENT_ID"):
        monkeypatch.delenv(name, raising=False)
    result = CliRunner().invoke(main, ["google-check", "--email", SELLER], obj=Commands())
    assert result.exit_code == 2
    assert "set MUTUALPLAN_PUBLIC_URL, MUTUALPLAN_SECRET_KEY" in result.output
