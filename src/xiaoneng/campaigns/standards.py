"""Target standards (测评标准) as the tables write them: "≥95%", "≤10分钟", ">1.2", "95%以上",
"不超过15分钟". ``parse`` splits one into comparator, value and unit; ``judge`` says whether a
measured value meets it (None when the standard has no number to compare against)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

PREFIX = {
    "≥": "ge",
    ">=": "ge",
    "≧": "ge",
    "＞＝": "ge",
    "不低于": "ge",
    "不少于": "ge",
    "至少": "ge",
    "达到": "ge",
    "≤": "le",
    "<=": "le",
    "≦": "le",
    "不超过": "le",
    "不高于": "le",
    "不多于": "le",
    "至多": "le",
    ">": "gt",
    "＞": "gt",
    "大于": "gt",
    "高于": "gt",
    "<": "lt",
    "＜": "lt",
    "小于": "lt",
    "低于": "lt",
    "=": "eq",
    "＝": "eq",
}
SUFFIX = {"以上": "ge", "及以上": "ge", "以内": "le", "以下": "le", "及以下": "le"}
SYMBOL = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<", "eq": "="}

_prefix = "|".join(sorted(map(re.escape, PREFIX), key=len, reverse=True))
_suffix = "|".join(sorted(map(re.escape, SUFFIX), key=len, reverse=True))
PATTERN = re.compile(
    rf"^\s*(?P<pre>{_prefix})?\s*(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>[^\d\s]*?)\s*(?P<suf>{_suffix})?\s*$"
)


@dataclass(frozen=True)
class Standard:
    comparator: str  # "" = not measurable
    value: Decimal | None
    unit: str

    @property
    def measurable(self) -> bool:
        return bool(self.comparator) and self.value is not None

    def __str__(self) -> str:
        if not self.measurable:
            return ""
        return f"{SYMBOL[self.comparator]}{_plain(self.value)}{self.unit}"


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def parse(text: str) -> Standard:
    """ "≥95%" → (ge, 95, "%"); "≤10分钟" → (le, 10, "分钟"); ">1.2" → (gt, 1.2, "")."""
    match = PATTERN.match(text or "")
    if not match:
        return Standard("", None, "")
    pre, suf = match["pre"], match["suf"]
    comparator = PREFIX.get(pre or "") or SUFFIX.get(suf or "") or ("eq" if not pre else "")
    if pre and suf:
        comparator = PREFIX[pre]
    try:
        value = Decimal(match["num"])
    except InvalidOperation:  # pragma: no cover - the pattern admits digits only
        return Standard("", None, "")
    return Standard(comparator, value, match["unit"] or "")


def judge(comparator: str, target: Decimal | None, measured: Decimal | None) -> bool | None:
    """Whether `measured` meets the standard; None when it cannot be judged."""
    if not comparator or target is None or measured is None:
        return None
    measured, target = Decimal(measured), Decimal(target)
    return {
        "ge": measured >= target,
        "gt": measured > target,
        "le": measured <= target,
        "lt": measured < target,
        "eq": measured == target,
    }[comparator]
