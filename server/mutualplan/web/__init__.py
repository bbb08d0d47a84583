"""The Flask app: create_app() with blueprints; the services come from bootstrap (or a test's own)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, jsonify
from werkzeug.exceptions import HTTPException

from mutualplan.app.services import Services
from mutualplan.errors import InputError, MutualplanError
from mutualplan.web import addon_crm, addon_pipeline  # noqa: F401 (register their buttons on the blueprint)
from mutualplan.web.addon_plan import addon  # the blueprint, with the plan's buttons on it
from mutualplan.web.confirm import FORM_PARTS, confirm
from mutualplan.web.crm_oauth import crm_oauth
from mutualplan.web.hooks import hooks
from mutualplan.web.oauth import oauth
from mutualplan.web.pictures import pictures
from mutualplan.web.privacy import privacy_page
from mutualplan.web.redact import redact_logs
from mutualplan.web.unsubscribe import unsubscribe_page

MAX_REQUEST_BYTES = 2 * 1024 * 1024
# Every answer's floor (a blueprint that needs more, such as the sandbox page, sets its own): nothing is
# sniffed into another type, framed, or told where the reader came from (a path may carry a token).
SAFE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
}


def create_app(services: Services, test_config: Mapping[str, Any] | None = None) -> Flask:
    """The app, wired to its services (whose config holds the settings); test_config overrides Flask's."""
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES  # a larger body is refused with 413
    app.config["MAX_FORM_PARTS"] = FORM_PARTS  # the buyer's "Confirm all" posts two fields a row
    if test_config:
        app.config.from_mapping(test_config)
    app.extensions["mutualplan"] = services
    redact_logs(app)
    for blueprint in (hooks, addon, confirm, oauth, crm_oauth, unsubscribe_page, pictures, privacy_page):
        app.register_blueprint(blueprint)

    @app.after_request
    def _safe(response: Response) -> Response:
        for name, value in SAFE_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.errorhandler(MutualplanError)
    def _known(error: MutualplanError) -> tuple[Any, int]:
        return jsonify(error=str(error)), 400 if isinstance(error, InputError) else 503

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> tuple[Any, int]:
        return jsonify(error=error.description), error.code or 500

    return app
