"""What a sync does so that history cannot vanish: the spreadsheet carries the plan's signed audit head,
and its Log tab is the people's copy of the audit log.

- The head a sheet carries is always one the store had signed and held when it was written (the head
  as of the sync's base), so a store that crashed mid-sync never looks short. A sheet whose signed head
  the store no longer holds (events deleted, the plan removed and registered again, a store restored
  from an old backup) gets a `history_lost` event, which `audit verify` names from then on.
- A Log line edited by hand is written back from the store, and the edit recorded. A sheet that carries
  no head yet (its first sync since heads) has its Log written back silently: older versions worded
  some lines otherwise, and that is no edit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from mutualplan.app.ports import Workbook
from mutualplan.app.records import PlanRecord
from mutualplan.app.store_ports import SyncLog
from mutualplan.plan.history.audit import HeadMark
from mutualplan.plan.history.diff import Editors
from mutualplan.plan.history.events import Event, EventKind
from mutualplan.plan.history.log_tab import LogCheck, LogSeen, check_log, restore, still_seen
from mutualplan.plan.sheet.grid import Grid
from mutualplan.plan.sheet.layout import SetHeadMark, Write


@dataclass(frozen=True, slots=True)
class Guarded:
    """What the guard adds to a sync: events to record, writes to make, the head to carry, and the Log
    lines it found right (kept with the next snapshot)."""

    events: tuple[Event, ...]
    writes: tuple[Write, ...]
    mark: SetHeadMark
    log_seen: LogSeen


def guard_history(
    store: SyncLog,
    workbook: Workbook,
    record: PlanRecord,
    log: Grid | None,
    seen: LogSeen,
    editors_of: Callable[[str], Editors],
) -> Guarded:
    """Check the head the sheet carries against the store, and the Log tab (unless None: not read, or
    gone) against the audit log: only the lines after those seen right, while those still are."""
    carried = workbook.head_mark()
    head = store.chain_head(record.id)
    events: list[Event] = []
    mark = HeadMark.of_text(carried)
    if mark is not None and mark.plan_id == record.id and not store.chain_holds(record.id, mark):
        events.append(Event(EventKind.HISTORY_LOST, None, "history", str(mark.count), str(head.count)))
    if log is None:
        checked = LogCheck((), seen)
    else:
        seen = seen if seen.rows and still_seen(log, seen) else LogSeen()
        checked = check_log(log, seen, store.events_since(record.id, seen.rows))
    edited = checked.edited
    writes, restored = restore(edited, record.tabs.log, editors_of(record.tabs.log) if edited else Editors())
    if restored is not None and mark is not None and mark.plan_id == record.id:
        events.append(restored)
    now_carried = HeadMark(record.id, head.count, head.last_hash, head.mac)
    mark_write = SetHeadMark(now_carried.to_text(), carried is not None)
    return Guarded(tuple(events), tuple(writes), mark_write, checked.seen)
