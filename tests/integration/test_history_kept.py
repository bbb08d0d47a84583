"""History cannot vanish, and what is counted is what is signed: a database writer without the key, and a
sheet editor, against `audit verify`, the registry, the sheet's signed head and the Log tab."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from dataclasses import replace
from pathlib import Path

from mutualplan.plan.history.past import ConfirmedDates
from mutualplan.plan.history.snapshot import Snapshot
from tests.integration.test_cli import mutualplan
from tests.integration.test_cli_plans import new_local_plan, plan_with_history, tamper, verified


def store_rows(data: Path, query: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(data / "store.sqlite")) as db:
        return db.execute(query).fetchall()


def wipe_plan_history(data: Path, plan: str, head: str) -> None:
    """Delete a plan's events and snapshots, and set its head (as a writer without the key would)."""
    tamper(
        data,
        f"DELETE FROM events WHERE plan_id = '{plan}'",
        f"DELETE FROM snapshots WHERE plan_id = '{plan}'",
        f"UPDATE plans SET {head} WHERE id = '{plan}'",
    )


def test_a_plans_history_deleted_and_its_head_emptied_fails_verify_naming_the_plan(data: Path) -> None:
    plan = plan_with_history(data)
    wipe_plan_history(data, plan, "head_count = 0, head_hash = '', head_mac = ''")
    code, said = verified(plan, data)
    assert code == 1
    assert said == (
        f"{plan}: its chain head is not signed: events, snapshots or the head were wiped or written by hand"
    )


def test_a_plans_history_deleted_under_its_own_replayed_empty_head_is_named_by_the_sheets_head(
    data: Path,
) -> None:
    plan = new_local_plan(data)
    ((empty_hash, empty_mac),) = store_rows(
        data, f"SELECT head_hash, head_mac FROM plans WHERE id = '{plan}'"
    )
    for cell, value in (("B2", "Globex"), ("B5", "Faster audits"), ("I13", "In progress")):
        mutualplan("sheet", "set", plan, cell, value, "--as", "sam@vendor.io", "--data", data)
    wipe_plan_history(data, plan, f"head_count = 0, head_hash = '{empty_hash}', head_mac = '{empty_mac}'")
    code, said = verified(plan, data)
    assert (code, said) == (1, f"{plan}: the spreadsheet saw 2 events, the store has 0")


def test_a_plan_deleted_from_every_table_is_named_by_the_registry_and_again_once_re_registered(
    data: Path,
) -> None:
    plan = plan_with_history(data)
    tables = [str(row[0]) for row in store_rows(data, "SELECT name FROM sqlite_master WHERE type = 'table'")]
    with_plan = [t for t in tables if t != "registry" and "plan_id" in _columns(data, t)]
    tamper(data, *(f"DELETE FROM {t} WHERE plan_id = '{plan}'" for t in with_plan), "DELETE FROM plans")
    whole = mutualplan("audit", "verify", "--data", data)
    assert whole.returncode == 1
    assert whole.stdout.startswith(f"{plan}: it was registered on ")
    assert "is gone from the store" in whole.stdout
    assert mutualplan("validate", plan, "--data", data).returncode == 0  # follows, and syncs, the plan again
    kinds = [
        item["kind"]
        for item in json.loads(mutualplan("audit", "show", plan, "--json", "--data", data).stdout)["events"]
    ]
    assert kinds[0] == "history_lost"
    code, said = verified(plan, data)
    assert code == 1
    assert "history was lost: the spreadsheet had seen 2 events, the store held 0" in said


def _columns(data: Path, table: str) -> set[str]:
    return {str(row[1]) for row in store_rows(data, f"PRAGMA table_info({table})")}


def test_a_registry_cut_short_or_rewritten_fails_verify(data: Path) -> None:
    first, second = new_local_plan(data), new_local_plan(data)
    tamper(data, "DELETE FROM registry WHERE seq = 2", "UPDATE registry_head SET count = 1")
    said = mutualplan("audit", "verify", "--data", data)
    assert said.returncode == 1
    assert f"{second}: it is not in the signed registry of plans" in said.stdout
    assert "registry: its head was rewritten" in said.stdout
    assert f"{first}: 0 events, chain whole" in said.stdout


def test_an_edited_snapshot_changes_no_figure_and_verify_names_it(data: Path) -> None:
    plan = plan_with_history(data)
    before = json.loads(
        mutualplan("validate", plan, "--today", "2026-11-22", "--json", "--data", data).stdout
    )
    ((version, body),) = store_rows(
        data, f"SELECT version, body FROM snapshots WHERE plan_id = '{plan}' ORDER BY version DESC LIMIT 1"
    )
    snapshot = Snapshot.from_json(str(body))
    jane = "Jane Doe <jane@acme.com>"
    forged = [
        row._replace(
            ticked=True,
            confirmation=ConfirmedDates(row.start, row.due, jane, "verified", "jane@acme.com", "2026-11-22"),
        )
        for row in snapshot.rows
    ]
    edited = replace(snapshot, rows=tuple(forged)).to_json().replace("'", "''")
    tamper(data, f"UPDATE snapshots SET body = '{edited}' WHERE plan_id = '{plan}' AND version = {version}")
    after = mutualplan("validate", plan, "--today", "2026-11-22", "--json", "--data", data)
    assert "Traceback" not in after.stderr
    assert after.returncode != 0 or json.loads(after.stdout)["health"] == before["health"]
    assert "not what mutualplan signed" in after.stderr
    code, said = verified(plan, data)
    assert code == 1
    assert said == (
        f"{plan}: its newest snapshot (version {version}) is not what mutualplan signed: it was edited "
        "outside mutualplan, and nothing is counted from it"
    )


def test_a_log_line_edited_by_hand_is_restored_and_the_edit_recorded(data: Path) -> None:
    plan = plan_with_history(data)
    line = "Nothing happened here"
    edit = mutualplan(
        "sheet", "set", plan, "D3", line, "--tab", "Log", "--as", "sam@vendor.io", "--data", data
    )
    assert edit.returncode == 0, edit.stderr
    assert "recorded log_restored — Log row 3 edited by sam@vendor.io and restored" in edit.stdout
    log = json.loads(mutualplan("sheet", "show", plan, "--tab", "Log", "--json", "--data", data).stdout)[
        "rows"
    ]
    assert line not in log[2]
    assert log[2][3].startswith("sam@vendor.io changed Outcome")  # a head edit names its editor
    assert log[4][3].startswith("sam@vendor.io edited Log row 3 by hand; it was restored")
    assert verified(plan, data) == (0, f"{plan}: 4 events, chain whole")
