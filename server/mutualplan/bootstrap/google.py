"""Production on Google: the store the config names (Cloud SQL), Google's adapters on one transport."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import google.auth
from flask import Flask
from google.auth.exceptions import DefaultCredentialsError

from mutualplan.adapters.crm.platform import configured_crms
from mutualplan.adapters.google.gmail import GMAIL_GAP
from mutualplan.adapters.google.identity import GoogleIdentity
from mutualplan.adapters.google.platform import GooglePlatform
from mutualplan.adapters.google.tasks import CLOUD_PLATFORM, CloudTasksQueue
from mutualplan.adapters.google.transport import GoogleTransport
from mutualplan.adapters.sealing import FernetSealer
from mutualplan.adapters.templates import TemplateFolder
from mutualplan.app.google_check import CheckLine, CheckPorts, QueueReader, google_check
from mutualplan.app.records import AccountStatus
from mutualplan.app.services import Services
from mutualplan.bootstrap.local import utc_now
from mutualplan.config import Config
from mutualplan.errors import InputError
from mutualplan.plan.history.audit import ChainKey
from mutualplan.store.base import make_engine
from mutualplan.store.sql import SqlStore
from mutualplan.web import create_app


def production_store(config: Config) -> SqlStore:
    """The store the config names, its schema checked."""
    store = SqlStore(
        make_engine(config.database_url), ChainKey.of(config.secret_key) if config.secret_key else None
    )
    store.check_schema()
    return store


def google_platform(config: Config, store: SqlStore, transport: GoogleTransport) -> GooglePlatform:
    """Google as the sidebar's user or a plan's owner, the owners' grants kept in the store."""
    return GooglePlatform(
        store, FernetSealer(config.secret_key), config.oauth_client_id, config.oauth_client_secret,
        transport, max_rows=config.max_rows, max_cols=config.max_columns,
    )  # fmt: skip


def production_services(
    config: Config, transport: GoogleTransport | None = None, tasks_http: Any = None
) -> Services:
    """The app's services on Google (Cloud Tasks as the app's own service account, when its queues are set;
    mail paced to Gmail's per-user rate)."""
    store = production_store(config)
    transport = transport or GoogleTransport()
    sealer = FernetSealer(config.secret_key)
    platform = google_platform(config, store, transport)
    identity = GoogleIdentity(config.oauth_client_id, config.oauth_client_secret, transport)
    queue = None
    if config.tasks_location:
        if tasks_http is None:
            credentials, _ = google.auth.default(scopes=[CLOUD_PLATFORM])
            tasks_http = transport.http(credentials)
        window = timedelta(seconds=config.sync_window_seconds)
        target = f"{config.public_url}/tasks/run"
        queue = CloudTasksQueue(
            tasks_http, config.tasks_location, target, config.tasks_account, window, transport
        )
    return Services(
        store,
        platform,
        TemplateFolder(),
        sealer,
        identity,
        config,
        utc_now,
        queue=queue,
        mail_gap=GMAIL_GAP,
        crms=configured_crms(config),
    )


def production_app() -> Flask:
    """The app as App Engine (or `mutualplan serve`) runs it, from MUTUALPLAN_* settings."""
    config = Config.from_env()
    required = {
        "MUTUALPLAN_PUBLIC_URL": config.public_url,
        "MUTUALPLAN_ADDON_SERVICE_ACCOUNT": config.addon_service_account,
    }
    if config.tasks_location:  # tasks no one may run would queue forever
        required["MUTUALPLAN_TASKS_ACCOUNT"] = config.tasks_account
    missing = [name for name, value in required.items() if not value]
    if missing:
        said = " and ".join(missing)
        raise InputError(f"set {said} before serving the add-on (the guide: Deploying to Google)")
    return create_app(production_services(config))


def deployer_queues(config: Config, transport: GoogleTransport) -> QueueReader | str:
    """Cloud Tasks as the deployer's own credentials (application default), or why it cannot be read."""
    if not config.tasks_location:
        return "MUTUALPLAN_TASKS_LOCATION is not set: the store's own queue runs the units"
    try:
        credentials, _ = google.auth.default(scopes=[CLOUD_PLATFORM])
    except DefaultCredentialsError:
        return "no credentials of yours to read Cloud Tasks with (gcloud auth application-default login)"
    http = transport.http(credentials)
    return CloudTasksQueue(http, config.tasks_location, "", "", timedelta(), transport)


def live_check(config: Config, email: str, granted: str | None, shared: str | None) -> Iterator[CheckLine]:
    """`mutualplan google-check`: the deployer's project, tried as their offline grant."""
    needed = {
        "MUTUALPLAN_PUBLIC_URL": config.public_url,
        "MUTUALPLAN_SECRET_KEY": config.secret_key,
        "MUTUALPLAN_OAUTH_CLIENT_ID": config.oauth_client_id,
        "MUTUALPLAN_OAUTH_CLIENT_SECRET": config.oauth_client_secret,
    }
    missing = [name for name, value in needed.items() if not value]
    if missing:
        raise InputError(f"set {', '.join(missing)} as the deployment does (the guide: Deploying to Google)")
    transport = GoogleTransport()
    store = production_store(config)
    platform = google_platform(config, store, transport)
    account = store.account(email)
    ports = CheckPorts(
        lambda: platform.scratch_drive(email),
        lambda spreadsheet_id: platform.workbook_for_owner(email, spreadsheet_id),
        lambda: platform.mailer_for(email),
        TemplateFolder(),
        lambda: deployer_queues(config, transport),
        lambda: account.updated_at if account and account.status is AccountStatus.CONNECTED else None,
    )
    return google_check(ports, email, f"{config.public_url}/hooks/drive", utc_now(), granted, shared)
