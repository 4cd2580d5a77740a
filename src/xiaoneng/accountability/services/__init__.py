"""Writes of accountability: cases (``cases``), the annual assessment (``assessment``) and
award nominations (``awards``)."""
