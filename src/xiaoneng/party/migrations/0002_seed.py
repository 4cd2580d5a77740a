"""Seed 创先争优 (seed 004): the 评星定级 schemes with criteria and level rules (data the office
edits), the campaign template, and the party permissions for the built-in roles of databases
seeded before this app. This migration carries its own copy of the seed."""

from django.db import migrations

ROLE_PERMISSIONS = {
    "sysadmin": ["party.manage", "party.edit"],
    "office": ["party.manage"],
    "unit_admin": ["party.edit"],
}

# (code, name, subject, [(criterion, full marks)], [(stars, min total, min % on each)])
# Seed 004 三比: “开展优秀服务窗口、星级示范窗口、星级护士、服务标兵评比”; criteria from its
# 三亮 (亮标准、亮身份、亮承诺), 三比 (比技能、比作风、比奉献) and 三评 (群众评议).
SCHEMES = [
    ("star-window", "星级示范窗口", "window", [
        ("亮标准：岗位职责、办事程序、办结时限公开", 20),
        ("亮身份亮承诺：党员示范岗、公开承诺并践诺", 20),
        ("比技能：业务熟练、限时办结、首问负责", 20),
        ("比作风：文明热情、微笑服务、无投诉", 20),
        ("群众评议满意度", 20),
    ], [(5, 95, 80), (4, 90, 70), (3, 80, 60), (2, 70, None), (1, 60, None)]),
    ("star-nurse", "星级护士", "nurse", [
        ("护理技能与岗位练兵", 25),
        ("服务态度与医德医风", 25),
        ("患者满意度", 30),
        ("奉献与志愿服务", 20),
    ], [(5, 95, 80), (4, 90, 70), (3, 80, 60), (2, 70, None), (1, 60, None)]),
    ("star-department", "星级科室", "department", [
        ("服务标准公开与执行", 20),
        ("办事效率与限时办结", 20),
        ("医疗质量与安全", 20),
        ("群众满意度", 25),
        ("党员先锋作用发挥", 15),
    ], [(5, 95, 80), (4, 90, 70), (3, 80, 60), (2, 70, None), (1, 60, None)]),
]

TEMPLATE = {
    "code": "chuangxian-zhengyou",
    "name": "为民服务创先争优活动",
    "kind": "other",
    "source": "seed 004《关于在全市卫生系统窗口服务单位深入开展“为民服务创先争优”活动的实施方案》"
    "（原文未给阶段日期，默认日程，请按文件调整）",
    "description": "以“为民服务创先争优”为主题，以开展“三好一满意”和争当“医德标兵”为载体，"
    "在窗口服务单位广泛开展“三亮三比三评”活动。",
    "guiding_ideas": "按照先进基层党组织“五个好”、优秀共产党员“五带头”的要求，充分发挥基层党组织的战斗堡垒作用"
    "和党员的先锋模范作用，带动党员和职工争创群众满意窗口、争创优质服务品牌、争创优秀服务标兵。",
    "goals": "着力强化服务意识，改进服务作风；\n着力增强服务能力，提升服务质量；\n"
    "着力提高服务效能，提升群众满意度。",
    "group": {"name": "创先争优活动领导小组", "office_name": "创先争优活动领导小组办公室"},
    "phases": [
        {"name": "动员部署", "start": [0, 9, 1], "end": [0, 9, 10],
         "description": "各单位结合自身特点制定具体实施方案，于9月10日前报领导小组办公室。"},
        {"name": "推行“三亮”", "start": [0, 9, 11], "end": [0, 10, 31],
         "description": "亮标准、亮身份、亮承诺：公开岗位职责、办事程序、服务事项、工作流程、办结时限；"
         "佩戴党徽、设立党员公示栏、党员示范窗口、党员先锋岗；开展公开承诺。"},
        {"name": "开展“三比”", "start": [0, 11, 1], "end": [1, 3, 31],
         "description": "比技能、比作风、比奉献：业务竞赛、岗位练兵、技能比武，优秀服务窗口、星级示范窗口、"
         "星级护士、服务标兵评比。"},
        {"name": "组织“三评”", "start": [1, 4, 1], "end": [1, 5, 31],
         "description": "群众评议、党员互评、领导点评；党员领导干部深入创先争优活动联系点调查研究。"},
        {"name": "总结表彰", "start": [1, 6, 1], "end": [1, 6, 30],
         "description": "评选表彰先进基层党组织、优秀共产党员，总结推广好典型、好做法、好经验，建立长效机制。"},
    ],
    "requirements": [
        {"phase": 0, "name": "创先争优实施方案", "due": [0, 9, 10],
         "description": "结合自身特点制定的具体实施方案。"},
        {"phase": 1, "name": "“三亮”公开情况", "due": [0, 10, 31],
         "description": "服务标准公开、党员亮身份、公开承诺的情况（附照片）。"},
        {"phase": 3, "name": "“三评”测评及整改情况", "due": [1, 5, 31],
         "description": "群众评议、党员互评、领导点评结果及整改情况。"},
        {"phase": 4, "name": "活动总结及典型经验", "due": [1, 6, 30],
         "description": "活动开展情况总结，好典型、好做法、好经验。"},
    ],
    "key_tasks": [
        {"number": 1, "group": "活动载体", "title": "推行“三亮”", "lead": "", "responsible": "各窗口服务单位",
         "content": "亮标准、亮身份、亮承诺，公开承诺内容，接受群众监督。"},
        {"number": 2, "group": "活动载体", "title": "开展“三比”", "lead": "", "responsible": "各窗口服务单位",
         "content": "比技能、比作风、比奉献，开展星级示范窗口、星级护士、服务标兵评比。"},
        {"number": 3, "group": "活动载体", "title": "组织“三评”", "lead": "", "responsible": "各窗口服务单位",
         "content": "群众评议、党员互评、领导点评，及时整改存在问题。"},
        {"number": 4, "group": "组织领导", "title": "建立领导干部联系点", "lead": "", "responsible": "局领导班子",
         "content": "工作重心下移、工作力量下沉，帮助基层解决困难和问题。"},
        {"number": 5, "group": "组织领导", "title": "突出宣传引导", "lead": "", "responsible": "各单位",
         "content": "开辟网站专栏、加强简报报送，宣传为民服务的好典型。"},
        {"number": 6, "group": "组织领导", "title": "构建长效机制", "lead": "", "responsible": "各单位",
         "content": "建立健全公开承诺、上评下议的动力机制和公开透明、便捷高效的服务机制。"},
    ],
    "targets": [],
}
FIELDS = ("name", "kind", "source", "description", "guiding_ideas", "goals")
SPEC = ("group", "phases", "requirements", "key_tasks", "targets")


def seed(apps, schema_editor):
    Scheme = apps.get_model("party", "StarScheme")
    Criterion = apps.get_model("party", "StarCriterion")
    Level = apps.get_model("party", "StarLevelRule")
    for code, name, subject, criteria, levels in SCHEMES:
        scheme, created = Scheme.objects.get_or_create(
            code=code, defaults={"name": name, "subject": subject}
        )
        if not created:
            continue  # an administrator's edits are kept
        for position, (criterion, full) in enumerate(criteria, start=1):
            Criterion.objects.create(
                scheme=scheme, name=criterion, max_score=full, position=position
            )
        for stars, total, each in levels:
            Level.objects.create(
                scheme=scheme, stars=stars, min_total=total, min_each_percent=each
            )
    Template = apps.get_model("campaigns", "CampaignTemplate")
    if not Template.objects.filter(code=TEMPLATE["code"]).exists():
        last = Template.objects.order_by("-sort_order").first()
        Template.objects.create(
            code=TEMPLATE["code"],
            **{f: TEMPLATE[f] for f in FIELDS},
            spec={k: TEMPLATE[k] for k in SPEC},
            sort_order=(last.sort_order + 1) if last else 0,
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
    dependencies = [
        ("party", "0001_initial"),
        ("campaigns", "0002_seed_templates"),
        ("core", "0002_seed_reference_data"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
