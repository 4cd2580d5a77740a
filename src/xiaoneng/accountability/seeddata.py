"""Reference data seeded from the seeds (000: 效能告诫…降低年度考核等次、待岗、调整工作岗位、通报批评、
诫勉谈话; 001: 一案双查, 调离岗位或予以免职; 003). Data migrations keep their own copies; this one
serves new assessment schemes and the demo."""

from decimal import Decimal

MEASURES = [
    # code, name, rank, referral only
    ("efficiency_warning", "效能告诫", 10, False),
    ("reminder_talk", "提醒谈话", 20, False),
    ("criticism_education", "批评教育", 30, False),
    ("written_examination", "责令书面检查", 40, False),
    ("circulated_criticism", "通报批评", 50, False),
    ("admonition_talk", "诫勉谈话", 60, False),
    ("lower_grade", "降低年度考核等次", 70, False),
    ("suspension", "待岗", 80, False),
    ("post_change", "调整工作岗位", 90, False),
    ("organisational", "组织调整（调离岗位/停职检查/责令辞职/免职）", 100, False),
    ("discipline_referral", "党纪政务处分（移送纪检监察）", 110, True),
]

# Working days per step (the office edits them).
STEP_LIMITS = [
    ("registered", 3),
    ("reviewing", 10),
    ("filed", 5),
    ("investigating", 30),
    ("proposed", 5),
    ("approved", 5),
    ("served", 5),  # the appeal period after the decision is served
    ("appealing", 15),
]

# A new year's scheme starts from these (code, name, source, rule, points, target, floor, per item).
INDICATORS = [
    ("complaints", "投诉按时办结率", "complaint_on_time", "rate", 15, 100, 60, 0),
    ("satisfaction", "群众满意率", "satisfaction", "rate", 15, 100, 60, 0),
    ("ledger", "整改台账清零率", "ledger_cleared", "rate", 20, 100, 50, 0),
    ("submissions", "专项活动按时报送率", "submissions_on_time", "rate", 10, 100, 50, 0),
    ("inspections", "明查暗访发现较重以上问题", "inspection_findings", "deduct", 10, None, None, 2),
    ("evaluation", "民主评议得分", "democratic_evaluation", "rate", 10, 100, 60, 0),
    ("cases", "问责案件", "accountability_cases", "deduct", 10, None, None, 5),
    ("work", "重点工作完成情况（办公室评定）", "manual", "manual", 10, None, None, 0),
]
VETOES = [
    # name, condition, params, grade at most
    (
        "主要责任人被组织调整或移送纪检监察",
        "case_measure",
        {"measures": ["organisational", "discipline_referral"]},
        "fail",
    ),
    ("抽查发现虚假整改", "false_rectification", {"results": ["false"]}, "pass"),
    ("严重问题未整改到位", "severe_finding_open", {}, "pass"),
    ("民主评议结果为差", "poor_evaluation", {}, "pass"),
]


def as_decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))
