"""Settings, declared once as data with their help text: the fields of Config, read from the environment."""

from __future__ import annotations

import math
import os
from collections.abc import Iterator, Mapping
from dataclasses import Field, dataclass, field, fields
from pathlib import Path
from typing import Any

import click

from mutualplan.errors import InputError

# The limits' defaults, for the Config fields and for callers that take no settings (tests, tools).
MAX_ROWS, MAX_COLUMNS, MAX_CELL_CHARS = 20_000, 50, 50_000
MAX_FILE_MB, MAX_UNZIPPED_MB = 20, 100


NUMBERS: dict[object, type[int] | type[float]] = {"int": int, "float": float}
CRM_OAUTH, CRM_TOKEN = "oauth", "token"  # how sellers connect a CRM: their own sign-in, or the deployment's


def _number(item: Field[Any], text: str) -> int | float:
    """A numeric setting's text as its number; an InputError says what it takes."""
    kind = NUMBERS[item.type]
    try:
        value = kind(text.strip())
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < (1 if kind is int else 0):
        what = "a whole number above 0" if kind is int else "a number, 0 or more"
        example = item.metadata["shown_default"]
        raise InputError(f"{item.metadata['env']} takes {what}, such as {example}; not '{text[:40]}'")
    return value


def _shown(number: float) -> str:
    return f"{number:g}" if isinstance(number, float) else str(number)


def setting(env: str, help: str, default: Any = "", shown_default: str | None = None) -> Any:
    """A Config field read from an environment variable, with the help the settings reference shows (a number's
    default is shown as itself unless told otherwise)."""
    if shown_default is None:
        shown_default = _shown(default) if isinstance(default, int | float) else "—"
    return field(default=default, metadata={"env": env, "help": help, "shown_default": shown_default})


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting as documented: its variable, its default as shown, what it is for."""

    env: str
    shown_default: str
    help: str


@dataclass(frozen=True, slots=True)
class Config:
    """The settings in force; every field is one setting."""

    data: Path = setting(
        "MUTUALPLAN_DATA",
        "the folder of the local workspace: workbooks, store, outbox (`--data` overrides it)",
        Path(),
        "the user's app folder",
    )
    database_url: str = setting(
        "MUTUALPLAN_DATABASE_URL",
        "the store's database, e.g. `postgresql+psycopg://user@host/db`",
        "",
        "SQLite in the `MUTUALPLAN_DATA` folder",
    )
    sync_window_seconds: float = setting(
        "MUTUALPLAN_SYNC_WINDOW_SECONDS",
        "Drive notifications for one spreadsheet within this many seconds make one sync",
        10.0,
    )
    public_url: str = setting(
        "MUTUALPLAN_PUBLIC_URL",
        "the base URL the add-on's endpoints are served at (`https://…`); also the audience of the ID tokens Google signs",
    )
    addon_service_account: str = setting(
        "MUTUALPLAN_ADDON_SERVICE_ACCOUNT",
        "the add-on's service account (`service-NUMBER@gcp-sa-gsuiteaddons.iam.gserviceaccount.com`): the only caller of the add-on endpoints",
    )
    scheduler_account: str = setting(
        "MUTUALPLAN_SCHEDULER_ACCOUNT",
        "a service account whose OIDC token may call the cron endpoints (Cloud Scheduler), besides App Engine's cron",
    )
    tasks_location: str = setting(
        "MUTUALPLAN_TASKS_LOCATION",
        "where mutualplan's Cloud Tasks queues live (`projects/P/locations/L`): `syncs`, `mail`, `renewals`, `fanout` and `crm` (queue.yaml), one named task a unit of work",
        "",
        "the store's own queue, run by `/cron/sync-due`, `mutualplan tasks run` and the sandbox's clock",
    )
    tasks_account: str = setting(
        "MUTUALPLAN_TASKS_ACCOUNT",
        "the service account Cloud Tasks signs each task's OIDC token as: the only caller of `/tasks/run`",
    )
    secret_key: str = setting(
        "MUTUALPLAN_SECRET_KEY",
        "a Fernet key (`mutualplan secret-key` makes one): encrypts refresh tokens at rest and seals links; keep it in Secret Manager",
    )
    oauth_client_id: str = setting(
        "MUTUALPLAN_OAUTH_CLIENT_ID",
        "the OAuth client for offline authorisation (background sync and reminders)",
    )
    oauth_client_secret: str = setting(
        "MUTUALPLAN_OAUTH_CLIENT_SECRET", "that client's secret; keep it in Secret Manager"
    )
    max_rows: int = setting(
        "MUTUALPLAN_MAX_ROWS",
        "the most rows a plan's tab may have: an edit or a read past it is refused",
        MAX_ROWS,
    )
    max_columns: int = setting(
        "MUTUALPLAN_MAX_COLUMNS", "the most columns a plan's tab may have", MAX_COLUMNS
    )
    max_cell_chars: int = setting(
        "MUTUALPLAN_MAX_CELL_CHARS",
        "the most characters one cell may hold (Google's own limit is 50,000)",
        MAX_CELL_CHARS,
    )
    max_file_mb: int = setting(
        "MUTUALPLAN_MAX_FILE_MB", "the largest plan file `check` reads, in MB", MAX_FILE_MB
    )
    max_unzipped_mb: int = setting(
        "MUTUALPLAN_MAX_UNZIPPED_MB",
        "the most an .xlsx may unpack to, in MB (a zip bomb is refused before it is read)",
        MAX_UNZIPPED_MB,
    )
    plan_recipients_per_day: int = setting(
        "MUTUALPLAN_PLAN_RECIPIENTS_PER_DAY",
        "the most people one plan's reminders may mail a day (0: twice the people on its Stakeholders tab, and at least 10)",
        0,
    )
    pipeline_viewers: str = setting(
        "MUTUALPLAN_PIPELINE_VIEWERS",
        "revenue-operations viewers, comma-separated addresses: each sees the pipeline of every plan owner at their own address's domain, never another domain's",
        "",
        "nobody",
    )
    salesforce_client_id: str = setting(
        "MUTUALPLAN_SALESFORCE_CLIENT_ID",
        "the Salesforce connected app's consumer key: sellers Connect Salesforce from the sidebar (OAuth web-server flow with PKCE)",
    )
    salesforce_client_secret: str = setting(
        "MUTUALPLAN_SALESFORCE_CLIENT_SECRET",
        "that connected app's consumer secret, when the app requires one; keep it in Secret Manager",
    )
    salesforce_login_url: str = setting(
        "MUTUALPLAN_SALESFORCE_LOGIN_URL",
        "where Salesforce sign-ins go: `https://test.salesforce.com` for a sandbox org, or the org's My Domain URL",
        "",
        "`https://login.salesforce.com`",
    )
    salesforce_jwt_user: str = setting(
        "MUTUALPLAN_SALESFORCE_JWT_USER",
        "an integration user's username: set with the key below, every push goes as that user (JWT bearer flow, with the consumer key) and sellers need not connect",
    )
    salesforce_jwt_key: str = setting(
        "MUTUALPLAN_SALESFORCE_JWT_KEY",
        "the path of the connected app's private key (PEM) for the JWT bearer flow",
    )
    hubspot_client_id: str = setting(
        "MUTUALPLAN_HUBSPOT_CLIENT_ID",
        "the HubSpot public app's client id: sellers Connect HubSpot from the sidebar (OAuth with PKCE)",
    )
    hubspot_client_secret: str = setting(
        "MUTUALPLAN_HUBSPOT_CLIENT_SECRET", "that app's client secret; keep it in Secret Manager"
    )
    hubspot_private_app_token: str = setting(
        "MUTUALPLAN_HUBSPOT_PRIVATE_APP_TOKEN",
        "a HubSpot private app's access token: every push goes through it and sellers need not connect; keep it in Secret Manager",
    )
    on_app_engine: bool = setting(
        "GAE_APPLICATION",
        "set by App Engine itself, never by hand: only there is `X-Appengine-Cron` trusted (App Engine strips it from outside requests)",
        False,
        "unset",
    )

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, data: Path | None = None) -> Config:
        """The settings from the environment (and a --data folder, which wins)."""
        values = os.environ if env is None else env
        read: dict[str, Any] = {}
        for item in fields(cls):
            text = values.get(item.metadata["env"], "")
            if item.type in NUMBERS and text:
                read[item.name] = _number(item, text)
            elif item.type == "bool":
                read[item.name] = bool(text)
            elif item.type == "str":
                read[item.name] = text
        folder = data or Path(values.get("MUTUALPLAN_DATA") or click.get_app_dir("mutualplan"))
        read["database_url"] = read["database_url"] or f"sqlite:///{folder / 'store.sqlite'}"
        read["public_url"] = read["public_url"].rstrip("/")
        config = cls(data=folder, **read)
        config.revenue_viewers()  # a malformed list is said now, not at the first pipeline
        return config

    def revenue_viewers(self) -> frozenset[str]:
        """The revenue-operations viewers' addresses, in lower case; an InputError names one malformed."""
        viewers = frozenset(
            part.strip().casefold() for part in self.pipeline_viewers.split(",") if part.strip()
        )
        for viewer in viewers:
            name, _, domain = viewer.partition("@")
            if not name or "." not in domain.strip(".") or "@" in domain or " " in viewer:
                raise InputError(
                    f"MUTUALPLAN_PIPELINE_VIEWERS takes addresses separated by commas, such as"
                    f" ops@vendor.example; '{viewer[:60]}' is not one"
                )
        return viewers

    def crm_mode(self, crm: str) -> str:
        """How sellers connect to a CRM ("salesforce", "hubspot"): "oauth" (their own sign-in), "token"
        (the deployment's own: a Salesforce integration user, a HubSpot private app) or "" (not set up)."""
        if crm == "salesforce":
            if self.salesforce_client_id and self.salesforce_jwt_user and self.salesforce_jwt_key:
                return CRM_TOKEN
            return CRM_OAUTH if self.salesforce_client_id else ""
        if self.hubspot_private_app_token:
            return CRM_TOKEN
        return CRM_OAUTH if self.hubspot_client_id and self.hubspot_client_secret else ""

    @property
    def embedded_store(self) -> bool:
        """True when the store is the default SQLite file, which upgrades itself when opened."""
        return not self.database_url.startswith("postgresql")


def settings() -> Iterator[Setting]:
    """Every setting, as the settings reference documents it."""
    for item in fields(Config):
        yield Setting(item.metadata["env"], item.metadata["shown_default"], item.metadata["help"])


def private_file(path: Path) -> Path:
    """A file only its owner may read (0600), created empty when missing, in a folder made for it only
    its owner may enter (0700; a folder already there is left as it is): the workspace's stores and
    mail hold live links and keys."""
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    path.chmod(0o600)
    return path
