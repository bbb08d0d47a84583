"""The sandbox serves the built guide at /docs/ (its first screen links to the sellers' page), and until the
guide is built, says how to build it; nothing outside the guide's folder is served."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient

from mutualplan.bootstrap.sandbox import built_guide, sandbox
from mutualplan.config import Config
from mutualplan.web.sandbox_routes import create_sandbox_app

ROOT = Path(__file__).parents[2]


def client_for(workspace: Path, guide: Path | None) -> FlaskClient:
    app = create_sandbox_app(sandbox(Config.from_env({}, data=workspace), "http://127.0.0.1:8080"), guide)
    app.config["SERVER_NAME"] = "127.0.0.1:8080"
    return app.test_client()


@pytest.fixture
def guide(tmp_path: Path) -> Path:
    """A built guide: its home, the sellers' page and a script, beside a file that is not the guide's."""
    folder = tmp_path / "site"
    (folder / "sellers").mkdir(parents=True)
    (folder / "index.html").write_text("<h1>mutualplan</h1>", encoding="utf-8")
    (folder / "sellers" / "index.html").write_text("<h1>For sellers</h1>", encoding="utf-8")
    (folder / "search.js").write_text("console.log(1)", encoding="utf-8")
    (tmp_path / "secret.key").write_text("not the guide's", encoding="utf-8")
    return folder


def test_the_built_guide_is_served_at_docs_page_by_page_and_loads_nothing_from_outside(
    tmp_path: Path, guide: Path
) -> None:
    client = client_for(tmp_path / "workspace", guide)
    assert b"For sellers" in client.get("/docs/sellers/").data
    assert b"mutualplan" in client.get("/docs/").data
    assert client.get("/docs").status_code == 308  # to /docs/, where the pages' relative links hold
    script = client.get("/docs/search.js")
    assert (script.status_code, script.mimetype) == (200, "text/javascript")
    policy = client.get("/docs/sellers/").headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "http" not in policy
    assert client.get("/docs/sellers/missing.html").status_code == 404


@pytest.mark.parametrize("path", ["/docs/../secret.key", "/docs/%2e%2e/secret.key", "/docs/..%2fsecret.key"])
def test_nothing_outside_the_guides_folder_is_served(tmp_path: Path, guide: Path, path: str) -> None:
    answer = client_for(tmp_path / "workspace", guide).get(path)
    assert b"not the guide's" not in answer.data
    assert answer.status_code in (404, 308)


def test_before_the_guide_is_built_docs_says_how_to_build_it(tmp_path: Path) -> None:
    for guide in (None, tmp_path / "site"):  # no checkout; a checkout that never built it
        answer = client_for(tmp_path / "workspace", guide).get("/docs/sellers/")
        assert answer.status_code == 404
        assert "pip install -e '.[docs]' &amp;&amp; mkdocs build" in answer.get_data(as_text=True)


def test_another_website_cannot_read_the_guide_through_the_sandbox(tmp_path: Path, guide: Path) -> None:
    answer = client_for(tmp_path / "workspace", guide).get("/docs/", headers={"Host": "evil.example"})
    assert answer.status_code == 403


def test_a_checkout_finds_its_guide_where_mkdocs_writes_it() -> None:
    assert built_guide() == ROOT / "site"
