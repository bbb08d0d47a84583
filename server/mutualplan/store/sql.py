"""The store over SQLAlchemy Core: SQLite by default, PostgreSQL when MUTUALPLAN_DATABASE_URL says so."""

from __future__ import annotations

from mutualplan.store.accounts import AccountTables
from mutualplan.store.adopt import AdoptTables
from mutualplan.store.channels import ChannelTables
from mutualplan.store.crm import CrmTables
from mutualplan.store.failures import FailureTables
from mutualplan.store.fleet import FleetTables
from mutualplan.store.inputs import InputTables
from mutualplan.store.ledger import LedgerTables
from mutualplan.store.link_generations import LinkGenerationTables
from mutualplan.store.pipeline import PipelineSheetTables, PipelineTables
from mutualplan.store.sync_log import SyncLogTables
from mutualplan.store.tasks import TaskTables


class SqlStore(
    AdoptTables,
    SyncLogTables,
    InputTables,
    ChannelTables,
    AccountTables,
    LedgerTables,
    LinkGenerationTables,
    TaskTables,
    FleetTables,
    FailureTables,
    PipelineTables,
    PipelineSheetTables,
    CrmTables,
):
    """Every role of the store (app.ports.Store), one table group a role, over one engine."""
