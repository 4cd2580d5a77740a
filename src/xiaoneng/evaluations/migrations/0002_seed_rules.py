"""Seed the evaluation rules (data an administrator edits afterwards) from seeds 000/001/003 and
grant the new permission codes to the built-in roles of an existing installation.

The data is this migration's own copy, so later edits of the code never change history."""

from django.db import migrations

RATING_POINTS = [("satisfied", 100), ("basically_satisfied", 70), ("unsatisfied", 0)]
GRADE_BANDS = [
    ("good", "好", 85, False),
    ("fairly_good", "较好", 75, False),
    ("average", "一般", 60, False),
    ("poor", "差", 0, True),
]
# seed 001: 首次的发函提醒，连续两次的诫勉谈话，连续三次以上的调离岗位或予以免职
LADDER = [(1, "reminder_letter"), (2, "admonishing_talk"), (3, "removal")]
# seed 000: 排名靠前的通报表扬；后三名的党政主要负责人诫勉谈话，责令限期整改
RANKING = [
    ("top", 3, "commendation", False, 0),
    ("bottom", 3, "admonishing_talk", True, 0),
    ("bottom", 3, "rectification", True, 30),
]
# PRODUCT.md 16, 九项准则 (2021): one-vote-veto items
VETOES = [
    ("red_envelope", "索取、收受患者及其亲友红包"),
    ("kickback", "收受药品、器械、耗材等回扣或商业提成"),
    ("overcharge", "严重违规收费、乱收费"),
    ("insurance_fraud", "参与欺诈骗取医保基金"),
    ("forged_records", "伪造、篡改医疗文书"),
    ("privacy_leak", "泄露患者隐私造成严重后果"),
    ("referral_profit", "违规牟利转介患者"),
]
ETHICS_RULE = {
    "self_weight": 20,
    "department_weight": 30,
    "unit_weight": 50,
    "complaint_deduction": 10,
    "excellent_min": 90,
    "good_min": 80,
    "average_min": 60,
}
ROLE_PERMISSIONS = {
    "sysadmin": ["evaluation.manage", "survey.distribute", "ethics.evaluate", "ethics.grade"],
    "office": ["evaluation.manage", "survey.distribute", "ethics.grade"],
    "unit_admin": ["survey.distribute", "ethics.evaluate", "ethics.grade"],
    "dept_head": ["ethics.evaluate"],
}


def seed(apps, schema_editor):
    RatingPoints = apps.get_model("evaluations", "RatingPoints")
    GradeBand = apps.get_model("evaluations", "GradeBand")
    LadderStep = apps.get_model("evaluations", "LadderStep")
    RankingRule = apps.get_model("evaluations", "RankingRule")
    VetoItem = apps.get_model("evaluations", "VetoItem")
    EthicsRule = apps.get_model("evaluations", "EthicsRule")
    Role = apps.get_model("core", "Role")
    for rating, points in RATING_POINTS:
        RatingPoints.objects.get_or_create(rating=rating, defaults={"points": points})
    for code, label, minimum, poor in GRADE_BANDS:
        GradeBand.objects.get_or_create(
            code=code, defaults={"label": label, "min_score": minimum, "is_poor": poor}
        )
    for consecutive, measure in LADDER:
        LadderStep.objects.get_or_create(consecutive=consecutive, defaults={"measure": measure})
    if not RankingRule.objects.exists():
        for end, count, measure, principal, days in RANKING:
            RankingRule.objects.create(
                end=end, count=count, measure=measure, to_principal=principal, rectify_days=days
            )
    for order, (code, name) in enumerate(VETOES):
        VetoItem.objects.get_or_create(code=code, defaults={"name": name, "order": order})
    if not EthicsRule.objects.exists():
        EthicsRule.objects.create(**ETHICS_RULE)
    for code, perms in ROLE_PERMISSIONS.items():
        for role in Role.objects.filter(code=code, is_builtin=True):
            missing = [p for p in perms if p not in role.permissions]
            if missing:
                role.permissions = [*role.permissions, *missing]
                role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0001_initial"),
        ("core", "0002_seed_reference_data"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
