"""Who may call: the add-on endpoints take only Google-signed ID tokens of the add-on's service account;
the cron endpoints only App Engine's cron or an OIDC token of the scheduler's service account; the task
endpoint only an OIDC token of the tasks account."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import abort, request

from mutualplan.web.context import services

P = ParamSpec("P")
R = TypeVar("R")


def _signed_by(account: str) -> bool:
    """True when the request carries a Google-signed ID token of that account, for this endpoint's URL
    or the public base URL (either is what Google signs for)."""
    base = services().config.public_url
    audiences = [base + request.path, base] if base else []
    email = services().identity.verified_email(request.headers.get("Authorization"), audiences)
    return bool(account) and email == account


def _is_loopback() -> bool:
    try:
        return ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        return False


def addon_only(endpoint: Callable[P, R]) -> Callable[P, R]:
    """401 with nothing done unless Google signed the call for the add-on's service account."""

    @wraps(endpoint)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
        wired = services()
        sandboxed = wired.sandbox and _is_loopback()  # the local sandbox, on loopback only
        if not sandboxed and not _signed_by(wired.config.addon_service_account):
            abort(401, "this endpoint answers Google Workspace's add-on calls only")
        return endpoint(*args, **kwargs)

    return guarded


def cron_only(endpoint: Callable[P, R]) -> Callable[P, R]:
    """403 unless App Engine's cron called (its header is trusted only on App Engine, which strips it
    from outside requests), or the scheduler's service account with a Google-signed OIDC token."""

    @wraps(endpoint)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
        config = services().config
        app_engine = config.on_app_engine and request.headers.get("X-Appengine-Cron") == "true"
        if not app_engine and not _signed_by(config.scheduler_account):
            abort(403, "cron endpoints answer App Engine's cron and the configured scheduler only")
        return endpoint(*args, **kwargs)

    return guarded


def tasks_only(endpoint: Callable[P, R]) -> Callable[P, R]:
    """403 unless Cloud Tasks called with a Google-signed OIDC token of the tasks account."""

    @wraps(endpoint)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
        if not _signed_by(services().config.tasks_account):
            abort(403, "the task endpoint answers the configured Cloud Tasks account only")
        return endpoint(*args, **kwargs)

    return guarded
