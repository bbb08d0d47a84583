"""The plans the store follows, and each plan's reminder settings."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from mutualplan.app.records import PlanRecord, WorkbookKind
from mutualplan.plan.history.audit import GENESIS, head_mac
from mutualplan.plan.reminders.settings import ReminderSettings
from mutualplan.plan.sheet.layout import PlanTabs
from mutualplan.store.base import utc
from mutualplan.store.registry import RegistryTables
from mutualplan.store.schema import plans, reminder_settings

REGISTER_ATTEMPTS = 5  # concurrent registrations race for the registry's next number


class PlanTables(RegistryTables):
    """Plans and their reminder settings."""

    def add_plan(self, record: PlanRecord) -> None:
        """Register a plan (once: a second add of the same id changes nothing), with its empty chain head
        signed and its registration appended to the registry, in one transaction."""
        for attempt in range(1, REGISTER_ATTEMPTS + 1):
            try:
                with self._transaction() as db:
                    if db.execute(select(plans.c.id).where(plans.c.id == record.id)).first():
                        return
                    mac = head_mac(self.chain_key, record.id, 0, GENESIS) if self.chain_key else ""
                    head = {"head_count": 0, "head_hash": GENESIS, "head_mac": mac}
                    db.execute(insert(plans).values(**plan_row(record), **head))
                    self._register(db, record.id, record.spreadsheet_id, record.created_at)
                return
            except IntegrityError:  # the same plan, or another registration, stored meanwhile
                if attempt == REGISTER_ATTEMPTS:
                    raise

    def plan(self, plan_id: str) -> PlanRecord | None:
        """A registered plan."""
        with self.engine.connect() as db:
            row = db.execute(select(plans).where(plans.c.id == plan_id)).mappings().first()
        return plan_of(row) if row else None

    def plan_in(self, spreadsheet_id: str) -> PlanRecord | None:
        """The plan most lately registered in a spreadsheet."""
        newest_first = plans.c.created_at.desc(), plans.c.id.desc()
        query = select(plans).where(plans.c.spreadsheet_id == spreadsheet_id).order_by(*newest_first)
        with self.engine.connect() as db:
            row = db.execute(query).mappings().first()
        return plan_of(row) if row else None

    def plans(self) -> list[PlanRecord]:
        """Every registered plan, oldest first."""
        with self.engine.connect() as db:
            rows = db.execute(select(plans).order_by(plans.c.created_at, plans.c.id)).mappings().all()
        return [plan_of(row) for row in rows]

    def set_modified_time(self, plan_id: str, modified_time: str) -> None:
        """Remember Drive's modifiedTime as of the last sync."""
        with self._transaction() as db:
            db.execute(update(plans).where(plans.c.id == plan_id).values(modified_time=modified_time))

    def set_time_zone(self, plan_id: str, time_zone: str) -> None:
        """Remember the spreadsheet's time zone (its owner may change it in File › Settings)."""
        with self._transaction() as db:
            db.execute(update(plans).where(plans.c.id == plan_id).values(time_zone=time_zone))

    def reminder_settings(self, plan_id: str) -> ReminderSettings:
        """A plan's reminder settings (the defaults until the seller saves some)."""
        with self.engine.connect() as db:
            chosen = select(reminder_settings).where(reminder_settings.c.plan_id == plan_id)
            row = db.execute(chosen).first()
        return settings_of(row)

    def save_reminder_settings(self, plan_id: str, settings: ReminderSettings) -> None:
        """Keep a plan's reminder settings."""
        with self._transaction() as db:
            db.execute(delete(reminder_settings).where(reminder_settings.c.plan_id == plan_id))
            db.execute(insert(reminder_settings).values(plan_id=plan_id, **asdict(settings)))


def settings_of(row: Any) -> ReminderSettings:
    """Reminder settings from their row (the defaults when there is none)."""
    if row is None:
        return ReminderSettings()
    return ReminderSettings(row.days_ahead, row.owners, row.champion, row.digest)


def plan_row(record: PlanRecord) -> dict[str, Any]:
    """A plan record as its row holds it (the chain head aside)."""
    return {
        "id": record.id,
        "spreadsheet_id": record.spreadsheet_id,
        "workbook": record.workbook.value,
        "owner": record.owner,
        "title": record.title,
        "map_tab": record.tabs.map,
        "stakeholders_tab": record.tabs.stakeholders,
        "log_tab": record.tabs.log,
        "risks_tab": record.tabs.risks,
        "created_at": record.created_at,
        "modified_time": record.modified_time,
        "time_zone": record.time_zone,
    }


def plan_of(row: Any) -> PlanRecord:
    """A plan record from its row."""
    tabs = PlanTabs(row["map_tab"], row["stakeholders_tab"], row["log_tab"], row["risks_tab"])
    return PlanRecord(
        row["id"], row["spreadsheet_id"], WorkbookKind(row["workbook"]), row["owner"], row["title"],
        utc(row["created_at"]), tabs, row["modified_time"], row["time_zone"],
    )  # fmt: skip
