"""Pictures the cards show: the plan's timeline, at a URL sealed for one plan (Google fetches card images
without our ID token, so the link itself is the permission, and it expires)."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, Response, abort, current_app, request

from mutualplan.errors import InputError
from mutualplan.remind import local_day
from mutualplan.sync import history_of
from mutualplan.web.context import services
from mutualplan.web.oauth import sealer
from mutualplan.web.timeline import timeline_svg

pictures = Blueprint("pictures", __name__)
LINK_SECONDS = 24 * 3600


def timeline_url(plan_id: str) -> str:
    """The home card's picture of a plan."""
    token = sealer().seal({"plan": plan_id})
    return f"{current_app.config['PUBLIC_URL']}/timeline.svg?{urlencode({'t': token})}"


@pictures.get("/timeline.svg")
def timeline() -> Response:
    """The plan's timeline, backward from go-live, as of its last sync."""
    try:
        plan_id = str(sealer().unseal(request.args.get("t", ""), LINK_SECONDS).get("plan", ""))
    except InputError:
        abort(404)
    wired = services()
    record = wired.store.plan(plan_id)
    snapshot = wired.store.latest_snapshot(plan_id).snapshot if record else None
    if record is None or snapshot is None:
        abort(404)
    history = history_of(wired.store, plan_id)
    today = local_day(wired.now(), record.time_zone)
    picture = timeline_svg(snapshot, today, history.slips if history else ())
    return Response(picture, mimetype="image/svg+xml", headers={"Cache-Control": "private, max-age=300"})
