"""`mutualplan check` through the installed console script: outputs and exit statuses."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from mutualplan.bootstrap.commands import Commands
from mutualplan.cli import main
from tests.conftest import Files
from tests.hostile_files import HOSTILE

EXAMPLE = Path(__file__).parents[2] / "examples" / "regulated-buyer.xlsx"
BROKEN_PLAN = "Go-live,2027-02-02\nStep,Customer owner,Due\nKickoff,Legal,2027-01-05\n"


def mutualplan(*args: str | Path) -> subprocess.CompletedProcess[str]:
    command = shutil.which("mutualplan")
    assert command, "the console script is not installed: pip install -e ."
    return subprocess.run([command, *map(str, args)], capture_output=True, text=True, timeout=60)


def test_a_plan_without_errors_exits_0_with_health_first() -> None:
    result = mutualplan("check", EXAMPLE, "--today", "2026-11-22")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.index("Health") < out.index("Row 17 · MSA redlines returned")
    assert "Confirmed, next 30 days             50% (1 of 2)" in out
    assert "\x1b[" not in out  # no colour when not on a terminal
    assert out.rstrip().endswith("0 errors, 4 warnings, 0 notes")


def test_json_output_is_exactly_one_object_of_the_documented_shape() -> None:
    result = mutualplan("check", EXAMPLE, "--today", "2026-11-22", "--json")
    assert result.returncode == 0
    report = json.loads(result.stdout)
    assert set(report) == {"plan", "findings", "health"}
    assert report["plan"] == {
        "deal": "Northwind Bank — credit-model monitoring",
        "customer": "Northwind Bank",
        "go_live": "2027-02-02",
        "target_signature": "2026-12-01",
        "rows": 7,
    }
    plan_wide, *by_row = report["findings"]  # plan-wide findings first, then by row
    assert (plan_wide["code"], plan_wide["row"], plan_wide["cell"]) == ("P-SIGNATURE-AT-RISK", None, None)
    assert by_row[0] == {
        "code": "R-DATE-PAST-OPEN",
        "severity": "warning",
        "row": 17,
        "cell": "G17",
        "step": "MSA redlines returned",
        "message": by_row[0]["message"],
    }
    assert report["health"]["confirmation_rate_30d"] == 0.5
    assert report["health"]["days_to_go_live"] == 72


def test_an_error_level_finding_exits_1_in_both_formats(files: Files) -> None:
    path = files.write("plan.csv", BROKEN_PLAN)
    text = mutualplan("check", path, "--today", "2026-11-22")
    assert text.returncode == 1
    assert "Owner 'Legal' is a team — name the person who will do this step" in text.stdout  # a kickoff
    as_json = mutualplan("check", path, "--today", "2026-11-22", "--json")
    assert as_json.returncode == 1
    codes = [item["code"] for item in json.loads(as_json.stdout)["findings"]]
    assert "R-OWNER-NOT-A-PERSON" in codes


def test_the_locale_decides_how_a_day_month_date_reads(files: Files) -> None:
    path = files.write("plan.csv", "Go-live,2027-06-01\nStep,Owner,Due\nKickoff,Jane Doe,03/04/2027\n")
    unknown = json.loads(mutualplan("check", path, "--json", "--today", "2027-01-01").stdout)
    assert "R-DATE-AMBIGUOUS" in [item["code"] for item in unknown["findings"]]
    british = json.loads(
        mutualplan("check", path, "--json", "--locale", "en_GB", "--today", "2027-03-30").stdout
    )
    assert british["health"]["dates_next_30d"] == 1  # 3 April, within 30 days of 30 March


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.xlsx", None, "missing.xlsx does not exist"),
        ("notes.txt", "just a note\n", "no plan table found"),
        ("plan.xlsx", b"PK\x03\x04 broken", "not a readable .xlsx"),
        ("plan.docx", b"PK", "not a spreadsheet"),
    ],
)
def test_unusable_input_exits_2_with_one_line_and_no_traceback(
    files: Files, name: str, content: str | bytes | None, message: str
) -> None:
    path = files.folder / name if content is None else files.write(name, content)
    for extra in ((), ("--json",)):
        result = mutualplan("check", path, *extra)
        assert result.returncode == 2
        assert result.stdout == ""
        assert message in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [("--today", "22/11/2026", "does not match the format"), ("--locale", "klingon!", "not a locale")],
)
def test_bad_options_exit_2_and_say_what_to_type(option: str, value: str, message: str) -> None:
    result = mutualplan("check", EXAMPLE, option, value)
    assert result.returncode == 2
    assert message in result.stderr


def test_colour_is_used_on_a_terminal() -> None:
    result = CliRunner().invoke(
        main, ["check", str(EXAMPLE), "--today", "2026-11-22"], color=True, obj=Commands()
    )
    assert "\x1b[33m" in result.output  # warnings in yellow


def test_the_version_is_printed() -> None:
    result = mutualplan("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("mutualplan, version ")


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_file_is_refused_at_a_limit_in_one_line(tmp_path: Path, name: str) -> None:
    path = HOSTILE[name](tmp_path)
    result = mutualplan("check", str(path), "--today", "2026-11-22")
    lines = result.stderr.strip().splitlines()
    if name == "a 7e30 date":  # read, and reported as a finding: never a library's warning
        assert result.returncode in (0, 1)
        assert lines == []
        return
    assert result.returncode == 2
    assert len(lines) == 1
    assert lines[0].startswith("mutualplan: ")
    assert "unexpected error" not in lines[0]
    assert "Traceback" not in result.stderr


def test_check_reads_every_column_of_a_milestone_owner_date_result_sheet(files: Files) -> None:
    path = files.xlsx(
        [
            ["Customer", "Acme"],
            ["Customer domain", "acme.com"],
            ["Go-live", "2027-02-02"],
            [],
            ["Milestone", "Owner", "Date", "Result"],
            ["Security review", "Grace Chen <grace@acme.com>", "2026-12-01", "Security sign-off"],
            ["Signing", "Mia Park <mia@vendor.io>", "2026-12-15", "Countersigned order form"],
        ],
        "wild.xlsx",
        "Plan",
    )
    report = json.loads(mutualplan("check", path, "--today", "2026-11-22", "--json").stdout)
    codes = {item["code"] for item in report["findings"]}
    assert report["plan"]["rows"] == 2
    assert not codes & {"R-OWNER-MISSING", "R-DATE-MISSING", "R-EVIDENCE-MISSING", "R-STEP-MISSING"}
    assert "P-ENDS-AT-SIGNATURE" in codes  # "Signing" is read as the signature step
