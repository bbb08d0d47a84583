"""The store's tables, declared once, and the numbered steps that build them: `mutualplan db upgrade`."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.engine import Connection

metadata = MetaData()
Moment = DateTime(timezone=True)

schema_version = Table("schema_version", metadata, Column("version", Integer, nullable=False))

plans = Table(
    "plans",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("spreadsheet_id", String(300), nullable=False, index=True),
    Column("workbook", String(16), nullable=False),  # local | google
    Column("owner", String(320), nullable=False),
    Column("title", Text, nullable=False),
    Column("map_tab", Text, nullable=False),
    Column("stakeholders_tab", Text, nullable=False),
    Column("log_tab", Text, nullable=False),
    Column("risks_tab", Text, nullable=False, server_default="Risks"),  # (step 8)
    Column("created_at", Moment, nullable=False),
    Column("modified_time", String(40)),  # Drive's modifiedTime when last synced
    Column("time_zone", String(64), nullable=False, server_default="UTC"),  # the spreadsheet's (step 4)
    # The audit chain's head (step 6): how many events, the last hash, and their signature.
    Column("head_count", Integer, nullable=False, server_default="0"),
    Column("head_hash", String(64), nullable=False, server_default=""),
    Column("head_mac", String(64), nullable=False, server_default=""),
    # The fleet's access paths (step 11): an owner's plans, and the owners whose plans live in a zone.
    Index("plans_owner_zone", "owner", "time_zone"),
    Index("plans_zone_owner", "time_zone", "owner"),
)
snapshots = Table(
    "snapshots",
    metadata,
    Column("plan_id", String(64), ForeignKey("plans.id"), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("taken_at", Moment, nullable=False),
    Column("last_seq", Integer, nullable=False),  # the audit log's last event as of this snapshot
    Column("body", Text, nullable=False),
    Column("mac", String(64), nullable=False, server_default=""),  # the body's signature (step 9)
    # The Log lines a sync's check found right, and their chained digest (step 10: plan.log_tab).
    Column("log_rows", Integer, nullable=False, server_default="0"),
    Column("log_digest", String(64), nullable=False, server_default=""),
)
events = Table(
    "events",
    metadata,
    Column("plan_id", String(64), ForeignKey("plans.id"), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("key", String(200), nullable=False),
    Column("at", Moment, nullable=False),
    Column("kind", String(40), nullable=False),
    Column("row_id", String(64)),
    Column("field", Text, nullable=False),
    Column("old", Text, nullable=False),
    Column("new", Text, nullable=False),
    Column("who", Text, nullable=False),
    Column("trust", String(16)),
    Column("sheet_row", Integer),
    Column("via", String(16), nullable=False, server_default=""),  # a confirmation's channel (step 5)
    Column("note", Text, nullable=False, server_default=""),  # a claim's hint, a proposal's reason (step 5)
    Column("prev", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Column("key_id", String(16), nullable=False, server_default=""),  # the chain key that signed it (step 6)
    UniqueConstraint("plan_id", "key", name="events_once"),
)
reminders = Table(
    "reminders",
    metadata,
    Column("key", String(400), primary_key=True),
    Column("plan_id", String(64), ForeignKey("plans.id"), nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("recipient", String(320), nullable=False),
    Column("sender", String(320), nullable=False, server_default="", index=True),  # (step 4)
    Column("state", String(16), nullable=False),  # claimed | sent | unknown
    Column("claimed_at", Moment, nullable=False),
    Column("sent_at", Moment),
    Column("sending_at", Moment),  # step 11: when the send began (a claim without it surely sent nothing)
    Index("reminders_sender_claimed", "sender", "claimed_at"),  # an owner's day (step 11)
)
reminder_items = Table(  # step 10: the reminders a day's message carried, each once and for all
    "reminder_items",
    metadata,
    Column("key", String(400), primary_key=True),
    Column("message", String(400), ForeignKey("reminders.key"), nullable=False, index=True),
    Column("plan_id", String(64), nullable=False, index=True),
)
watch_channels = Table(
    "watch_channels",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("plan_id", String(64), ForeignKey("plans.id"), nullable=False, index=True),
    Column("token_hash", String(64), nullable=False),  # SHA-256 of the channel token: the token is never kept
    Column("resource_id", String(200), nullable=False),
    Column("expires_at", Moment, nullable=False),
    Column("stopped", Boolean, nullable=False, default=False),
    Index("watch_channels_expiry", "expires_at"),  # the lapsing ones, in pages (step 11)
)
accounts = Table(
    "accounts",
    metadata,
    Column("email", String(320), primary_key=True),
    Column("refresh_token", Text),  # encrypted (Fernet)
    Column("status", String(32), nullable=False),  # connected | reconnect needed
    Column("updated_at", Moment, nullable=False),
)
pending_syncs = Table(
    "pending_syncs",
    metadata,
    Column("plan_id", String(64), ForeignKey("plans.id"), primary_key=True),
    Column("due_at", Moment, nullable=False),
    Index("pending_syncs_due", "due_at"),  # the syncs whose window closed (step 11)
)
# The embedded queue of units (step 11): a unit's name is its identity, kept after it is done so that
# the same work is never enqueued twice; a lease hands a due unit to one runner until it lapses.
tasks = Table(
    "tasks",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("body", Text, nullable=False),  # the unit (app.units.Unit.body)
    Column("not_before", Moment, nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("leased_until", Moment),
    Column("done_at", Moment),
    Index("tasks_due", "done_at", "not_before"),
)

send_pace = Table(  # step 12: when each sender's next send may begin (Gmail's per-user rate, across runs)
    "send_pace",
    metadata,
    Column("sender", String(320), primary_key=True),
    Column("next_at", Moment, nullable=False),
)
plan_failures = Table(  # step 13: the last failure of each kind of background work, shown on the home card
    "plan_failures",
    metadata,
    Column("plan_id", String(64), ForeignKey("plans.id"), primary_key=True),
    Column("job", String(16), primary_key=True),
    Column("at", Moment, nullable=False),
    Column("said", Text, nullable=False),
)
plan_scores = Table(  # step 14: each followed plan's weekly score, kept week by week (the pipeline)
    "plan_scores",
    metadata,
    Column("plan_id", String(64), ForeignKey("plans.id"), primary_key=True),
    Column("week", String(10), primary_key=True),  # the week's Monday, ISO: weeks sort as text
    Column("status", String(16), nullable=False),
    # The week's headline figures (WeekPoint), for a series read without the whole score:
    Column("confirmation_rate", Float),
    Column("signature_supported", Boolean, nullable=False),
    Column("slips_this_week", Integer, nullable=False),
    Column("overdue_open", Integer, nullable=False),
    Column("score", Text, nullable=False),  # WeeklyScore.to_stored
    Column("taken_at", Moment, nullable=False),
)
pipeline_shares = Table(  # step 14: an owner sharing their plans' health with a colleague at their domain
    "pipeline_shares",
    metadata,
    Column("owner", String(320), primary_key=True),
    Column("viewer", String(320), primary_key=True),
    Column("at", Moment, nullable=False),
    Index("pipeline_shares_viewer", "viewer"),
)
pipeline_views = Table(  # step 14: every view of another person's plans, by whom, where, when
    "pipeline_views",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", Moment, nullable=False),
    Column("viewer", String(320), nullable=False),
    Column("owner", String(320), nullable=False),
    Column("place", String(32), nullable=False),  # card | spreadsheet | digest | cli
    Column("plans", Integer, nullable=False),
)
pipeline_sheets = Table(  # step 14: the Pipeline spreadsheets, each refreshed weekly for its viewer
    "pipeline_sheets",
    metadata,
    Column("spreadsheet_id", String(300), primary_key=True),
    Column("viewer", String(320), nullable=False, index=True),
    Column("workbook", String(16), nullable=False),  # local | google
    Column("time_zone", String(64), nullable=False),  # the spreadsheet's: its viewer's Monday 08:00
    Column("created_at", Moment, nullable=False),
)
pipeline_mail = Table(  # step 14: each viewer's weekly digest, claimed before it is sent: at most once
    "pipeline_mail",
    metadata,
    Column("key", String(400), primary_key=True),  # viewer|week
    Column("viewer", String(320), nullable=False),
    Column("claimed_at", Moment, nullable=False),
    Column("sent_at", Moment),
)
crm_connections = Table(  # step 15: a seller's sign-in to their CRM, the refresh token encrypted
    "crm_connections",
    metadata,
    Column("owner", String(320), primary_key=True),
    Column("crm", String(16), primary_key=True),  # salesforce | hubspot
    Column(
        "secret", Text, nullable=False
    ),  # the refresh token, encrypted (Fernet); "" for a deployment's own
    Column("instance_url", String(300), nullable=False),  # Salesforce's org URL; "" for HubSpot
    Column("user_id", String(64), nullable=False),  # the seller in the CRM: their own open deals are searched
    Column("status", String(32), nullable=False),  # connected | reconnect needed
    Column("updated_at", Moment, nullable=False),
)
crm_links = Table(  # step 15: a plan's opportunity or deal, kept here and never in the sheet the buyer sees
    "crm_links",
    metadata,
    Column("plan_id", String(64), ForeignKey("plans.id"), primary_key=True),
    Column("crm", String(16), nullable=False),
    Column("record_id", String(64), nullable=False),
    Column("owner", String(320), nullable=False),  # the seller whose connection pushes it
    Column("linked_at", Moment, nullable=False),
    Column("due", Boolean, nullable=False),  # a push is owed: a shown figure changed, or the week began
    Column(
        "pushed", Text, nullable=False
    ),  # what the CRM holds of mutualplan's fields, as last pushed (JSON)
    Column("pushed_at", Moment),
    Index("crm_links_owner_due", "owner", "due"),
)
reminder_settings = Table(
    "reminder_settings",
    metadata,
    Column("plan_id", String(64), ForeignKey("plans.id"), primary_key=True),
    Column("days_ahead", Integer, nullable=False),
    Column("owners", Boolean, nullable=False),
    Column("champion", Boolean, nullable=False),
    Column("digest", Boolean, nullable=False),
)

link_generations = Table(  # step 5: bumping a person's generation revokes every link they hold
    "link_generations",
    metadata,
    Column("plan_id", String(64), ForeignKey("plans.id"), primary_key=True),
    Column("email", String(320), primary_key=True),
    Column("generation", Integer, nullable=False),
)

plan_unsubscribes = Table(  # step 7: a recipient who stopped one plan's reminders
    "plan_unsubscribes",
    metadata,
    Column("email", String(320), primary_key=True),
    Column("plan_id", String(64), primary_key=True),
    Column("at", Moment, nullable=False),
    Index("plan_unsubscribes_plan", "plan_id"),  # an owner's plans' (step 11)
)

registry = Table(  # step 9: the signed, append-only chain of "plan P registered, spreadsheet S, at T"
    "registry",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("plan_id", String(64), nullable=False, index=True),
    Column("spreadsheet_id", String(300), nullable=False),
    Column("at", Moment, nullable=False),
    Column("prev", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Column("key_id", String(16), nullable=False, server_default=""),
)
registry_head = Table(  # step 9: the registry's signed head, one row
    "registry_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("count", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
    Column("mac", String(64), nullable=False),
)

unsubscribes = Table(
    "unsubscribes",
    metadata,
    Column("email", String(320), primary_key=True),
    Column("at", Moment, nullable=False),
)


def _create(*tables: Table) -> Callable[[Connection], None]:
    def step(connection: Connection) -> None:
        for table in tables:
            table.create(connection)

    return step


def _add_columns(table: Table, *names: str) -> Callable[[Connection], None]:
    """Add columns a later step gave an existing table (a store made since has them already)."""

    def step(connection: Connection) -> None:
        present = {column["name"] for column in inspect(connection).get_columns(table.name)}
        for name in names:
            if name in present:
                continue
            column = table.c[name]
            kind = column.type.compile(connection.dialect)
            default = column.server_default.arg if column.server_default is not None else None  # type: ignore[attr-defined]
            extra = f" NOT NULL DEFAULT '{default}'" if default is not None else ""
            connection.execute(text(f"ALTER TABLE {table.name} ADD COLUMN {name} {kind}{extra}"))

    return step


def _add_indexes(table: Table, *names: str) -> Callable[[Connection], None]:
    """Create indexes a later step gave an existing table (a store made since has them already)."""

    def step(connection: Connection) -> None:
        present = {index["name"] for index in inspect(connection).get_indexes(table.name)}
        for index in table.indexes:
            if index.name in names and index.name not in present:
                index.create(connection)

    return step


def _all(*steps: Callable[[Connection], None]) -> Callable[[Connection], None]:
    def step(connection: Connection) -> None:
        for each in steps:
            each(connection)

    return step


# Step N takes a store from version N-1 to N. Never edit a step that has shipped: add one.
STEPS: tuple[Callable[[Connection], None], ...] = (
    _create(plans, snapshots, events),
    _create(reminders, watch_channels, accounts, pending_syncs),
    _create(reminder_settings),
    _all(_add_columns(plans, "time_zone"), _add_columns(reminders, "sender"), _create(unsubscribes)),
    _all(_add_columns(events, "via", "note"), _create(link_generations)),
    _all(_add_columns(events, "key_id"), _add_columns(plans, "head_count", "head_hash", "head_mac")),
    _create(plan_unsubscribes),
    _add_columns(plans, "risks_tab"),
    _all(_add_columns(snapshots, "mac"), _create(registry, registry_head)),
    _all(_create(reminder_items), _add_columns(snapshots, "log_rows", "log_digest")),
    _all(
        _create(tasks),
        _add_columns(reminders, "sending_at"),
        _add_indexes(plans, "plans_owner_zone", "plans_zone_owner"),
        _add_indexes(reminders, "reminders_sender_claimed"),
        _add_indexes(watch_channels, "watch_channels_expiry"),
        _add_indexes(plan_unsubscribes, "plan_unsubscribes_plan"),
        _add_indexes(pending_syncs, "pending_syncs_due"),
    ),
    _create(send_pace),
    _create(plan_failures),
    _create(plan_scores, pipeline_shares, pipeline_views, pipeline_sheets, pipeline_mail),
    _create(crm_connections, crm_links),
)
SIGNED_HISTORY = 9  # the step after which plans are registered and snapshots signed (see adopt_history)
LATEST = len(STEPS)


def version_of(engine: Engine) -> int:
    """The store's schema version (0: empty)."""
    with engine.connect() as connection:
        if not engine.dialect.has_table(connection, schema_version.name):
            return 0
        return int(connection.execute(select(schema_version.c.version)).scalar_one())


def upgrade(engine: Engine, to: int = LATEST) -> tuple[int, int]:
    """Run the steps the store has not had, each in its own transaction; (from, to) versions."""
    start = version_of(engine)
    if start == 0:
        with engine.begin() as connection:
            schema_version.create(connection, checkfirst=True)
            if connection.execute(select(schema_version.c.version)).first() is None:
                connection.execute(schema_version.insert().values(version=0))
    for version in range(start + 1, to + 1):
        with engine.begin() as connection:
            moved = connection.execute(
                update(schema_version).where(schema_version.c.version == version - 1).values(version=version)
            )
            if moved.rowcount != 1:  # another process upgraded meanwhile
                continue
            STEPS[version - 1](connection)
    return start, max(start, to)
