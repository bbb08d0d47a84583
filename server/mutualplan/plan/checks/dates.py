"""Date rules: missing, unreadable, ambiguous, order, go-live, past and dependencies."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from mutualplan.plan.checks.context import Context
from mutualplan.plan.checks.findings import Finding
from mutualplan.plan.dates.reading import DateProblem, DateReading, format_day, plausible
from mutualplan.plan.sheet.model import PlanRow
from mutualplan.plan.sheet.text import label_key, plural, quote
from mutualplan.plan.sheet.vocabulary import Column, Track


def reading_problem(label: str, reading: DateReading) -> tuple[str, str] | None:
    """The rule code and message for how one date cell reads, when it reads badly."""
    if reading.problem is None:
        return None
    text = quote(reading.text)
    if reading.problem is DateProblem.UNREADABLE:
        return "R-DATE-UNREADABLE", f"{label} '{text}' is not a date — type a day, such as 2027-02-02"
    if reading.problem is DateProblem.AMBIGUOUS:
        first, second = (format_day(day) for day in reading.readings)
        return "R-DATE-AMBIGUOUS", (
            f"{label} '{text}' reads as {first} or {second} — type it as 2027-02-02, "
            "which reads one way in every locale"
        )
    if reading.problem is DateProblem.NO_YEAR and reading.value:
        return "R-DATE-NO-YEAR", (
            f"{label} '{text}' has no year; read as {format_day(reading.value)}, the nearest to go-live"
        )
    if reading.problem is DateProblem.FORMULA:
        return "R-DATE-FORMULA", (
            f"{label} is a formula — type the date the customer agreed to; a computed date "
            "is not a date anyone confirmed"
        )
    return None


def implausible(label: str, day: date | None, today: date) -> tuple[str, str] | None:
    """The rule code and message for a date no one can mean (year 304, or 2072 for 2027)."""
    if day is None or plausible(day, today):
        return None
    return "R-DATE-IMPLAUSIBLE", (
        f"{label} {format_day(day)} can't be meant — a typo? Type the date the customer agreed, "
        "such as 2027-02-02"
    )


def date_findings(context: Context, row: PlanRow) -> Iterator[Finding]:
    """The date rules of one row; an implausible date is reported once and checked no further."""
    typos = False
    for column, reading in ((Column.START, row.start), (Column.DUE, row.due)):
        problem = reading_problem(column.value, reading) or implausible(
            column.value, reading.value, context.today
        )
        if problem:
            typos = typos or problem[0] == "R-DATE-IMPLAUSIBLE"
            yield context.at(problem[0], row, column, problem[1])
    if typos:
        return
    start, due = row.start.value, row.due.value
    if row.due.is_blank:
        yield context.at(
            "R-DATE-MISSING",
            row,
            Column.DUE,
            "No due date — a step without a date is an aspiration, not a commitment",
        )
    if start and due and start > due:
        yield context.at(
            "R-DATE-ORDER",
            row,
            Column.START,
            f"Starts {format_day(start)}, after it is due ({format_day(due)}) — fix one of them",
        )
    go_live = context.plan.go_live
    if due and go_live and due > go_live and row.track is not Track.SUCCESS:
        yield context.at(
            "R-DATE-AFTER-GOLIVE",
            row,
            Column.DUE,
            f"Due {format_day(due)}, after the go-live on {format_day(go_live)} — bring it "
            "forward, or mark it a Success step if it belongs after go-live",
        )
    if due and due < context.today and not row.is_done:
        days = (context.today - due).days
        yield context.at(
            "R-DATE-PAST-OPEN",
            row,
            Column.DUE,
            f"Was due {format_day(due)} ({plural(days, 'day')} ago) and is not "
            "Done — agree a new date with the customer; don't roll it silently",
        )


def dependency_findings(context: Context) -> Iterator[Finding]:
    """The dependency rules over the whole table: unknown names, cycles, order."""
    rows = context.plan.rows
    by_id = {label_key(row.id): row for row in reversed(rows) if row.id}
    by_step: dict[str, PlanRow] = {}  # built on the first reference that is no ID

    def resolve(reference: str) -> PlanRow | None:
        key = label_key(reference)
        if key in by_id:
            return by_id[key]
        if not by_step:
            by_step.update((label_key(row.step), row) for row in reversed(rows) if row.step)
        return by_step.get(key)

    graph: dict[int, list[PlanRow]] = {}
    for row in rows:
        targets = graph.setdefault(row.sheet_row, [])
        for reference in row.depends_on:
            target = resolve(reference)
            if target is None or target is row:
                what = "itself" if target is row else "no step or ID of this plan"
                yield context.at(
                    "R-DEPENDENCY-UNKNOWN",
                    row,
                    Column.DEPENDS_ON,
                    f"Depends on '{quote(reference)}', {what} — name a step or ID of this plan",
                )
                continue
            targets.append(target)
            yield from _order_finding(context, row, target)
    yield from _cycle_findings(context, rows, graph)


def _order_finding(context: Context, row: PlanRow, target: PlanRow) -> Iterator[Finding]:
    begins = row.start.value or row.due.value
    needed = target.due.value
    if begins and needed and begins < needed:
        yield context.at(
            "R-DEPENDENCY",
            row,
            Column.START if row.start.value else Column.DUE,
            f"Starts {format_day(begins)}, before '{quote(target.step)}' (row {target.sheet_row}) "
            f"is due on {format_day(needed)} — move one of them",
        )


def _cycle_findings(
    context: Context, rows: tuple[PlanRow, ...], graph: dict[int, list[PlanRow]]
) -> Iterator[Finding]:
    """One finding per row that depends on itself through other rows."""
    state: dict[int, int] = {}  # 1 = on the current path, 2 = finished
    in_cycle: set[int] = set()
    for root in rows:
        if state.get(root.sheet_row):
            continue
        stack = [(root, iter(graph.get(root.sheet_row, ())))]
        path = [root.sheet_row]
        state[root.sheet_row] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node.sheet_row] = 2
                stack.pop()
                path.pop()
            elif state.get(child.sheet_row) == 1:
                in_cycle.update(path[path.index(child.sheet_row) :])
            elif not state.get(child.sheet_row):
                state[child.sheet_row] = 1
                stack.append((child, iter(graph.get(child.sheet_row, ()))))
                path.append(child.sheet_row)
    for row in rows:
        if row.sheet_row in in_cycle:
            yield context.at(
                "R-DEPENDENCY-UNKNOWN",
                row,
                Column.DEPENDS_ON,
                "Depends on a step that depends back on it — break the circle",
            )
