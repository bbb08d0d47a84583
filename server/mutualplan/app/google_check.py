"""The live check a deployer runs once against their own Google project (`mutualplan google-check`):
each step is one thing a real deployment depends on and the fakes can only promise, tried for real
with the deployer's offline grant, and told as pass, fail (with Google's answer) or skip (a step it
needed failed). It leaves its scratch spreadsheets in the deployer's Drive, to look at.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from enum import StrEnum
from functools import partial
from typing import NamedTuple, Protocol

from mutualplan.app.mail import address
from mutualplan.app.ports import Drive, Mailer, TemplateLibrary, Workbook
from mutualplan.app.stamping import new_plan_id, stamp
from mutualplan.errors import GoogleApiError, MutualplanError
from mutualplan.plan.dates.stamp import Deal
from mutualplan.plan.sheet.parse import parse
from mutualplan.plan.sheet.vocabulary import Column

TEMPLATE = "regulated-buyer"
CHANNEL_SECONDS = 300  # the check's channel lives five minutes, and is stopped at once anyway
TESTING_GRANT_LIFE = timedelta(days=7)  # Google's life of a refresh token from an app in Testing


class ScratchDrive(Drive, Protocol):
    """Drive with what the check needs besides: making a spreadsheet, and Drive's "Make a copy"."""

    def create_spreadsheet(self, name: str) -> str:
        """A new, empty spreadsheet: its id."""
        ...

    def copy(self, file_id: str, name: str) -> str:
        """A copy of a file: its id."""
        ...


@dataclass(frozen=True, slots=True)
class QueueSettings:
    """A Cloud Tasks queue's rates, as Google holds them."""

    dispatches_per_second: float
    concurrent: int
    attempts: int


class QueueReader(Protocol):
    """Cloud Tasks as the deployer's own credentials: a queue's settings, by name."""

    def settings(self, name: str) -> QueueSettings:
        """A queue's rates (a GoogleApiError when it is missing, or may not be read)."""
        ...


class Bound(NamedTuple):
    """The most dispatches a second that keep a queue's quota, and whose quota it is."""

    most: float
    quota: str


# Each queue, and the bound that keeps its quota (None: no project-wide bound).
QUEUE_MOST: dict[str, Bound | None] = {
    "syncs": Bound(100 / 60, "Sheets'"),  # a third of Sheets' 300 reads a minute a project
    "mail": None,
    "renewals": None,
    "fanout": None,
    "crm": Bound(5.0, "HubSpot's"),  # two API calls a unit within 110 requests per 10 s for one portal
}


@dataclass(frozen=True, slots=True)
class CheckPorts:
    """Google as the deployer's offline grant (each made when a step first needs it), and Cloud Tasks as
    their own credentials (or why those cannot be had)."""

    drive: Callable[[], ScratchDrive]
    workbook: Callable[[str], Workbook]
    mailer: Callable[[], Mailer]
    templates: TemplateLibrary
    queues: Callable[[], QueueReader | str] = lambda: "MUTUALPLAN_TASKS_LOCATION is not set"
    granted_at: Callable[[], datetime | None] = lambda: None  # when the deployer's grant was made


class Outcome(StrEnum):
    """What became of one step."""

    PASS = "pass"
    FAIL = "fail"
    WARN = "warn"  # it works today, and may not for long: what to do is said
    SKIP = "skip"


@dataclass(frozen=True, slots=True)
class CheckLine:
    """One step: its name, its outcome, and Google's answer (or why it was skipped)."""

    step: str
    outcome: Outcome
    answer: str


@dataclass
class _Run:
    lines: list[CheckLine] = field(default_factory=list)

    def step(self, name: str, needs: bool, action: Callable[[], str]) -> bool:
        if not needs:
            self.lines.append(CheckLine(name, Outcome.SKIP, "an earlier step it needs failed"))
            return False
        try:
            answer = action()
        except MutualplanError as exc:
            self.lines.append(CheckLine(name, Outcome.FAIL, str(exc)))
            return False
        self.lines.append(CheckLine(name, Outcome.PASS, answer))
        return True


def google_check(
    ports: CheckPorts,
    email: str,
    hook_address: str,
    now: datetime,
    granted: str | None = None,
    shared: str | None = None,
) -> Iterator[CheckLine]:
    """Try, for real, what a deployment depends on; one line a step, as it is tried (granted: a spreadsheet
    opened with the add-on; shared: one in a shared drive)."""
    run = _Run()
    made: dict[str, str] = {}
    today = now.date()

    def scratch() -> str:
        made["sheet"] = ports.drive().create_spreadsheet(f"mutualplan google-check {now:%Y-%m-%d %H:%M}")
        return f"spreadsheet {made['sheet']} (left in your Drive to look at)"

    def stamped() -> str:
        deal = Deal(today + timedelta(weeks=26), "google-check", "Check Co", "check.example", email)
        template = ports.templates.named(TEMPLATE)
        made["tab"] = stamp(ports.workbook(made["sheet"]), template, deal, today, new_plan_id()).tab
        return f"'{TEMPLATE}' stamped in one batchUpdate, tab '{made['tab']}'"

    steps: list[tuple[str, str | None, Callable[[], str]]] = [
        ("make a scratch spreadsheet (Drive, drive.file)", None, scratch),
        ("stamp a plan into it (Sheets batchUpdate: tabs, typed table, protections)", "sheet", stamped),
        ("read it back", "tab", lambda: _read_back(ports, made)),
        ("read the plan marker (developer metadata)", "tab", lambda: _marker(ports, made["sheet"])),
        ("a people-chip column keeps a placeholder", "tab", lambda: _placeholder(ports, made)),
        ("a copy keeps the marker (Drive files.copy)", "tab", lambda: _copy(ports, made)),
        ("open and stop a Drive push channel", "sheet", lambda: _channel(ports, made, hook_address, now)),
    ]
    for name, needs, action in steps:
        run.step(name, needs is None or needs in made, action)
        yield run.lines[-1]
    named: list[tuple[str, str | None, str, Callable[[str], str]]] = [
        ("the offline grant reads a file granted in the sidebar", granted,
         "pass --spreadsheet ID of a spreadsheet you opened with the add-on", partial(_granted, ports)),
        ("a plan in a shared drive: read, watched (supportsAllDrives)", shared,
         "pass --shared-drive-spreadsheet ID of one in a shared drive you opened with the add-on",
         lambda spreadsheet_id: _shared(ports, spreadsheet_id, hook_address, now)),
    ]  # fmt: skip
    for name, spreadsheet_id, how, reach in named:
        if spreadsheet_id:
            run.step(name, True, partial(reach, spreadsheet_id))
        else:
            run.lines.append(CheckLine(name, Outcome.SKIP, how))
        yield run.lines[-1]
    run.step("send one email to you (Gmail, gmail.send)", True, lambda: _mail(ports, email, now))
    yield run.lines[-1]
    yield _grant_age(ports.granted_at(), "sheet" in made, now)
    reader = ports.queues()
    for name, most in QUEUE_MOST.items():
        yield _queue_line(reader, name, most)


def _queue_line(reader: QueueReader | str, name: str, most: Bound | None) -> CheckLine:
    """A queue's rates, measured against the quota it keeps; skipped when they cannot be read."""
    step = f"queue {name}: its rates"
    if isinstance(reader, str):
        return CheckLine(step, Outcome.SKIP, reader)
    try:
        found = reader.settings(name)
    except GoogleApiError as exc:
        if exc.status in (401, 403):
            return CheckLine(step, Outcome.SKIP, f"your credentials may not read Cloud Tasks: {exc}")
        return CheckLine(step, Outcome.FAIL, f"{exc} — create it (the guide: Deploying to Google, step 6)")
    said = f"{found.dispatches_per_second:g} a second, {found.concurrent} at once, {found.attempts} attempts"
    if most is not None and found.dispatches_per_second > most.most:
        above = f"{said}: above {most.most:.2f} a second, {most.quota} quota would be hit"
        return CheckLine(step, Outcome.FAIL, above)
    return CheckLine(step, Outcome.PASS, said)


def _read_back(ports: CheckPorts, made: dict[str, str]) -> str:
    plan = parse(ports.workbook(made["sheet"]).read(made["tab"])).plan
    if not plan.rows:
        raise MutualplanError("the tab came back without its rows")
    return f"{len(plan.rows)} steps, go-live {plan.go_live}"


def _marker(ports: CheckPorts, spreadsheet_id: str) -> str:
    marker = ports.workbook(spreadsheet_id).marker()
    if marker is None:
        raise MutualplanError("no plan marker came back: developer metadata was not kept")
    return f"plan {marker.plan_id}, owner {marker.owner}"


def _placeholder(ports: CheckPorts, made: dict[str, str]) -> str:
    grid = ports.workbook(made["sheet"]).read(made["tab"])
    plan = parse(grid).plan
    col = plan.columns.get(Column.CUSTOMER_OWNER, -1)
    held = [
        str(grid.rows[row.sheet_row - 1][col].value)
        for row in plan.rows
        if 0 <= col < len(grid.rows[row.sheet_row - 1])
    ]
    found = next((text for text in held if text.startswith("[")), None)
    if found is None:
        raise MutualplanError(f"no [Role] placeholder came back in Customer owner: {held[:3]}")
    return f"'{found}' kept as text in a PEOPLE_CHIP column"


def _copy(ports: CheckPorts, made: dict[str, str]) -> str:
    copy_id = ports.drive().copy(made["sheet"], "mutualplan google-check (copy)")
    marker = ports.workbook(copy_id).marker()
    if marker is None or not marker.is_copy_in(copy_id):
        raise MutualplanError("the copy lost the plan marker: a gallery copy would not be recognised")
    return f"copy {copy_id} carries plan {marker.plan_id}: it would be adopted"


def _channel(ports: CheckPorts, made: dict[str, str], hook_address: str, now: datetime) -> str:
    drive = ports.drive()
    channel_id = secrets.token_hex(16)
    watch = drive.watch(
        made["sheet"],
        channel_id,
        secrets.token_urlsafe(32),
        hook_address,
        now + timedelta(seconds=CHANNEL_SECONDS),
    )
    drive.stop(watch.channel_id, watch.resource_id)
    return f"channel to {hook_address} opened (resource {watch.resource_id}) and stopped"


def _grant_age(granted_at: datetime | None, worked: bool, now: datetime) -> CheckLine:
    """Whether the grant outlives Google's seven days for an app left in Testing: proven once it is older
    and still works; only warned of before, as nothing in Google's APIs says an app's publishing status."""
    step = "the offline grant outlives 7 days (an OAuth app in Testing loses it)"
    if granted_at is None or not worked:
        return CheckLine(step, Outcome.SKIP, "no working grant of yours to measure: Connect in the sidebar")
    age = now - granted_at
    if age >= TESTING_GRANT_LIFE:
        return CheckLine(step, Outcome.PASS, f"{age.days} days old and still works: the app is published")
    ends = granted_at + TESTING_GRANT_LIFE
    return CheckLine(
        step,
        Outcome.WARN,
        f"made {age.days} days ago: if the OAuth consent screen is still in Testing, Google ends it on "
        f"{ends:%d %b %Y} — publish the app (the guide: Deploying to Google, step 3)",
    )


def _shared(ports: CheckPorts, spreadsheet_id: str, hook_address: str, now: datetime) -> str:
    drive = ports.drive()
    state = drive.state(spreadsheet_id)
    watch = drive.watch(
        spreadsheet_id, secrets.token_hex(16), secrets.token_urlsafe(32), hook_address,
        now + timedelta(seconds=CHANNEL_SECONDS),
    )  # fmt: skip
    drive.stop(watch.channel_id, watch.resource_id)
    tabs = ports.workbook(spreadsheet_id).tabs()
    return f"read it (changed {state.modified_time}, {len(tabs)} tabs), watched it and stopped the channel"


def _granted(ports: CheckPorts, spreadsheet_id: str) -> str:
    workbook = ports.workbook(spreadsheet_id)
    marker = workbook.marker()
    return f"read it: {len(workbook.tabs())} tabs" + (f", plan {marker.plan_id}" if marker else ", no plan")


def _mail(ports: CheckPorts, email: str, now: datetime) -> str:
    message = EmailMessage()
    message["From"] = message["To"] = address(email)
    message["Subject"] = "mutualplan google-check: mail goes out"
    message.set_content(
        f"Sent by mutualplan google-check at {now:%Y-%m-%d %H:%M} UTC, with your offline grant."
    )
    ports.mailer().send(message)
    return f"sent to {email}: look in your inbox"
