"""Where a model sits in the organisation, for data-scope rules (see scope.py)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ScopeFields:
    """Paths from a model to the organisation; "" means the model itself, None means n/a."""

    unit: str | None = "unit"
    department: str | None = None
    person: str | None = None
    # Extra rule: rows the user created or is party to, e.g. "created_by".
    owner: str | None = None
