"""Accountability's contribution to the assessment registry (``core.indicators``)."""

from . import indicators  # noqa: F401  (registers the built-in sources and vetoes)
