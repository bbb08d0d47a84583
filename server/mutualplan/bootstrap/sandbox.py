"""The sandbox (`mutualplan demo`): the whole add-on over the embedded default, with a clock one can move."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

from flask import Flask

from mutualplan.app.sandbox import Sandbox
from mutualplan.bootstrap.demo import seed
from mutualplan.bootstrap.local import local_services, utc_now
from mutualplan.bootstrap.pipeline_demo import seed_pipeline
from mutualplan.config import Config
from mutualplan.web.sandbox_routes import create_sandbox_app


@dataclass
class SandboxClock:
    """Now, moved forward (or back) on request, to see reminders come due."""

    offset: timedelta = timedelta()

    def now(self) -> datetime:
        """The sandbox's now."""
        return utc_now() + self.offset

    def move(self, by: timedelta) -> None:
        """Move the clock forward (or back)."""
        self.offset += by


def sandbox(config: Config, url: str) -> Sandbox:
    """The embedded default served at url, with a movable clock."""
    clock = SandboxClock()
    return Sandbox(local_services(replace(config, public_url=url), clock.now, sandbox=True), clock.move)


def seeded_sandbox_app(config: Config, url: str, guide_folder: Path | None = None) -> tuple[Flask, bool]:
    """The sandbox's app, serving the guide from guide_folder once built; the sample deals seeded first
    into an empty workspace (True when it was): the worked example, then the pipeline's five more deals
    with their weeks of history."""
    made = sandbox(config, url)
    fresh = not made.spreadsheets()
    if fresh:
        seed(made.services, made.services.now().date())
        seed_pipeline(made)
    return create_sandbox_app(made, guide_folder), fresh


def built_guide() -> Path | None:
    """Where `mkdocs build` writes the guide in a checkout of mutualplan (an installed wheel has none)."""
    checkout = Path(__file__).resolve().parents[3]
    return checkout / "site" if (checkout / "mkdocs.yml").is_file() else None
