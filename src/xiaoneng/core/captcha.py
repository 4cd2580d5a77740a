"""A small offline picture captcha for the login form (issue #21 item 11).

Shown only after repeated failed logins for a user name (``core.auth.needs_captcha``): with it
the real user still gets in while an attacker's scripted guesses are refused, so failed
attempts can no longer lock an account. No external service: the picture is drawn with
Pillow and sent inline (``data:`` URI); the answer stays in the server-side session and is
good for one try within ``TTL_SECONDS``.
"""

from __future__ import annotations

import base64
import hmac
import io
import secrets

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from . import clock

SESSION_KEY = "xn_login_captcha"
ALPHABET = "2345678ACDEFHJKLMNPRTUVWXY"  # no 0/O, 1/I, 9/g, B/8 look-alikes
LENGTH = 4
TTL_SECONDS = 600
SIZE = (150, 50)


def _font(size: int):
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow without FreeType: the fixed bitmap font
        return ImageFont.load_default()


def render(text: str) -> bytes:
    """A PNG of ``text`` with jitter, rotation and noise."""
    rng = secrets.SystemRandom()
    image = Image.new("RGB", SIZE, (246, 248, 250))
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        draw.line(
            [(rng.randint(0, SIZE[0]), rng.randint(0, SIZE[1])) for _ in range(2)],
            fill=(rng.randint(120, 200), rng.randint(120, 200), rng.randint(120, 200)),
            width=1,
        )
    x = 10
    for char in text:
        glyph = Image.new("RGBA", (40, 48), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text(
            (6, 2),
            char,
            font=_font(rng.randint(30, 36)),
            fill=(rng.randint(0, 90), rng.randint(0, 90), rng.randint(60, 140), 255),
        )
        glyph = glyph.rotate(rng.uniform(-25, 25), resample=Image.Resampling.BICUBIC, expand=False)
        image.paste(glyph, (x, rng.randint(-2, 6)), glyph)
        x += rng.randint(28, 34)
    for _ in range(120):
        draw.point(
            (rng.randrange(SIZE[0]), rng.randrange(SIZE[1])),
            fill=(rng.randint(80, 200), rng.randint(80, 200), rng.randint(80, 200)),
        )
    image = image.filter(ImageFilter.SMOOTH)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def new_challenge(request) -> str:
    """A fresh challenge kept in the session; returns the picture as a ``data:`` URI."""
    answer = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    request.session[SESSION_KEY] = {"answer": answer, "at": clock.now().timestamp()}
    return "data:image/png;base64," + base64.b64encode(render(answer)).decode()


def verify(request, given: str | None) -> bool:
    """Check the answer to the session's challenge; each challenge allows one try."""
    challenge = request.session.pop(SESSION_KEY, None)
    if not challenge or not given:
        return False
    if clock.now().timestamp() - float(challenge.get("at", 0)) > TTL_SECONDS:
        return False
    typed = "".join(given.split()).upper()
    return hmac.compare_digest(typed.encode(), str(challenge.get("answer", "")).encode())
