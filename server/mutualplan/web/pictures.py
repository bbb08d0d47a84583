"""Pictures the cards show: the plan's timeline, at a URL sealed for one plan (Google fetches card images
without our ID token, so the link itself is the permission, and it expires)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, request

from mutualplan.app.timeline import Timeline, timeline_at
from mutualplan.errors import InputError
from mutualplan.web.context import services
from mutualplan.web.timeline import timeline_svg

pictures = Blueprint("pictures", __name__)


def timeline_response(found: Timeline | None) -> Response:
    """A timeline as an SVG picture; 404 for a plan not synced yet."""
    if found is None:
        abort(404)
    picture = timeline_svg(found.snapshot, found.today, found.slips)
    return Response(picture, mimetype="image/svg+xml", headers={"Cache-Control": "private, max-age=300"})


@pictures.get("/timeline.svg")
def timeline() -> Response:
    """The plan's timeline, backward from go-live, at a link sealed for it."""
    try:
        found = timeline_at(services(), request.args.get("t", ""))
    except InputError:
        abort(404)
    return timeline_response(found)
