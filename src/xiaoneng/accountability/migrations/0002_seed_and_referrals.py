"""Reference data (its own copy: history must not change when today's seed does), the new
permissions for the built-in roles, and the spot-check referrals recorded before this app
existed turned into cases (一案双查 proposed from the org chart as it is now)."""

from django.db import migrations
from django.utils import timezone

MEASURES = [
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
STEP_LIMITS = [
    ("registered", 3),
    ("reviewing", 10),
    ("filed", 5),
    ("investigating", 30),
    ("proposed", 5),
    ("approved", 5),
    ("served", 5),
    ("appealing", 15),
]
GRANTS = {
    "sysadmin": [
        "accountability.view",
        "accountability.manage",
        "accountability.approve",
        "assessment.manage",
        "award.nominate",
        "award.decide",
    ],
    "office": [
        "accountability.view",
        "accountability.manage",
        "assessment.manage",
        "award.nominate",
        "award.decide",
    ],
    "discipline": ["accountability.view", "accountability.manage"],
    "leader": ["accountability.view", "accountability.approve"],
    "unit_admin": ["award.nominate"],
}


def seed(apps, schema_editor):
    Measure = apps.get_model("accountability", "Measure")
    StepLimit = apps.get_model("accountability", "StepLimit")
    Role = apps.get_model("core", "Role")
    for code, name, rank, referral in MEASURES:
        Measure.objects.get_or_create(
            code=code, defaults={"name": name, "rank": rank, "referral_only": referral}
        )
    for status, days in STEP_LIMITS:
        StepLimit.objects.get_or_create(status=status, defaults={"working_days": days})
    for code, perms in GRANTS.items():
        for role in Role.objects.filter(code=code):
            missing = [p for p in perms if p not in (role.permissions or [])]
            if missing:
                role.permissions = [*(role.permissions or []), *missing]
                role.save(update_fields=["permissions"])


def referrals_to_cases(apps, schema_editor):
    Referral = apps.get_model("rectification", "AccountabilityReferral")
    Case = apps.get_model("accountability", "Case")
    Subject = apps.get_model("accountability", "Subject")
    for referral in Referral.objects.filter(picked_up=False).select_related(
        "item", "item__responsible_department", "item__responsible_unit__principal"
    ).order_by("created_at", "pk"):
        item = referral.item
        year = timezone.localtime(referral.created_at).year
        # looked up here, not above: the test reseeding replays this migration against today's
        # models (CaseSequence is gone since 0004, core.NumberSequence) with no referral left
        Sequence = apps.get_model("accountability", "CaseSequence")
        seq, _ = Sequence.objects.get_or_create(year=year)
        seq.last += 1
        seq.save()
        case = Case.objects.create(
            number=f"WZ{year}{seq.last:06d}",
            title=f"抽查未通过：{item.number}",
            summary=referral.note,
            source="spot_check",
            unit_id=item.responsible_unit_id,
            department_id=item.responsible_department_id,
            item_id=item.pk,
            referral_id=referral.pk,
            status="registered",
            step_started_at=referral.created_at,
            created_by_id=referral.created_by_id,
            created_at=referral.created_at,
        )
        people = []
        if item.responsible_person_id:
            people.append((item.responsible_person_id, "direct"))
        dept = item.responsible_department
        if dept is not None:
            people += [(dept.head_id, "department_head"), (dept.leader_in_charge_id, "leader_in_charge")]
        people.append((item.responsible_unit.principal_id, "principal"))
        seen = set()
        Person = apps.get_model("core", "Person")
        for order, (person_id, role) in enumerate(people):
            if person_id and person_id not in seen:
                seen.add(person_id)
                person = Person.objects.get(pk=person_id)
                Subject.objects.create(
                    case=case,
                    person_id=person_id,
                    name=person.name,
                    position=person.position,
                    role=role,
                    position_order=order,
                )
        referral.picked_up = True
        referral.save(update_fields=["picked_up"])


class Migration(migrations.Migration):
    dependencies = [
        ("accountability", "0001_initial"),
        ("core", "0002_seed_reference_data"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(referrals_to_cases, migrations.RunPython.noop),
    ]
