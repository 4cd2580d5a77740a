"""Logging filters.

``OneLineClientErrors``: Django logs a refused request (``PermissionDenied`` → 403, a bad request
→ 400) on ``django.request`` with the exception attached, so every 403 printed a full traceback.
A refusal is an expected answer, not a fault: this filter keeps the one-line message
("Forbidden (Permission denied): /path") and drops the traceback for every status below 500.
Server errors (5xx) keep theirs.
"""

from __future__ import annotations

import logging


class OneLineClientErrors(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
