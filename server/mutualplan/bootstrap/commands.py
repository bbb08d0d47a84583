"""The console script's wiring: what each command needs, built only when the command asks for it (the
server's libraries load only for the commands that serve)."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path

from mutualplan.adapters.files import FileLimits, read_plan_file
from mutualplan.adapters.sealing import new_secret_key
from mutualplan.adapters.templates import TemplateFolder
from mutualplan.adapters.xlsx_workbook import XlsxWorkbook
from mutualplan.app.google_check import CheckLine
from mutualplan.app.ports import TemplateLibrary, Workbook
from mutualplan.app.records import PlanFile
from mutualplan.app.services import Services
from mutualplan.bootstrap.local import local_secret_key, local_services, remember_local_url
from mutualplan.cli import run as run_cli
from mutualplan.config import Config
from mutualplan.errors import InputError
from mutualplan.plan.history.audit import ChainKey
from mutualplan.store.adopt import crossed_signed_history
from mutualplan.store.base import make_engine
from mutualplan.store.schema import upgrade
from mutualplan.store.sql import SqlStore


class Commands:
    """The wiring the commands take (cli.common.Wiring)."""

    def local(self, data: Path) -> Services:
        """The embedded default in a folder."""
        return local_services(Config.from_env(data=data))

    def templates(self) -> TemplateLibrary:
        """The shipped templates."""
        return TemplateFolder()

    def read_file(self, path: Path, sheet: str | None) -> PlanFile:
        """A plan file's tabs, within the limits the settings name."""
        config = Config.from_env(data=Path())
        limits = FileLimits(
            config.max_file_mb << 20, config.max_unzipped_mb << 20, config.max_rows, config.max_columns
        )
        return read_plan_file(path, sheet, limits)

    def xlsx(self, path: Path) -> Workbook:
        """An .xlsx file to stamp into."""
        return XlsxWorkbook(path)

    def upgrade_store(self, data: Path) -> tuple[int, int]:
        """Bring the store up to this version's schema (signing, once, the history it holds when the
        upgrade brings signed history: a deployment's key must be set for that)."""
        config = Config.from_env(data=data)
        engine = make_engine(config.database_url)
        start, end = upgrade(engine)
        if crossed_signed_history(start, end):
            key = config.secret_key or (local_secret_key(data) if config.embedded_store else "")
            SqlStore(engine, ChainKey.of(key) if key else None).adopt_history()
        return start, end

    def new_secret_key(self) -> str:
        """A fresh key for MUTUALPLAN_SECRET_KEY."""
        return new_secret_key()

    def serve(self, port: int) -> None:
        """Run the production app on 127.0.0.1."""
        from mutualplan.bootstrap.google import production_app  # Flask and Google's clients load only here

        production_app().run(host="127.0.0.1", port=port)

    def google_check(self, email: str, granted: str | None, shared: str | None = None) -> Iterator[CheckLine]:
        """The live check of a Google deployment, as the deployer's offline grant."""
        from mutualplan.bootstrap.google import live_check  # Google's clients load only here

        return live_check(Config.from_env(data=Path()), email, granted, shared)

    def demo(self, data: Path, port: int, say: Callable[[str], None]) -> None:
        """Seed the sample deals (once) and serve the sandbox on 127.0.0.1: the port is taken first, so a
        busy one is said before any address is announced; the address is kept in the workspace, where
        the commands' links point."""
        from werkzeug.serving import make_server

        from mutualplan.bootstrap.sandbox import built_guide, seeded_sandbox_app  # Flask loads only here

        url = f"http://127.0.0.1:{port}"
        require_free_port(port)
        guide = built_guide()
        app, seeded = seeded_sandbox_app(Config.from_env(data=data), url, guide)
        server = make_server("127.0.0.1", port, app, threaded=True)
        remember_local_url(data, url)
        if seeded:
            say(
                f"A sample deal is ready in {data}, with five more and twelve weeks of their history for a"
                " manager's pipeline (Editing as: The sales manager, in Pipeline for Morgan Blake)."
            )
        if guide is not None:  # a checkout, whose guide may be built
            built = (guide / "index.html").is_file()
            say(f"The guide{'' if built else ', once built (mkdocs build)'}: {url}/docs/")
        say(f"mutualplan sandbox: {url}  (Ctrl-C stops it)")
        server.serve_forever()


def require_free_port(port: int) -> None:
    """Refuse, in one line, a port another program listens on (werkzeug would print its own lines and
    exit; the server binds as this probe does, reusing an address left in TIME_WAIT)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as exc:
            raise InputError(f"port {port} is in use ({exc.strerror}): run mutualplan demo --port N") from exc


def run() -> None:
    """The console script."""
    run_cli(Commands())
