"""Pictures of a plan's timeline, at a URL sealed for one plan (Google fetches card images without our
ID token, so the link itself is the permission, and it expires): PNG at the sidebar's width for cards
(the Image widget shows PNG or JPEG only), SVG for a browser page."""

from __future__ import annotations

from flask import Blueprint, Response, abort, request

from mutualplan.app.picture import compact_png, mark_png
from mutualplan.app.sidebar_pipeline import picture_of
from mutualplan.app.timeline import Timeline, timeline_at
from mutualplan.errors import InputError
from mutualplan.plan.pictures.chart import WIDE, chart_of
from mutualplan.web.context import services
from mutualplan.web.pipeline_cards import SHOWN_DEALS
from mutualplan.web.timeline import timeline_svg

pictures = Blueprint("pictures", __name__)
CACHING = {"Cache-Control": "private, max-age=300"}


def timeline_response(found: Timeline | None, png: bool = False) -> Response:
    """A timeline as a picture (compact PNG, or wide SVG); 404 for a plan not synced yet."""
    if found is None:
        abort(404)
    if png:
        return Response(compact_png(found), mimetype="image/png", headers=CACHING)
    chart = chart_of(found.snapshot, found.today, found.slips, WIDE)
    return Response(timeline_svg(chart), mimetype="image/svg+xml", headers=CACHING)


def _sealed() -> Timeline | None:
    try:
        return timeline_at(services(), request.args.get("t", ""))
    except InputError:
        abort(404)


@pictures.get("/timeline.png")
def timeline_picture() -> Response:
    """The plan's timeline for a card, at a link sealed for it."""
    return timeline_response(_sealed(), png=True)


@pictures.get("/pipeline.png")
def pipeline_picture() -> Response:
    """A Pipeline card's picture, at a link sealed for its viewer; drawn of what they may see now."""
    try:
        png = picture_of(services(), request.args.get("t", ""), SHOWN_DEALS)
    except InputError:
        abort(404)
    return Response(png, mimetype="image/png", headers=CACHING)


@pictures.get("/favicon.ico")
def favicon() -> Response:
    """mutualplan's mark in the browser's tab, on every page (a PNG: every browser reads one here)."""
    return Response(mark_png(), mimetype="image/png", headers={"Cache-Control": "public, max-age=86400"})


@pictures.get("/timeline.svg")
def timeline() -> Response:
    """The plan's timeline for a browser, at a link sealed for it."""
    return timeline_response(_sealed())
