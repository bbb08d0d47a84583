"""The manager's pipeline at size (python -m benchmarks.pipeline [--plans N] [--scored N]).

1. A pipeline of 2,000 plans (500 owners) with 52 weekly scores each, seen by a revenue-operations viewer:
   the Pipeline card built (budget 300 ms), and the Pipeline spreadsheet refreshed through the Google
   adapter over a recorded Sheets API (budget 2 s, one write).
2. The weekly scoring of 100,000 plans of 25 rows, 500 at a time as the reminder run loads them: loaded,
   scored after the week before's, kept (budget 60 s and 300 MB for the process that scores).
Each part runs in a process of its own, so that one's memory is not the other's.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import queue
import random
import re
import resource
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import responses
from sqlalchemy import insert
from tests.fake_sheets_api import fake_credentials

from benchmarks.fleet_plan import DAY, fill
from mutualplan.adapters.google.sheets import GoogleSheetsWorkbook
from mutualplan.adapters.google.transport import Backoff, GoogleTransport
from mutualplan.app.pipeline import Place, keep_week_scores, pipeline_of
from mutualplan.app.pipeline_weekly import refresh_sheet
from mutualplan.app.sidebar_pipeline import PipelineCardView
from mutualplan.config import Config
from mutualplan.plan.history.snapshot import Snapshot
from mutualplan.plan.pipeline import WeeklyScore, score_week
from mutualplan.store.base import make_engine
from mutualplan.store.pipeline import score_row
from mutualplan.store.schema import plan_scores, upgrade
from mutualplan.store.sql import SqlStore
from mutualplan.web.pipeline_cards import pipeline_card

VIEWER = "ops@vendor.io"  # a revenue-operations viewer: every owner at vendor.io
WEEKS = 52
CHUNK = 500  # plans the reminder run loads at once (app.remind.INPUTS_AT_ONCE)
SHEET = "sheet-pipeline"
BUDGETS = {"card_ms": 300, "sheet_refresh_s": 2.0, "scoring_s": 60.0, "scoring_mb": 300}


def store_at(folder: Path) -> SqlStore:
    engine = make_engine(f"sqlite:///{folder / 'store.sqlite'}")
    upgrade(engine)
    return SqlStore(engine)


def series_of(snapshot: Snapshot, last: date, weeks: int) -> list[WeeklyScore]:
    """A plan's weekly scores, oldest first, each after the week before's."""
    scores: list[WeeklyScore] = []
    for back in range(weeks - 1, -1, -1):
        scores.append(score_week(snapshot, (), last - timedelta(weeks=back), scores[-1] if scores else None))
    return scores


def scored_pipeline(folder: Path, count: int) -> None:
    """The plans, and 52 weeks of scores each, in bulk (one series a distinct snapshot, shared)."""
    store = store_at(folder)
    fill(store, count, random.Random(7))
    series: dict[str, list[WeeklyScore]] = {}
    rows: list[dict[str, Any]] = []
    for plan_id, found in store.plan_inputs():
        key = found.snapshot.to_json()
        if key not in series:
            series[key] = series_of(found.snapshot, DAY.date(), WEEKS)
        rows += [score_row(plan_id, score, DAY) for score in series[key]]
    with store.engine.begin() as db:
        for start in range(0, len(rows), 5000):
            db.execute(insert(plan_scores), rows[start : start + 5000])


def recorded_sheets(mock: responses.RequestsMock, writes: list[int]) -> None:
    """A spreadsheet holding the two Pipeline tabs; each batchUpdate's size kept."""
    sheets = [
        {"properties": {"sheetId": n, "title": title}} for n, title in ((1, "Pipeline"), (2, "Weekly scores"))
    ]
    url = re.compile(r"https://sheets\.googleapis\.com/v4/spreadsheets/" + SHEET + r"(\?.*)?$")
    mock.add(responses.GET, url, json={"spreadsheetId": SHEET, "sheets": sheets})

    def batch(request: Any) -> tuple[int, dict[str, str], str]:
        writes.append(len(request.body))
        return 200, {}, json.dumps({"spreadsheetId": SHEET, "replies": []})

    mock.add_callback(
        responses.POST, re.compile(r".*/spreadsheets/" + SHEET + ":batchUpdate"), callback=batch
    )


def pipeline_part(folder: Path, count: int, said: Any) -> None:
    """Part 1: the card and the spreadsheet refresh, for a viewer of every plan."""
    scored_pipeline(folder, count)
    store = store_at(folder)
    config = Config(folder, "", 10, pipeline_viewers=VIEWER)
    now = DAY + timedelta(hours=9)
    card_ms = []
    for _ in range(5):
        started = time.perf_counter()
        found = pipeline_of(store, config, VIEWER, now, Place.CARD)
        opens = {
            deal.record.id: f"https://docs.google.com/spreadsheets/d/{deal.record.spreadsheet_id}/edit"
            for deal in found.deals
        }
        urls = {
            name: f"https://mp.example/addon/{name}" for name in ("home", "share_pipeline", "stop_sharing")
        }
        json.dumps(pipeline_card(PipelineCardView(found, opens, (), ()), urls))
        card_ms.append((time.perf_counter() - started) * 1000)
    writes: list[int] = []
    with responses.RequestsMock() as mock:
        recorded_sheets(mock, writes)
        workbook = GoogleSheetsWorkbook(
            GoogleTransport(Backoff(sleep=lambda _: None)).sheets(fake_credentials(VIEWER)), SHEET
        )
        started = time.perf_counter()
        deals = refresh_sheet(store, config, workbook, VIEWER, now)
        refresh_s = time.perf_counter() - started
    said.put(
        {
            "plans": len(found.deals), "weeks_kept": WEEKS, "card_ms": round(statistics.median(card_ms), 1),
            "sheet_refresh_s": round(refresh_s, 2), "sheet_writes": len(writes), "sheet_deals": deals,
            "sheet_request_mb": round(writes[0] / 1e6, 1) if writes else 0,
        }
    )  # fmt: skip


def fleet_part(folder: Path, count: int, said: Any) -> None:
    """Part 2's fleet, in bulk, in a process of its own (its lists are no part of the scoring's memory)."""
    fill(store_at(folder), count, random.Random(11))
    said.put({})


def scoring_part(folder: Path, said: Any) -> None:
    """Part 2: last week's score of every plan kept, then this week's, timed: 500 plans at a time, loaded
    as the reminder run loads them (it needs them for its reminders anyway), then scored after last week's
    and kept. The loading and the scoring are timed apart: the scoring is what the weekly score adds."""
    store = store_at(folder)
    ids = sorted(plan_id for plan_id, _ in store.plan_inputs())

    def keep_week(day: date) -> tuple[int, float, float]:
        kept, loading, scoring = 0, 0.0, 0.0
        for start in range(0, len(ids), CHUNK):
            began = time.perf_counter()
            chunk = dict(store.plan_inputs(ids[start : start + CHUNK]))
            loaded = time.perf_counter()
            kept += keep_week_scores(store, chunk, dict.fromkeys(chunk, day), DAY)
            loading, scoring = loading + loaded - began, scoring + time.perf_counter() - loaded
        return kept, loading, scoring

    keep_week(DAY.date() - timedelta(weeks=1))
    kept, loading, scoring = keep_week(DAY.date())
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    said.put(
        {
            "scored": kept,
            "scoring_s": round(scoring, 1),
            "loading_s": round(loading, 1),
            "scoring_mb": round(peak_mb),
        }
    )


def in_process(target: Any, *args: Any) -> dict[str, Any]:
    """Run a part in a process of its own; what it said (a part that dies stops the benchmark)."""
    said: Any = multiprocessing.Queue()
    process = multiprocessing.Process(target=target, args=(*args, said))
    process.start()
    while True:
        try:
            found: dict[str, Any] = said.get(timeout=1)
        except queue.Empty:
            if not process.is_alive():
                raise SystemExit(f"{target.__name__} failed (exit code {process.exitcode})") from None
            continue
        process.join()
        return found


def main() -> None:
    """Both parts, their figures, and whether each budget holds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=2_000, help="plans in the pipeline (part 1)")
    parser.add_argument("--scored", type=int, default=100_000, help="plans scored in a week (part 2)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as first, tempfile.TemporaryDirectory() as second:
        figures = in_process(pipeline_part, Path(first), args.plans)
        in_process(fleet_part, Path(second), args.scored)
        figures |= in_process(scoring_part, Path(second))
    print("pipeline: " + " ".join(f"{key}={value}" for key, value in figures.items()))
    for name, budget in BUDGETS.items():
        verdict = "within" if figures[name] <= budget else "OVER"
        print(f"  {name}: {figures[name]} ({verdict} the budget of {budget})")


if __name__ == "__main__":
    main()
