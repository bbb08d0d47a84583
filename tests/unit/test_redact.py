"""No sealed token reaches a log: request lines and error reports are masked (BAD_INPUTS 52)."""

from __future__ import annotations

import logging

import pytest
from flask import Flask

from mutualplan.web.redact import REDACTED, redact, redact_logs

TOKEN = "gAAAAABn-secret_token.part"


@pytest.mark.parametrize(
    ("line", "masked"),
    [
        (f"GET /confirm/{TOKEN} HTTP/1.1", f"GET /confirm/{REDACTED} HTTP/1.1"),
        (f"POST /join/{TOKEN}?x=1 HTTP/1.1", f"POST /join/{REDACTED}?x=1 HTTP/1.1"),
        (f"GET /unsubscribe?t={TOKEN} HTTP/1.1", f"GET /unsubscribe?t={REDACTED} HTTP/1.1"),
        (f"GET /timeline.svg?t={TOKEN}&w=2", f"GET /timeline.svg?t={REDACTED}&w=2"),
        (f"/oauth/start?ticket={TOKEN}", f"/oauth/start?ticket={REDACTED}"),
        (f"/oauth/callback?state={TOKEN}&code={TOKEN}", f"/oauth/callback?state={REDACTED}&code={REDACTED}"),
        ("GET /sandbox/api/state?sheet=s1 HTTP/1.1", "GET /sandbox/api/state?sheet=s1 HTTP/1.1"),
    ],
)
def test_every_kind_of_sealed_token_is_masked_and_nothing_else(line: str, masked: str) -> None:
    assert redact(line) == masked


def test_request_lines_and_error_reports_reach_no_handler_with_a_token(
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = Flask(__name__)
    redact_logs(app)
    redact_logs(app)  # installing twice filters once
    assert sum(type(each).__name__ == "RedactTokens" for each in app.logger.filters) == 1
    with caplog.at_level(logging.INFO):
        logging.getLogger("werkzeug").info('127.0.0.1 - - "%s" %s', f"GET /confirm/{TOKEN} HTTP/1.1", 200)
        logging.getLogger("gunicorn.access").info(
            '%(h)s "%(r)s"', {"h": "1.2.3.4", "r": f"GET /join/{TOKEN}"}
        )
        try:
            raise ValueError(f"bad link /confirm/{TOKEN}")
        except ValueError:
            app.logger.exception("Exception on %s [GET]", f"/confirm/{TOKEN}")
    text = caplog.text
    assert TOKEN not in text
    assert f'"GET /confirm/{REDACTED} HTTP/1.1" 200' in text
    assert f'1.2.3.4 "GET /join/{REDACTED}"' in text
    assert f"Exception on /confirm/{REDACTED} [GET]" in text
    assert f"ValueError: bad link /confirm/{REDACTED}" in text
