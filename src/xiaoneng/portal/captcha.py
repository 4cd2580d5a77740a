"""An offline captcha: a small arithmetic question drawn as a PNG with Pillow (no internet, no
third-party service). The answer stays on the server, as a keyed hash in the visitor's session;
it is good for one check only and expires after ``TTL_SECONDS``.

Test hook: when ``XIAONENG_ENV=test`` (``settings.TESTING``) the plain answer of the latest
question of each session is also kept in memory, and :func:`answer_for_tests` returns it so
browser tests (whose live server runs in the test process) can type it. Outside the test
environment the hook records nothing and refuses to answer.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import secrets
import threading

from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

from xiaoneng.core import clock

SESSION_KEY = "portal_captcha"
TTL_SECONDS = 10 * 60
WIDTH, HEIGHT = 180, 60

_test_answers: dict[str, str] = {}
_test_lock = threading.Lock()


def _digest(answer: str, salt: str) -> str:
    key = f"portal-captcha:{settings.SECRET_KEY}".encode()
    return hmac.new(key, f"{salt}:{answer}".encode(), hashlib.sha256).hexdigest()


def new_question() -> tuple[str, str]:
    """('7 + 5 = ?', '12'): additions and subtractions with a non-negative result."""
    rng = secrets.SystemRandom()
    a, b = rng.randint(1, 20), rng.randint(1, 9)
    if rng.random() < 0.5 or a < b:
        return f"{a} + {b} = ?", str(a + b)
    return f"{a} - {b} = ?", str(a - b)


def _font(size: int):
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow without FreeType: the small bitmap font
        return ImageFont.load_default()


def render(text: str) -> bytes:
    """The question as a PNG with some noise (lines and dots) against trivial OCR."""
    rng = secrets.SystemRandom()
    image = Image.new("RGB", (WIDTH, HEIGHT), (245, 247, 250))
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        draw.line(
            [(rng.randint(0, WIDTH), rng.randint(0, HEIGHT)) for _ in range(2)],
            fill=(rng.randint(150, 210), rng.randint(150, 210), rng.randint(150, 210)),
            width=1,
        )
    font = _font(30)
    x = 12
    for ch in text:
        y = rng.randint(6, 16)
        colour = (rng.randint(0, 90), rng.randint(0, 90), rng.randint(60, 140))
        draw.text((x, y), ch, font=font, fill=colour)
        box = draw.textbbox((x, y), ch, font=font)
        x = box[2] + (4 if ch.strip() else 2)
    for _ in range(120):
        draw.point((rng.randint(0, WIDTH - 1), rng.randint(0, HEIGHT - 1)), fill=(120, 120, 120))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def issue(request) -> bytes:
    """A new question for this session (replacing any earlier one); returns the PNG."""
    text, answer = new_question()
    salt = secrets.token_hex(8)
    request.session[SESSION_KEY] = {
        "salt": salt,
        "hash": _digest(answer, salt),
        "expires": clock.now().timestamp() + TTL_SECONDS,
    }
    if getattr(settings, "TESTING", False):
        if not request.session.session_key:
            request.session.save()
        with _test_lock:
            _test_answers[request.session.session_key] = answer
    return render(text)


def check(request, answer: str) -> bool:
    """True when ``answer`` solves this session's question; the question is used up either way."""
    stored = request.session.pop(SESSION_KEY, None)
    if not stored or not isinstance(stored, dict):
        return False
    if clock.now().timestamp() > float(stored.get("expires") or 0):
        return False
    given = (answer or "").strip()
    if not given or len(given) > 10:
        return False
    return hmac.compare_digest(_digest(given, stored.get("salt", "")), stored.get("hash", ""))


def answer_for_tests(session_key: str) -> str:
    """The answer of the latest question of a session — test environment only."""
    if not getattr(settings, "TESTING", False):
        raise RuntimeError("the captcha test hook works only with XIAONENG_ENV=test")
    with _test_lock:
        return _test_answers[session_key]
