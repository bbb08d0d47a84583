"""What the web layer works with: the services bootstrap wired, found on the current app."""

from __future__ import annotations

from flask import current_app

from mutualplan.app.services import Services


def services() -> Services:
    """The current app's services."""
    found: Services = current_app.extensions["mutualplan"]
    return found
