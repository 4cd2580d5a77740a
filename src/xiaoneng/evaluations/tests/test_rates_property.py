"""Property: for any mix of answers the rates are the textbook formulas, rounded half up."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from xiaoneng.evaluations.rates import Rate

counts = st.integers(min_value=0, max_value=10_000)


@settings(deadline=None)  # a busy shared machine must not fail a pure function
@given(counts, counts, counts, counts)
def test_rates_follow_the_formulas(satisfied, basic, unsatisfied, unanswered):
    row = Rate(
        key=1, label="x", satisfied=satisfied, basically_satisfied=basic, unsatisfied=unsatisfied
    )
    row.issued = satisfied + basic + unsatisfied + unanswered
    row.used = satisfied + basic + unsatisfied
    valid = satisfied + basic + unsatisfied
    if valid == 0:
        assert row.satisfaction_rate is None
    else:
        expected = (Decimal(satisfied + basic) * 100 / valid).quantize(
            Decimal("0.01"), ROUND_HALF_UP
        )
        assert row.satisfaction_rate == expected
        assert Decimal(0) <= row.satisfaction_rate <= Decimal(100)
    if row.issued:
        assert row.response_rate == (Decimal(row.used) * 100 / row.issued).quantize(
            Decimal("0.01"), ROUND_HALF_UP
        )
