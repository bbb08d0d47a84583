"""The Flask app: create_app() with blueprints; the adapters come from bootstrap (or a test's own)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from mutualplan.errors import MutualplanError
from mutualplan.web.context import Services
from mutualplan.web.hooks import hooks


def create_app(services: Services, test_config: Mapping[str, Any] | None = None) -> Flask:
    """The app, wired to its services; test_config overrides settings."""
    app = Flask(__name__)
    app.config.from_mapping(
        # App Engine strips X-Appengine-Cron from outside requests; nowhere else is it to be trusted.
        TRUST_APPENGINE_CRON=bool(os.environ.get("GAE_APPLICATION")),
    )
    if test_config:
        app.config.from_mapping(test_config)
    app.extensions["mutualplan"] = services
    app.register_blueprint(hooks)

    @app.errorhandler(MutualplanError)
    def _known(error: MutualplanError) -> tuple[Any, int]:
        return jsonify(error=str(error)), 503

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> tuple[Any, int]:
        return jsonify(error=error.description), error.code or 500

    return app
