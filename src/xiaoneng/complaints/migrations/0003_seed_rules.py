"""Seed the complaint engine's reference data (rules are data, editable in the admin):

- Category: the problem taxonomy of PRODUCT.md "Problem taxonomy";
- SlaPolicy: PRODUCT.md "Time rules" (priority order; the first match wins);
- EscalationRule: 50 % → department head, 80 % → leader in charge, 100 % → principal + office;
- ComplaintRules: one row with the defaults.
"""

from django.db import migrations

CATEGORIES = [
    (
        "庸懒散慢拖",
        [
            ("mediocrity", "庸（能力不足、庸碌无为）"),
            ("laziness", "懒（消极懈怠）"),
            ("laxity", "散（纪律松散）"),
            ("slowness", "慢（办事拖拉、效率低下）"),
            ("procrastination", "拖（推拖不办、久拖不决）"),
            ("inaction", "不作为"),
            ("slow_action", "慢作为"),
            ("arbitrary_action", "乱作为"),
            ("sham_action", "假作为"),
            ("buck_passing", "推诿扯皮"),
            ("hard_to_access", "门难进、脸难看、事难办"),
            ("extortion", "吃拿卡要"),
        ],
    ),
    (
        "四风",
        [
            ("formalism", "形式主义"),
            ("bureaucratism", "官僚主义"),
            ("hedonism", "享乐主义"),
            ("extravagance", "奢靡之风"),
        ],
    ),
    (
        "工作纪律",
        [
            ("late_early_leave", "迟到早退"),
            ("absent_from_post", "脱岗串岗"),
            ("non_work_activities", "上班时间干与工作无关的事"),
            ("drinking_on_workdays", "工作日饮酒"),
        ],
    ),
    (
        "医德医风",
        [  # 医疗机构工作人员廉洁从业九项准则 (2021)
            ("commercial_commission", "商业提成"),
            ("insurance_fraud", "欺诈骗保"),
            ("excessive_treatment", "过度诊疗"),
            ("improper_donations", "违规接受捐赠"),
            ("privacy_leak", "泄露患者隐私"),
            ("referral_for_profit", "牟利转介患者"),
            ("unfair_access", "破坏就医公平"),
            ("red_envelope", "收受红包"),
            ("kickback", "收受回扣"),
        ],
    ),
    (
        "服务",
        [
            ("poor_attitude", "服务态度差（生冷硬推拖）"),
            ("improper_charges", "乱收费、分解收费、重复收费"),
            ("over_prescription", "大处方、滥检查"),
            ("long_waits", "“三长一短”（挂号、缴费、取药时间长，看病时间短）"),
            ("poor_environment", "就医环境脏乱差"),
            ("medical_quality", "医疗质量与安全"),
        ],
    ),
    (
        "管理",
        [
            ("rules_not_implemented", "制度落实不到位（首诊负责、三级查房等核心制度）"),
            ("financial_violation", "财务违规"),
            ("safety_hazard", "安全隐患"),
        ],
    ),
    ("其他", [("other", "其他")]),
]

WD, WH, ND, MO = "working_days", "working_hours", "natural_days", "months"
H12345 = ["hotline_12345"]

# code, name, priority, conditions, (sign), (feedback), (resolve), source
POLICIES = [
    (
        "price",
        "价格投诉（医疗机构）",
        10,
        {"price_related": True},
        (1, WD),
        (None, ""),
        (3, WD),
        "seed 000: 价格投诉3个工作日内调查处理并答复投诉人和主管部门",
    ),
    (
        "h12345_enquiry",
        "12345转办：咨询求助",
        20,
        {"channel": H12345, "type": ["enquiry"]},
        (24, WH),
        (None, ""),
        (3, WD),
        "河南12345热线：24小时签收（遇非工作日顺延）；咨询求助3个工作日",
    ),
    (
        "h12345_suggestion",
        "12345转办：意见建议、表扬",
        21,
        {"channel": H12345, "type": ["suggestion", "praise"]},
        (24, WH),
        (None, ""),
        (5, WD),
        "河南12345热线：意见建议5个工作日",
    ),
    (
        "h12345_complaint",
        "12345转办：投诉、举报",
        22,
        {"channel": H12345, "type": ["complaint", "report"]},
        (24, WH),
        (None, ""),
        (10, WD),
        "河南12345热线：投诉举报10个工作日",
    ),
    (
        "leader_13710_complex",
        "领导交办（13710）：重大复杂事项",
        30,
        {"matter": ["leader_assigned"], "complex_matter": True},
        (0, ND),
        (3, WD),
        (1, MO),
        "河南13710工作制度：当日交办、3日反馈、重大复杂事项1个月",
    ),
    (
        "leader_13710",
        "领导交办（13710）",
        31,
        {"matter": ["leader_assigned"]},
        (0, ND),
        (3, WD),
        (7, WD),
        "河南13710工作制度：当日交办、3日反馈、7日办结",
    ),
    (
        "discipline_forwarded",
        "纪检监察机关转办",
        40,
        {"matter": ["discipline_forwarded"]},
        (1, WD),
        (None, ""),
        (5, WD),
        "纪检监察机关处理检举控告工作规则：5个工作日内受理或转办",
    ),
    (
        "medical_multi",
        "医疗投诉（涉及多个科室）",
        50,
        {"matter": ["medical"], "multi_department": True},
        (1, WD),
        (None, ""),
        (10, WD),
        "医疗机构投诉管理办法（2019）：涉及多个科室10个工作日",
    ),
    (
        "medical",
        "医疗投诉",
        51,
        {"matter": ["medical"]},
        (1, WD),
        (None, ""),
        (5, WD),
        "医疗机构投诉管理办法（2019）：5个工作日",
    ),
    (
        "efficiency_complex",
        "行政效能投诉（复杂）",
        60,
        {"matter": ["efficiency"], "complex_matter": True},
        (1, WD),
        (None, ""),
        (60, WD),
        "地方效能投诉规定：复杂事项60个工作日",
    ),
    (
        "efficiency",
        "行政效能投诉",
        61,
        {"matter": ["efficiency"]},
        (1, WD),
        (None, ""),
        (30, WD),
        "地方效能投诉规定：30个工作日",
    ),
    (
        "real_name_report",
        "实名举报",
        70,
        {"type": ["report"], "real_name": True},
        (1, WD),
        (15, WD),
        (15, WD),
        "纪检监察机关处理检举控告工作规则：15个工作日内告知受理情况/结果",
    ),
    (
        "default",
        "一般事项",
        1000,
        {},
        (1, WD),
        (3, WD),
        (7, WD),
        "默认：1个工作日签收、3个工作日反馈、7个工作日办结",
    ),
]

ESCALATION = [(50, 1, False), (80, 2, False), (100, 3, True)]


def forwards(apps, schema_editor):
    Category = apps.get_model("complaints", "Category")
    SlaPolicy = apps.get_model("complaints", "SlaPolicy")
    EscalationRule = apps.get_model("complaints", "EscalationRule")
    ComplaintRules = apps.get_model("complaints", "ComplaintRules")

    order = 0
    for group, items in CATEGORIES:
        for code, name in items:
            order += 10
            Category.objects.get_or_create(
                code=code, defaults={"name": name, "group": group, "sort_order": order}
            )
    for code, name, priority, conditions, sign, feedback, resolve, source in POLICIES:
        SlaPolicy.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "priority": priority,
                "conditions": conditions,
                "sign_value": sign[0],
                "sign_unit": sign[1],
                "feedback_value": feedback[0],
                "feedback_unit": feedback[1],
                "resolve_value": resolve[0],
                "resolve_unit": resolve[1],
                "source": source,
            },
        )
    for percent, level, notify_office in ESCALATION:
        EscalationRule.objects.get_or_create(
            percent=percent, defaults={"level": level, "notify_office": notify_office}
        )
    if not ComplaintRules.objects.exists():
        ComplaintRules.objects.create()


def backwards(apps, schema_editor):
    apps.get_model("complaints", "SlaPolicy").objects.filter(
        code__in=[p[0] for p in POLICIES]
    ).delete()
    apps.get_model("complaints", "EscalationRule").objects.filter(
        percent__in=[e[0] for e in ESCALATION]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("complaints", "0002_idempotency")]
    operations = [migrations.RunPython(forwards, backwards)]
