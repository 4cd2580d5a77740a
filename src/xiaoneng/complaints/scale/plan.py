"""Scale data for complaints: the mix of states, the paths through the workflow and the SLA
policy memo the generator uses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from xiaoneng.core import calendar as work_calendar

OPEN_FRACTION = 0.10  # share of complaints still open (the backlog the sweep looks at)
OPEN_WINDOW_DAYS = 90  # open cases were received within this many days
IDENTITY_POOL = 97
COMPLAINT_WEIGHT = {
    "bureau": 2,
    "hospital": 60,
    "tcm_hospital": 25,
    "mch_hospital": 20,
    "cdc": 4,
    "supervision": 2,
    "township": 6,
    "community": 4,
    "village": 1,
}
TITLES = [
    "{unit}{dept}服务态度差",
    "{unit}{dept}推诿扯皮",
    "{unit}{dept}办事拖拉",
    "{unit}{dept}乱收费",
    "{unit}{dept}排队时间长",
    "反映{unit}{dept}工作人员脱岗",
    "{unit}{dept}收受红包",
    "对{unit}{dept}的意见建议",
    "咨询{unit}{dept}办理流程",
    "表扬{unit}{dept}医护人员",
]
CONTENTS = [
    "本人于近日到{unit}就诊，{dept}工作人员态度生硬，问询多次无人答复，希望尽快核实处理。",
    "在{unit}{dept}办理业务时被要求多次往返，材料一次性告知不到位，耽误了时间。",
    "{unit}{dept}收费项目不清楚，怀疑存在重复收费，请相关部门调查并给予答复。",
    "上午在{unit}{dept}排队两个多小时，窗口只开了一个，看病时间却只有几分钟。",
    "感谢{unit}{dept}医护人员耐心细致的服务，特此表扬。",
]
REPLY = "经核查，已对相关人员进行批评教育并整改，已电话告知投诉人处理结果。"

TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_TRACK_MOD = 31**12
_TRACK_MUL = 0x5DEECE66D  # odd and not a multiple of 31: a bijection modulo 31**12


def tracking_code(n: int, salt: int) -> str:
    """A unique 12-character tracking code for complaint `n` (bijective scramble of n)."""
    value = ((n + salt) * _TRACK_MUL) % _TRACK_MOD
    out = []
    for _ in range(12):
        value, digit = divmod(value, 31)
        out.append(TRACKING_ALPHABET[digit])
    return "".join(out)


# --- plan ----------------------------------------------------------------------------------
class Policies:
    """SLA policy selection and deadlines, memoised (the calendar answers by local date)."""

    def __init__(self):
        from xiaoneng.complaints import sla
        from xiaoneng.complaints.models import SlaPolicy

        self.sla = sla
        self.policies = list(SlaPolicy.objects.filter(is_active=True).order_by("priority", "id"))
        self.cal = work_calendar.get_calendar()
        self._select: dict[tuple, Any] = {}
        self._due: dict[tuple, work_calendar.Deadline | None] = {}

    def select(self, probe) -> Any:
        key = (
            probe.channel,
            probe.type,
            probe.matter,
            probe.category.code,
            probe.price_related,
            probe.complex_matter,
            probe.multi_department,
            probe.anonymous,
        )
        if key not in self._select:
            self._select[key] = self.sla.select_policy(probe, self.policies)
        return self._select[key]

    def deadline(self, start: datetime, value, unit) -> work_calendar.Deadline | None:
        if value is None or not unit:
            return None
        # The calendar snapshot is used directly: a reload would query while a COPY is open.
        if unit == "working_hours":
            return self.cal.add_hours(start, value)
        key = (start.date(), value, unit)  # start is local time
        found = self._due.get(key)
        if found is None:
            method = {
                "working_days": self.cal.add_working_days,
                "natural_days": self.cal.add_natural_days,
                "months": self.cal.add_months,
            }[unit]
            found = self._due[key] = method(start, value)
        return found


@dataclass
class Probe:
    channel: str
    type: str
    matter: str
    category: Any
    price_related: bool
    complex_matter: bool
    multi_department: bool
    anonymous: bool


OPEN_MIX = [  # status, weight (among open cases)
    ("registered", 3),
    ("accepted", 2),
    ("dispatched", 10),
    ("signed", 10),
    ("handling", 45),
    ("paused", 3),
    ("replied", 12),
    ("verified", 8),
    ("visited", 7),
]
PATHS = {
    "registered": ["register"],
    "rejected": ["register", "reject"],
    "accepted": ["register", "accept"],
    "dispatched": ["register", "accept", "dispatch"],
    "signed": ["register", "accept", "dispatch", "sign"],
    "handling": ["register", "accept", "dispatch", "sign", "assign"],
    "paused": ["register", "accept", "dispatch", "sign", "assign", "pause"],
    "replied": ["register", "accept", "dispatch", "sign", "assign", "reply"],
    "verified": ["register", "accept", "dispatch", "sign", "assign", "reply", "verify"],
    "visited": [
        "register",
        "accept",
        "dispatch",
        "sign",
        "assign",
        "reply",
        "verify",
        "return_visit",
    ],
    "closed": [
        "register",
        "accept",
        "dispatch",
        "sign",
        "assign",
        "reply",
        "verify",
        "return_visit",
        "close",
    ],
}
TARGET = {
    "register": "registered",
    "reject": "rejected",
    "accept": "accepted",
    "dispatch": "dispatched",
    "sign": "signed",
    "assign": "handling",
    "pause": "paused",
    "reply": "replied",
    "verify": "verified",
    "return_visit": "visited",
    "close": "closed",
}
PUBLIC_ACTIONS = {"register", "reject", "accept", "reply", "close"}
# Typical hours after the previous step.
STEP_HOURS = {
    "reject": (2, 30),
    "accept": (0.5, 20),
    "dispatch": (0.5, 20),
    "sign": (1, 20),
    "assign": (0.5, 30),
    "pause": (5, 80),
    "reply": (20, 150),
    "verify": (5, 48),
    "return_visit": (10, 72),
    "close": (1, 24),
}
