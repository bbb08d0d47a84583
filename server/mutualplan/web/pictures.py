"""Pictures the cards show: the plan's timeline, at a URL sealed for one plan (Google fetches card images
without our ID token, so the link itself is the permission, and it expires)."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, current_app, request

from mutualplan.app.ports import Store
from mutualplan.app.records import PlanRecord
from mutualplan.app.remind import local_day
from mutualplan.app.services import services
from mutualplan.errors import InputError
from mutualplan.web.oauth import sealer
from mutualplan.web.timeline import timeline_svg

pictures = Blueprint("pictures", __name__)
LINK_SECONDS = 24 * 3600


def timeline_url(plan_id: str) -> str:
    """The home card's picture of a plan."""
    token = sealer().seal({"plan": plan_id})
    return f"{current_app.config['PUBLIC_URL']}/timeline.svg?{urlencode({'t': token})}"


def timeline_picture(store: Store, record: PlanRecord, now: datetime) -> Response:
    """A plan's timeline as of its last sync, "today" in its spreadsheet's zone; 404 before a sync."""
    found = dict(store.plan_inputs(record.id)).get(record.id)
    if found is None:
        abort(404)
    picture = timeline_svg(found.snapshot, local_day(now, record.time_zone), found.slips)
    return Response(picture, mimetype="image/svg+xml", headers={"Cache-Control": "private, max-age=300"})


@pictures.get("/timeline.svg")
def timeline() -> Response:
    """The plan's timeline, backward from go-live, at a link sealed for it."""
    try:
        plan_id = str(sealer().unseal(request.args.get("t", ""), LINK_SECONDS).get("plan", ""))
    except InputError:
        abort(404)
    wired = services()
    record = wired.store.plan(plan_id)
    if record is None:
        abort(404)
    return timeline_picture(wired.store, record, wired.now())
