"""Database sessions whose sliding idle expiry is written at most once a minute.

The 30-minute idle timeout slides with activity (``SESSION_SAVE_EVERY_REQUEST``). Django's
database store writes the row on every request to do that: a transaction of three statements
(BEGIN, UPDATE, COMMIT) on every page. Here a request that changed nothing in the session
skips the write while the stored expiry is less than ``REFRESH_SECONDS`` old, so the idle
window is 29–30 minutes instead of exactly 30 and a busy page costs no write at all.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils import timezone

REFRESH_SECONDS = 60


class SessionStore(DatabaseSessionStore):
    _stored_expiry = None

    def _get_session_from_db(self):
        session = super()._get_session_from_db()
        self._stored_expiry = session.expire_date if session is not None else None
        return session

    def save(self, must_create: bool = False) -> None:
        if not must_create and not self.modified and self._recently_refreshed():
            return
        super().save(must_create=must_create)

    def _recently_refreshed(self) -> bool:
        stored = self._stored_expiry
        if stored is None or self.session_key is None:
            return False
        # Django computes the expiry from the wall clock (timezone.now), so does this.
        renewed_at = stored - timedelta(seconds=self.get_session_cookie_age())
        return timezone.now() - renewed_at < timedelta(seconds=REFRESH_SECONDS)
