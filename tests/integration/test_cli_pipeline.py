"""The pipeline commands through the installed console script: a deal the reminder run scored, seen by
its owner, by nobody at another domain, as CSV, and as one deal's series."""

from __future__ import annotations

import json
from pathlib import Path

from tests.integration.test_cli import mutualplan
from tests.integration.test_cli_plans import new_local_plan

AS_OF = ("--today", "2026-11-25")


def test_pipeline_and_score_show_the_deal_the_reminder_run_scored(data: Path) -> None:
    plan = new_local_plan(data)
    assert mutualplan("remind", "--today", "2026-11-23", "--data", data).returncode == 0
    mine = json.loads(
        mutualplan("pipeline", "--for", "Sam@Vendor.io", "--json", *AS_OF, "--data", data).stdout
    )
    (deal,) = mine["deals"]
    assert (deal["plan"], deal["week"], deal["provisional"]) == (plan, "2026-11-23", False)
    assert deal["status"] in {"on track", "at risk", "stalled"}
    rival = mutualplan("pipeline", "--for", "rita@rival.io", "--data", data)
    assert rival.stdout.startswith("No deals to show")
    csv_lines = mutualplan("pipeline", "--csv", *AS_OF, "--data", data).stdout.splitlines()
    assert csv_lines[0].startswith("Deal,Owner,Status,Signature supported")
    assert len(csv_lines) == 2
    series = json.loads(mutualplan("score", plan, "--weeks", "4", "--json", *AS_OF, "--data", data).stdout)
    assert [week["week"] for week in series["weeks"]] == ["2026-11-23"]
    unknown = mutualplan("score", "no-such-plan", "--data", data)
    assert unknown.returncode != 0
    assert "the store knows no plan 'no-such-plan'" in unknown.stderr
    both = mutualplan("pipeline", "--json", "--csv", "--data", data)
    assert "choose one of --json and --csv" in both.stderr
