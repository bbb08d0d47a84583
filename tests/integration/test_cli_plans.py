"""The template and local-plan commands through the installed console script."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import UTC, date, datetime
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from mutualplan.adapters.files import read_plan_file
from mutualplan.adapters.templates import TemplateFolder
from mutualplan.plan.history.audit import GENESIS, chain_hash, content_of
from mutualplan.plan.history.events import Event, EventKind
from mutualplan.plan.sheet.parse import parse
from mutualplan.plan.sheet.risks import read_risks
from mutualplan.store.schema import LATEST
from tests.integration.test_cli import mutualplan

STAMP = ("--template", "regulated-buyer", "--go-live", "2027-09-01", "--today", "2026-11-22")


def new_local_plan(data: Path) -> str:
    """Stamp a plan into the local workspace and return its id."""
    result = mutualplan(
        "new", *STAMP, "--customer", "Acme", "--customer-domain", "acme.com", "--owner", "sam@vendor.io",
        "--local", "--json", "--data", data,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    plan: str = json.loads(result.stdout)["plan"]
    return plan


def test_templates_lists_every_template_with_its_row_count() -> None:
    result = mutualplan("templates", "--json")
    listed = {item["name"]: item["rows"] for item in json.loads(result.stdout)}
    assert listed == {template.name: len(template.rows) for template in TemplateFolder().all()}


def test_a_local_plan_is_listed_shown_edited_and_validated(data: Path) -> None:
    plan = new_local_plan(data)
    assert [item["plan"] for item in json.loads(mutualplan("plans", "--json", "--data", data).stdout)] == [
        plan
    ]
    shown = json.loads(mutualplan("sheet", "show", plan, "--json", "--data", data).stdout)
    assert shown["tabs"] == ["MAP", "Stakeholders", "Risks", "Log"]
    assert shown["rows"][1][:2] == ["Customer", "Acme"]
    header = shown["rows"].index(next(row for row in shown["rows"] if row and row[0] == "ID"))
    due_row = header + 2
    edit = mutualplan(
        "sheet", "set", plan, f"G{due_row}", "2027-01-15", "--as", "jane@acme.com", "--data", data
    )
    assert edit.returncode == 0, edit.stderr
    shown = json.loads(mutualplan("sheet", "show", plan, "--json", "--data", data).stdout)
    assert shown["rows"][due_row - 1][6] == "2027-01-15"
    result = mutualplan("validate", plan, "--today", "2026-11-22", "--json", "--data", data)
    codes = {item["code"] for item in json.loads(result.stdout)["findings"]}
    assert "R-OWNER-PLACEHOLDER" in codes  # the role placeholders
    assert result.returncode == 1
    marked = json.loads(mutualplan("sheet", "show", plan, "--json", "--data", data).stdout)
    assert marked["rows"][header][-1] == "Check"
    assert marked["rows"][header + 1][-1].startswith("✗")


def test_a_wrong_value_for_a_column_says_what_the_column_takes(data: Path) -> None:
    plan = new_local_plan(data)
    result = mutualplan("sheet", "set", plan, "L14", "maybe", "--as", "jane@acme.com", "--data", data)
    assert result.returncode == 2
    assert "Customer confirmed is a checkbox: give TRUE or FALSE" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unknown_plan_says_how_to_list_the_plans(data: Path) -> None:
    result = mutualplan("sheet", "show", "plan-nope", "--data", data)
    assert result.returncode == 2
    assert "mutualplan plans lists them" in result.stderr


def test_new_writes_an_xlsx_that_check_reads(tmp_path: Path) -> None:
    out = tmp_path / "acme.xlsx"
    typed = ("--customer", "Acme", "--customer-domain", "https://www.Acme.com/")  # as people paste it
    assert mutualplan("new", *STAMP, *typed, out).returncode == 0
    report = json.loads(mutualplan("check", out, "--today", "2026-11-22", "--json").stdout)
    assert report["plan"]["customer"] == "Acme"
    assert parse(read_plan_file(out).plan).plan.head.customer_domain == "acme.com"
    assert report["plan"]["rows"] == len(TemplateFolder().named(STAMP[1]).rows)
    assert "P-RISKS-MISSING" not in {item["code"] for item in report["findings"]}  # its Risks tab is read


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((*STAMP,), "give either OUT.xlsx or --local"),
        (("--template", "nope", "--go-live", "2027-09-01", "--local"), "no template named 'nope'"),
        (
            (
                "--template",
                "enterprise-saas",
                "--go-live",
                "2026-11-22",
                "--today",
                "2026-11-22",
                "--local",
                "--owner",
                "sam@vendor.io",
            ),
            "is not after today",
        ),
        ((*STAMP, "--local"), "give --owner YOU@COMPANY: a plan's owner sends its reminders"),
        ((*STAMP, "--customer-domain", "acme dot com", "x.xlsx"), "'acme dot com' is not an email domain"),
    ],
)
def test_new_refuses_what_it_cannot_stamp_in_one_line(
    data: Path, args: tuple[str, ...], message: str
) -> None:
    result = mutualplan("new", *args, "--data", data)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_sheet_copy_makes_an_adopted_plan_of_its_own(data: Path) -> None:
    plan = new_local_plan(data)
    result = mutualplan("sheet", "copy", plan, "--owner", "ann@vendor.io", "--json", "--data", data)
    assert result.returncode == 0, result.stderr
    copied = json.loads(result.stdout)
    assert copied["plan"] != plan
    assert (copied["copy_of"], copied["owner"]) == (plan, "ann@vendor.io")
    listed = json.loads(mutualplan("plans", "--json", "--data", data).stdout)
    assert [item["plan"] for item in listed] == [plan, copied["plan"]]
    assert listed[1]["title"].startswith("Copy of ")
    refused = mutualplan(
        "sheet", "set", copied["plan"], "A2", "x", "--as", "sam@vendor.io", "--tab", "Log", "--data", data
    )
    assert refused.returncode == 2
    assert "only the plan owner (ann@vendor.io)" in refused.stderr


def test_sheet_copy_of_an_unknown_plan_says_how_to_find_one(data: Path) -> None:
    result = mutualplan("sheet", "copy", "plan-nope", "--data", data)
    assert result.returncode == 2
    assert "mutualplan plans lists them" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_local_edit_is_synced_before_the_command_returns_and_shows_in_the_audit_log(data: Path) -> None:
    plan = new_local_plan(data)
    shown = json.loads(mutualplan("sheet", "show", plan, "--json", "--data", data).stdout)
    header = next(index for index, row in enumerate(shown["rows"]) if row and row[0] == "ID") + 1
    row = header + 2  # the second step
    buyer = ("--as", "jane@acme.com", "--data", data)
    mutualplan("sheet", "set", plan, f"M{row}", "Jane Doe <jane@acme.com>", *buyer)
    ticked = mutualplan("sheet", "set", plan, f"L{row}", "TRUE", *buyer)
    assert ticked.returncode == 0, ticked.stderr
    assert "recorded confirmed — M02: Confirmed" in ticked.stdout
    moved = mutualplan("sheet", "set", plan, f"G{row}", "2027-06-30", *buyer)
    assert "recorded confirmation_voided" in moved.stdout
    log = json.loads(mutualplan("audit", "show", plan, "--json", "--data", data).stdout)["events"]
    assert [(item["kind"], item["row"], item["trust"]) for item in log] == [
        ("confirmed", "M02", "verified"),
        ("date_moved", "M02", None),
        ("confirmation_voided", "M02", None),
    ]
    assert log[1]["prev"] == log[0]["hash"]
    verified = mutualplan("audit", "verify", "--data", data)
    assert (verified.returncode, verified.stdout.strip()) == (0, f"{plan}: 3 events, chain whole")
    tab = json.loads(mutualplan("sheet", "show", plan, "--tab", "Log", "--json", "--data", data).stdout)
    said = [line[3] for line in tab["rows"][1:]]
    assert said[0].startswith("Jane Doe confirmed ")
    assert said[1].startswith("jane@acme.com moved due from ")
    assert said[1].endswith(" — a slip of 84 days")
    assert said[2].endswith(": the confirmation is void — ask again")
    assert len(said) == 3
    validated = json.loads(
        mutualplan("validate", plan, "--today", "2026-11-22", "--json", "--data", data).stdout
    )
    assert any(item["code"] == "R-UNCONFIRMED" and item["row"] == row for item in validated["findings"])


def plan_with_history(data: Path) -> str:
    """A local plan with three events in its audit log."""
    plan = new_local_plan(data)
    for cell, value in (("B2", "Globex"), ("B5", "Faster audits"), ("I13", "In progress")):
        mutualplan("sheet", "set", plan, cell, value, "--as", "sam@vendor.io", "--data", data)
    return plan


def tamper(data: Path, *statements: str) -> None:
    with closing(sqlite3.connect(data / "store.sqlite")) as db, db:
        for statement in statements:
            db.execute(statement)


def verified(plan: str, data: Path) -> tuple[int, str]:
    result = mutualplan("audit", "verify", plan, "--data", data)
    assert "Traceback" not in result.stderr
    assert "unexpected error" not in result.stderr
    return result.returncode, result.stdout.strip()


def test_audit_verify_says_a_whole_chain_is_whole(data: Path) -> None:
    plan = plan_with_history(data)
    assert verified(plan, data) == (0, f"{plan}: 3 events, chain whole")


def test_audit_verify_names_a_rewritten_event(data: Path) -> None:
    plan = plan_with_history(data)
    tamper(data, "UPDATE events SET new = 'Initech' WHERE seq = 1")
    assert verified(plan, data) == (1, f"{plan}: event 1: its content does not match its hash")


@pytest.mark.parametrize(
    ("cut", "said"),
    [
        ("seq = 3", "event 3: events 3 to 3 are missing: the plan's records count 3"),
        ("seq >= 2", "event 2: events 2 to 3 are missing: the plan's records count 3"),
        ("1 = 1", "event 1: events 1 to 3 are missing: the plan's records count 3"),
    ],
)
def test_audit_verify_sees_events_cut_from_the_end(data: Path, cut: str, said: str) -> None:
    plan = plan_with_history(data)
    tamper(data, f"DELETE FROM events WHERE {cut}")
    assert verified(plan, data) == (1, f"{plan}: {said}")


def test_a_chain_recomputed_without_the_key_or_a_forged_event_appended_is_caught(data: Path) -> None:
    plan = plan_with_history(data)
    with closing(sqlite3.connect(data / "store.sqlite")) as db, db:
        columns = "seq, at, key, kind, row_id, field, old, new, who, sheet_row, via, note"
        rows = db.execute(f"SELECT {columns} FROM events ORDER BY seq").fetchall()
    prev = GENESIS
    statements = []
    for seq, at, key, kind, row_id, field, old, new, who, sheet_row, via, note in rows:
        event = Event(
            EventKind(kind),
            row_id,
            field,
            old,
            "Initech" if seq == 1 else new,
            who,
            None,
            sheet_row,
            via,
            note,
        )
        moment = datetime.fromisoformat(at).replace(tzinfo=UTC)
        digest = chain_hash(
            prev, content_of(seq, moment, key, event)
        )  # a writer without the key: plain SHA-256
        values = f"new = '{event.new}', hash = '{digest}', prev = '{prev}', key_id = ''"
        statements.append(f"UPDATE events SET {values} WHERE seq = {seq}")
        prev = digest
    tamper(data, *statements, f"UPDATE plans SET head_hash = '{prev}' WHERE id = '{plan}'")
    assert verified(plan, data) == (1, f"{plan}: event 3: the plan's recorded head was rewritten")
    forged = plan_with_history(data)
    tamper(
        data,
        "INSERT INTO events (plan_id, seq, key, at, kind, row_id, field, old, new, who, trust, prev, hash) "
        "SELECT plan_id, 4, 'forged', at, 'confirmed', 'M01', 'dates', '', 'x', 'jane@acme.com', "
        f"'verified', hash, '{'0' * 64}' FROM events WHERE plan_id = '{forged}' AND seq = 3",
    )
    assert verified(forged, data) == (
        1,
        f"{forged}: event 4: it is not signed, though the events before it are",
    )


@pytest.mark.parametrize("garbage", ["kind = 'exploded'", "at = 'yesterday-ish'", "trust = 'sort of'"])
def test_audit_verify_names_an_event_it_cannot_read(data: Path, garbage: str) -> None:
    plan = plan_with_history(data)
    tamper(data, f"UPDATE events SET {garbage} WHERE seq = 2")
    code, said = verified(plan, data)
    assert code == 1
    assert said.startswith(f"{plan}: event 2: it can't be read: event 2 can't be read")


def test_audit_of_an_unknown_plan_says_how_to_find_one(data: Path) -> None:
    result = mutualplan("audit", "show", "plan-nope", "--data", data)
    assert (result.returncode, "mutualplan plans lists them" in result.stderr) == (2, True)


def test_db_upgrade_creates_the_store_and_then_has_nothing_to_do(data: Path) -> None:
    first = mutualplan("db", "upgrade", "--data", data)
    assert first.stdout.strip() == f"store at schema version {LATEST} (was 0)"
    again = mutualplan("db", "upgrade", "--data", data)
    assert again.stdout.strip() == f"store at schema version {LATEST}, already up to date"


def test_remind_sends_into_the_local_outbox_once_and_says_what_it_skipped(data: Path) -> None:
    plan = new_local_plan(data)
    dry = json.loads(
        mutualplan("remind", "--today", "2026-11-23", "--dry-run", "--json", "--data", data).stdout
    )
    assert dry["dry_run"] is True
    assert [(item["kind"], item["to"]) for item in dry["sent"]] == [("digest", "sam@vendor.io")]
    assert not (data / "outbox" / "000001.eml").exists()
    sent = json.loads(
        mutualplan("remind", "--today", "2026-11-23", "--plan", plan, "--json", "--data", data).stdout
    )
    assert [item["kind"] for item in sent["sent"]] == ["digest"]
    eml = message_from_bytes((data / "outbox" / "000001.eml").read_bytes(), policy=policy.default)
    assert eml["List-Unsubscribe"].startswith("<http://127.0.0.1:8080/unsubscribe?t=")
    again = mutualplan("remind", "--today", "2026-11-24", "--data", data)
    assert "0 sent" in again.stdout
    assert "already sent" in again.stdout


def test_an_edit_far_outside_the_sheet_is_refused_in_one_line_and_saves_nothing(data: Path) -> None:
    plan = new_local_plan(data)
    before = mutualplan("sheet", "show", plan, "--json", "--data", data).stdout
    result = mutualplan("sheet", "set", plan, "A20000000", "y", "--as", "sam@vendor.io", "--data", data)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "mutualplan: A20000000 is past the plan's limit of 20000 rows and 50 columns "
        "(MUTUALPLAN_MAX_ROWS, MUTUALPLAN_MAX_COLUMNS)"
    ]
    assert mutualplan("sheet", "show", plan, "--json", "--data", data).stdout == before


def test_a_plan_started_mid_deal_is_stamped_and_says_how_short_the_runway_is(data: Path) -> None:
    soon = (
        "--template",
        "regulated-buyer",
        "--go-live",
        "2027-01-04",
        "--today",
        "2026-11-22",
        "--owner",
        "s@v.io",
    )
    made = mutualplan("new", *soon, "--local", "--json", "--data", data)
    assert made.returncode == 0, made.stderr
    plan = json.loads(made.stdout)["plan"]
    result = mutualplan("validate", plan, "--today", "2026-11-22", "--json", "--data", data)
    runway = [item for item in json.loads(result.stdout)["findings"] if item["code"] == "P-RUNWAY-SHORT"]
    assert runway[0]["message"].startswith("The go-live is ")
    under_way = mutualplan("new", *soon, "--done-before-today", "--local", "--json", "--data", data)
    shown = json.loads(
        mutualplan("sheet", "show", json.loads(under_way.stdout)["plan"], "--json", "--data", data).stdout
    )
    assert any("Done" in row for row in shown["rows"])
    past = mutualplan(
        "new",
        "--template",
        "regulated-buyer",
        "--go-live",
        "2026-11-01",
        "--local",
        "--owner",
        "s@v.io",
        "--data",
        data,
    )
    assert past.returncode == 2
    assert "is not after today: pick the customer's go-live" in past.stderr


@pytest.mark.parametrize("template", [item.name for item in TemplateFolder().all()])
def test_every_template_stamps_45_days_before_the_go_live_with_a_short_runway_and_nothing_before_today(
    tmp_path: Path, template: str
) -> None:
    out = tmp_path / f"{template}.xlsx"
    made = mutualplan("new", "--template", template, "--go-live", "2027-01-06", "--today", "2026-11-22", out)
    assert made.returncode == 0, made.stderr
    checked = mutualplan("check", out, "--today", "2026-11-22", "--json")
    codes = {item["code"] for item in json.loads(checked.stdout)["findings"]}
    assert "P-RUNWAY-SHORT" in codes
    assert not codes & {"R-DATE-PAST-OPEN", "R-DATE-ORDER", "R-DEPENDENCY", "P-RISKS-MISSING"}
    found = read_plan_file(out)
    starts = [row.start.value for row in parse(found.plan).plan.rows]
    assert all(start is not None and start >= date(2026, 11, 22) for start in starts)
    assert all(risk.due.value and risk.due.value >= date(2026, 11, 22) for risk in read_risks(found.risks))


def test_new_records_the_external_deadline_it_is_given_and_none_it_is_not(tmp_path: Path) -> None:
    given, bare = tmp_path / "given.xlsx", tmp_path / "bare.xlsx"
    assert mutualplan("new", *STAMP, "--deadline", "2027-10-15", given).returncode == 0
    assert mutualplan("new", *STAMP, bare).returncode == 0
    assert parse(read_plan_file(given).plan).plan.head.external_deadline.value == date(2027, 10, 15)
    assert parse(read_plan_file(bare).plan).plan.head.external_deadline.value is None
    late = mutualplan("check", given, "--today", "2026-11-22", "--json")
    assert "P-GOLIVE-AFTER-DEADLINE" not in late.stdout
