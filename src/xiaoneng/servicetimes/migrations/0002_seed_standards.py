"""Seed the service time standards (限时服务) from seed 000 §二.2–3 and seed 003 (窗口行业规范化
服务), a default log source, and the permission for the built-in roles of databases seeded
before this app. The data is this migration's own copy."""

from django.db import migrations

SEED_000 = (
    "落实限时服务各项规定,急诊病人到院后医护人员5分钟内处置;医生急诊会诊10分钟内到达救治现场;"
    "主治医师首次查房记录在入院后48小时内完成;三大常规等检验项目,急诊30分钟内出报告,"
    "放射科急诊摄片30分钟内出报告、平诊2小时内出报告,b超30分钟内出报告。"
)
SEED_000_WINDOW = "缩短病人候诊时间,挂号、划价、收费、取药等服务窗口不超过10分钟"
SEED_003_QUEUE = "挂号、收费、发药等服务窗口排队等候不超过15分钟。"

# code, name, start event, end event, minutes, missing end, source quote
STANDARDS = [
    ("er-treatment", "急诊病人到院后医护人员处置", "er_arrival", "er_first_treatment", 5,
     "noncompliant", "急诊病人到院后医护人员5分钟内处置(方案000)"),
    ("er-consult", "医生急诊会诊到达救治现场", "consult_request", "consult_arrival", 10,
     "noncompliant", "医生急诊会诊10分钟内到达救治现场(方案000)"),
    ("first-ward-round", "主治医师首次查房记录", "admission", "first_round_record", 48 * 60,
     "noncompliant", "主治医师首次查房记录在入院后48小时内完成(方案000)"),
    ("lab-emergency", "三大常规等检验项目急诊出报告", "lab_sample_received", "lab_report", 30,
     "excluded", "三大常规等检验项目,急诊30分钟内出报告(方案000)"),
    ("radiology-emergency", "放射科急诊摄片出报告", "xray_er_exam", "xray_er_report", 30,
     "excluded", "放射科急诊摄片30分钟内出报告(方案000)"),
    ("radiology-routine", "放射科平诊出报告", "xray_exam", "xray_report", 120,
     "excluded", "放射科……平诊2小时内出报告(方案000)"),
    ("ultrasound", "B超出报告", "us_exam", "us_report", 30,
     "excluded", "b超30分钟内出报告(方案000)"),
    ("window-service", "挂号、划价、收费、取药等服务窗口", "window_call", "window_done", 10,
     "excluded", SEED_000_WINDOW + "(方案000)"),
    ("window-queue", "服务窗口排队等候", "queue_ticket", "window_call", 15,
     "excluded", SEED_003_QUEUE + "(方案003)"),
]
ROLE_PERMISSIONS = {"sysadmin": ["servicetime.manage"], "office": ["servicetime.manage"]}
SOURCE = (
    "his",
    "医院信息系统(HIS)",
    {
        "encounter": "就诊号",
        "event": "事件",
        "timestamp": "时间",
        "unit": "机构编码",
        "department": "科室",
        "staff": "工号",
    },
)


def seed(apps, schema_editor):
    Standard = apps.get_model("servicetimes", "ServiceStandard")
    for order, (code, name, start, end, minutes, missing, quote) in enumerate(STANDARDS, 1):
        Standard.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "start_event": start,
                "end_event": end,
                "limit_minutes": minutes,
                "calendar_kind": "natural",
                "threshold_percent": 95,
                "missing_end": missing,
                "source_quote": quote,
                "order": order,
            },
        )
    Source = apps.get_model("servicetimes", "LogSource")
    code, name, mapping = SOURCE
    Source.objects.get_or_create(code=code, defaults={"name": name, "mapping": mapping})
    Role = apps.get_model("core", "Role")
    for role_code, perms in ROLE_PERMISSIONS.items():
        role = Role.objects.filter(code=role_code).first()
        if role is None:
            continue
        missing_perms = [p for p in perms if p not in role.permissions]
        if missing_perms:
            role.permissions = [*role.permissions, *missing_perms]
            role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [
        ("servicetimes", "0001_initial"),
        ("core", "0002_seed_reference_data"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
