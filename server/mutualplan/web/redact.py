"""Sealed tokens never reach a log: a confirmation or plan link's path, and the `t`, `ticket`, `state`
and `code` of unsubscribe, timeline and OAuth links, are masked in every request line and error report
that werkzeug, gunicorn (access and error logs) and Flask write. A link in a log proves nothing anymore."""

from __future__ import annotations

import logging
import re

from flask import Flask

REDACTED = "[redacted]"
_PATH_TOKEN = re.compile(r"(/(?:confirm|join)/)[^\s/?#\"'<>]+")
_QUERY_TOKEN = re.compile(r"([?&;](?:t|ticket|state|code|token)=)[^\s&#\"'<>]+")
# The request and error logs of the servers the app runs under (the app's own logger is added per app).
SERVER_LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error")


def redact(text: str) -> str:
    """Text with every sealed token in a path or query masked."""
    return _QUERY_TOKEN.sub(rf"\g<1>{REDACTED}", _PATH_TOKEN.sub(rf"\g<1>{REDACTED}", text))


class RedactTokens(logging.Filter):
    """Masks sealed tokens in a record's message and in its traceback's text, before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Mask, and always keep the record."""
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def redact_logs(app: Flask) -> None:
    """Mask tokens in the app's error reports and in the request logs of werkzeug and gunicorn."""
    for logger in (app.logger, *map(logging.getLogger, SERVER_LOGGERS)):
        if not any(isinstance(each, RedactTokens) for each in logger.filters):
            logger.addFilter(RedactTokens())
