"""The WSGI entry point for gunicorn: `gunicorn 'wsgi:create()'` builds the app when the worker starts."""

from __future__ import annotations

from flask import Flask

from mutualplan.bootstrap.google import production_app


def create() -> Flask:
    """The production app, from MUTUALPLAN_* settings."""
    return production_app()
