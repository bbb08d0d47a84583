"""The Flask app: create_app() with blueprints; the adapters come from bootstrap (or a test's own)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from mutualplan.app.services import Services
from mutualplan.config import Config
from mutualplan.errors import InputError, MutualplanError
from mutualplan.web.addon_plan import addon  # the blueprint, with the plan's buttons on it
from mutualplan.web.auth import CachedRequest
from mutualplan.web.hooks import hooks
from mutualplan.web.oauth import oauth
from mutualplan.web.pictures import pictures
from mutualplan.web.unsubscribe import unsubscribe


def create_app(
    services: Services, config: Config | None = None, test_config: Mapping[str, Any] | None = None
) -> Flask:
    """The app, wired to its services and settings; test_config overrides Flask settings."""
    settings = config or Config.from_env()
    app = Flask(__name__)
    app.config.from_mapping(
        PUBLIC_URL=settings.public_url,
        ADDON_SERVICE_ACCOUNT=settings.addon_service_account,
        SCHEDULER_ACCOUNT=settings.scheduler_account,
        # App Engine strips X-Appengine-Cron from outside requests; nowhere else is it to be trusted.
        TRUST_APPENGINE_CRON=bool(os.environ.get("GAE_APPLICATION")),
        SANDBOX=False,
        TOKEN_TRANSPORT=CachedRequest(),
        SECRET_KEY_FOR_SEALING=settings.secret_key,
        OAUTH_CLIENT_ID=settings.oauth_client_id,
        OAUTH_CLIENT_SECRET=settings.oauth_client_secret,
    )
    if test_config:
        app.config.from_mapping(test_config)
    app.extensions["mutualplan"] = services
    for blueprint in (hooks, addon, oauth, unsubscribe, pictures):
        app.register_blueprint(blueprint)

    @app.errorhandler(MutualplanError)
    def _known(error: MutualplanError) -> tuple[Any, int]:
        return jsonify(error=str(error)), 400 if isinstance(error, InputError) else 503

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> tuple[Any, int]:
        return jsonify(error=error.description), error.code or 500

    return app
