"""Seed the document templates (one per kind, version 1; the office revises them as new
versions) and add the document permissions to the built-in roles of databases seeded before
this app. The data is this migration's own copy."""

from django.db import migrations
from django.utils import timezone

ROLE_PERMISSIONS = {
    "sysadmin": ["document.draft", "document.review", "document.sign", "document.receive"],
    "office": ["document.draft", "document.review"],
    "leader": ["document.sign"],
    "unit_admin": ["document.receive"],
}

# Each kind counts on its own (per issuing unit and year), so each kind has its own series
# mark: the unit's 发文字号 stays unique across kinds.
NUMBER = "{prefix}〔{year}〕{seq}号"
ISSUE = "{year}年第{seq}期"


def series(mark: str) -> str:
    return "{prefix}" + mark + "〔{year}〕{seq}号"


TEMPLATES = [
    # code, kind, name, source, title, addressee, body, attachments, cc, number format
    (
        "notice",
        "notice",
        "活动通知",
        "campaign",
        "关于开展{campaign}的通知",
        "各医疗卫生单位",
        "为深入推进作风效能建设，经研究，决定于{starts_on}至{ends_on}在全县卫生健康系统开展{campaign}。现将有关事项通知如下。\n"
        "一、工作目标\n{goals}\n"
        "二、工作要求\n各单位要高度重视，明确专人负责，按时报送工作进展，确保活动取得实效。",
        "",
        "县纪委监委派驻纪检监察组",
        NUMBER,
    ),
    (
        "plan",
        "plan",
        "实施方案",
        "campaign",
        "{campaign}实施方案",
        "各医疗卫生单位",
        "一、指导思想\n{guiding_ideas}\n"
        "二、工作目标\n{goals}\n"
        "三、时间安排\n活动时间为{starts_on}至{ends_on}，分动员部署、自查自纠、整改落实、总结提升四个阶段进行。\n"
        "四、工作要求\n（一）加强组织领导。各单位主要负责人为第一责任人。\n"
        "（二）强化督查问效。局效能办将适时开展明查暗访，结果纳入年度考核。",
        "",
        "县纪委监委派驻纪检监察组",
        series("方"),
    ),
    (
        "briefing",
        "briefing",
        "工作简报（月报）",
        "campaign_month",
        "{campaign}工作简报（{month}）",
        "",
        "一、总体进展\n{month}，{campaign}在全县{unit_count}家单位有序推进。\n"
        "二、问题整改\n截至本月底，整改台账共有整改事项{ledger_total}项，已销号{ledger_closed}项，整改完成率{ledger_percent}%；"
        "本月新增{ledger_new}项，本月销号{ledger_closed_month}项；未销号{ledger_open}项，其中超期{ledger_overdue}项。\n"
        "三、投诉办理\n本月受理涉及参与单位的投诉举报{complaints_received}件，已办结{complaints_closed}件。\n"
        "四、材料报送\n截至本月底，逾期未报送材料{late_submissions}份。\n"
        "五、下步工作\n各单位要对照台账逐项销号，超期事项要说明原因、明确时限。",
        "",
        "局领导班子成员，各股室",
        ISSUE,
    ),
    (
        "circular",
        "circular",
        "督查情况通报",
        "inspection_bulletin",
        "{bulletin}",
        "各医疗卫生单位",
        "{intro}\n"
        "一、基本情况\n{period_start}至{period_end}，局效能办组织明查暗访，共通报典型问题{entry_count}个。\n"
        "二、典型问题\n{entries}\n"
        "三、工作要求\n被通报单位要深刻剖析原因，限期整改到位，整改情况书面报局效能办。",
        "",
        "县纪委监委派驻纪检监察组",
        series("通"),
    ),
    (
        "order",
        "order",
        "督办单",
        "supervision_order",
        "督办单（{order_number}）",
        "{unit}",
        "经{issued_on}明查暗访，发现你单位存在以下问题：{finding}。\n{description}\n"
        "督办要求：{requirements}\n"
        "请于{deadline}前整改到位，并将整改情况书面报局效能办。责任领导：{leader}。",
        "",
        "",
        series("督"),
    ),
    (
        "reminder",
        "reminder",
        "提醒函",
        "consequence",
        "关于{person}同志的提醒函",
        "{unit}",
        "在{round}（{period}）中，{reason}。根据评议结果运用规定，拟予以{measure}。\n"
        "请你单位督促相关同志认真查摆问题，于{rectify_days}日内提交整改说明。",
        "",
        "",
        series("提"),
    ),
    (
        "admonition",
        "admonition",
        "诫勉谈话记录",
        "accountability_case",
        "诫勉谈话记录（{case_number}）",
        "",
        "谈话事由：{case}\n基本事实：{facts}\n谈话对象：{people}\n处理意见：\n{decisions}\n"
        "谈话人要求：深刻认识问题，认真整改，杜绝类似问题再次发生。\n谈话对象表态：",
        "",
        "",
        series("诫"),
    ),
    (
        "rectification",
        "rectification",
        "整改报告",
        "ledger_unit",
        "{unit}关于{campaign}问题整改情况的报告",
        "县卫生健康局",
        "按照{campaign}工作要求，我单位对照整改台账逐项整改，现将情况报告如下。\n"
        "一、整改总体情况\n整改事项共{ledger_total}项，已销号{ledger_closed}项，完成率{ledger_percent}%；未销号{ledger_open}项，其中超期{ledger_overdue}项。\n"
        "二、整改事项清单\n{items}\n"
        "三、下步打算\n对未完成事项，明确责任人和完成时限，确保按期销号。",
        "",
        "",
        series("改"),
    ),
    (
        "summary",
        "summary",
        "活动总结报告",
        "campaign",
        "{campaign}工作总结",
        "",
        "{starts_on}以来，全县卫生健康系统按照{campaign_number}部署，扎实开展{campaign}。现将工作总结如下。\n"
        "一、主要做法\n\n二、取得成效\n\n三、存在问题\n\n四、下步打算\n",
        "",
        "县纪委监委派驻纪检监察组",
        series("总"),
    ),
    (
        "express",
        "express",
        "投诉举报快报",
        "complaint",
        "投诉举报快报（{complaint_number}）",
        "",
        "{received_on}，接到反映{unit}的投诉举报（{category}）：{complaint}。\n{content}\n"
        "目前已按程序转办，办理情况另行报告。",
        "",
        "",
        "快报" + ISSUE,
    ),
]


def seed(apps, schema_editor):
    Template = apps.get_model("documents", "DocumentTemplate")
    now = timezone.now()
    for code, kind, name, source, title, addressee, body, attachments, cc, number in TEMPLATES:
        if Template.objects.filter(code=code).exists():
            continue
        Template.objects.create(
            code=code,
            kind=kind,
            version=1,
            active=True,
            name=name,
            source=source,
            title=title,
            addressee=addressee,
            body=body,
            attachments=attachments,
            cc=cc,
            number_format=number,
            updated_at=now,
        )
    Role = apps.get_model("core", "Role")
    for code, perms in ROLE_PERMISSIONS.items():
        role = Role.objects.filter(code=code).first()
        if role is None:
            continue
        missing = [p for p in perms if p not in role.permissions]
        if missing:
            role.permissions = [*role.permissions, *missing]
            role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial"), ("core", "0006_security_hardening")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
