"""The guide at /docs/, as `mkdocs build` wrote it, for the sandbox: its first screen links to the sellers'
page. Served only when built; until then /docs/ says how to build it."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, current_app, send_from_directory

from mutualplan.web.pages import small_page

guide = Blueprint("guide", __name__)
# The built guide's pages carry Material's own inline scripts; nothing is loaded from elsewhere.
GUIDE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self' 'unsafe-inline'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
    "frame-ancestors 'none'",
}
NOT_BUILT = (
    "<p>The guide is written in <code>docs/</code> as Markdown; to read it here, build it once from a "
    "checkout of mutualplan, then reload this page:</p>"
    "<pre>pip install -e '.[docs]' &amp;&amp; mkdocs build</pre>"
)


@guide.after_request
def _headers(response: Response) -> Response:
    response.headers.update(GUIDE_HEADERS)
    return response


@guide.get("/docs/", defaults={"name": ""})
@guide.get("/docs/<path:name>")
def page(name: str) -> Response | tuple[str, int]:
    """A page, picture or script of the built guide (a folder's index.html for a folder)."""
    folder: Path | None = current_app.extensions.get("mutualplan_guide")
    if folder is None or not (folder / "index.html").is_file():
        return small_page("The guide is not built yet", NOT_BUILT), 404
    if name == "" or name.endswith("/"):
        name += "index.html"
    return send_from_directory(folder, name)  # a path outside the folder is a 404
