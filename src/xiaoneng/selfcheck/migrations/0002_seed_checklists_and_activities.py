"""Seed the self-inspection reference data (data, editable by the office):

- checklist templates with the item texts of the seeds (line-wrap spaces of the PDF text removed):
  五查五看 and 六查六看 (seed 000), 六对照六看 (seed 001; the seed is in traditional characters,
  stored here in simplified ones), 五查 (seed 003), and the four-aspect self-checks of
  班子成员 and 教师 (seed 000);
- the five recurring activities "五个一" (seed 003), owed by every unit except bureaus from the
  month the migration runs.
"""

import datetime as dt

from django.db import migrations

GUIDE_000 = "自查时,要坚持“有则改之、无则加勉”的原则。在对照检查的基础上,要深入剖析存在问题的根源,并形成书面自查材料。"
GUIDE_6C6K = (
    "对自查的问题,要即查即改,深入剖析问题存在的根源,修订岗位责任制、责任追究制等效能建设相关制度,"
    "形成一整套完善的效能建设制度体系,以制度管人管事。"
)
GUIDE_5C5K = (
    "对自查自纠出的突出问题和薄弱环节,要采取有效措施进行整改,努力做到举报案件查不清不放过,"
    "突出问题不解决不放过,整改措施不落实不放过,相关责任人处理不到位不放过,长效机制不建立不放过。"
)
GUIDE_5C = (
    "各医疗卫生单位主要领导要带头对本单位存在的问题和不足进行对照检查,提出整改意见和落实措施。"
    "每个医疗卫生人员要根据个人自查的情况和别人的评议意见,认真自我剖析和及时整改。"
)
GUIDE_6DZ = "对查找出的问题不足,领导班子和党员干部分别进行认真梳理,列出问题清单,形成查摆检视材料。"

# code, name, target, source, description (guidance), [(title, text)]
TEMPLATES = [
    (
        "wucha-wukan",
        "五查五看",
        "both",
        "卫生系统效能风暴行动实施方案(种子 000)",
        GUIDE_5C5K,
        [
            ("查中心意识", "查中心意识,看是否存在不利于营造发展环境、影响加快发展的问题"),
            ("查服务态度", "查服务态度,看是否存在冷漠生硬、作风粗暴的现象"),
            ("查工作效率", "查工作效率,看是否存在敷衍塞责、推诿扯皮的行为"),
            ("查法治观念", "查法治观念,看是否存在违法行政、有令不行、有禁不止的问题"),
            ("查自身素质", "查自身素质,看是否存在不符合、不适应的问题"),
        ],
    ),
    (
        "liucha-liukan",
        "六查六看",
        "both",
        "机关效能风暴行动实施意见·自查自纠(种子 000)",
        GUIDE_6C6K,
        [
            (
                "查精神状态",
                "查精神状态,看是否存在理想信念淡薄、缺乏改革创新意识、精神萎靡不振的问题",
            ),
            (
                "查执行落实",
                "查执行落实,看是否存在思路不清、能力不强,对区委、区政府重大决策部署执行不力,落实不到位的问题",
            ),
            ("查服务态度", "查服务态度,看是否存在冷漠生硬、作风粗暴的现象"),
            ("查工作效率", "查工作效率,看是否存在敷衍塞责、推诿扯皮的行为"),
            ("查法治观念", "查法治观念,看是否存在违法行政、有令不行、有禁不止的问题"),
            ("查自身素质", "查自身素质,看是否存在不符合、不适应转型跨越新形势的问题"),
        ],
    ),
    (
        "liuduizhao-liukan",
        "六对照六看",
        "both",
        "医院作风建设·学习教育(种子 001)",
        GUIDE_6DZ,
        [
            ("对照入党誓词", "对照入党誓词看初心使命"),
            ("对照外院先进", "对照外院先进看自身差距"),
            ("对照医院发展目标", "对照医院发展目标看思路举措"),
            ("对照工作职责", "对照工作职责看服务质量"),
            ("对照“13710”工作制度", "对照“13710”工作制度看效率效果"),
            ("对照群众反映问题", "对照群众反映问题看工作短板"),
        ],
    ),
    (
        "wucha",
        "五查",
        "both",
        "医疗卫生系统行风建设·认真查找剖析(种子 003)",
        GUIDE_5C,
        [
            ("作风和行风", "一查卫生行政机关和医疗卫生单位作风和行风方面存在的突出问题"),
            ("内部管理", "二查医疗卫生机构内部管理方面的突出问题"),
            ("服务态度", "三查医疗卫生工作人员服务态度方面存在的突出问题"),
            ("医疗质量", "四查医疗机构医疗质量方面存在的突出问题"),
            ("医德医风", "五查医护人员医德医风存在的突出问题"),
        ],
    ),
    (
        "banzi-sifangmian",
        "班子成员四方面自查",
        "person",
        "学校“效能风暴”活动·开展自查(种子 000)",
        GUIDE_000,
        [
            ("全局观念", "一是有无全局观念,是否团结协作,互相补充,合作共事。"),
            (
                "责任心",
                "二是责任心强不强,是否服从安排,尽职尽责,亲临一线,兼课代课,狠抓落实。",
            ),
            ("廉洁自律", "三是否廉洁自律,秉公办事、公道正派。"),
            ("求真务实", "四是否求真务实,雷厉风行,迎难而上,服务师生。"),
        ],
    ),
    (
        "jiaoshi-sifangmian",
        "教师四方面自查",
        "person",
        "学校“效能风暴”活动·开展自查(种子 000)",
        GUIDE_000,
        [
            (
                "为人师表",
                "一是否衣着得体,举止文明,情趣高雅,为人师表,有无损害教师形象和集体形象行为。",
            ),
            (
                "言行纪律",
                "二是否在学期中间参与“打麻将、跑得快”等带有赌博性质的活动;是否在教学区、学生面前、"
                "集体场合吸烟;是否存在工作、生活中闹不团结、无理取闹、胡搅蛮缠等行为。",
            ),
            ("爱岗敬业", "三是否爱校爱生,爱岗敬业,有无拈轻怕重,不服工作安排行为。"),
            (
                "遵规守纪",
                "四是否遵规守纪,廉洁从教,有无乱补课,乱订资料,索要收受家长礼品或礼金,上课接打手机,"
                "擅离职守等违规违纪行为。",
            ),
        ],
    ),
]

# 五个一 (seed 003): code, name, frequency, text of the seed
ACTIVITIES = [
    ("satisfaction-survey", "群众满意度调查", "monthly", "每月开展一次群众满意度调查"),
    (
        "warning-education-film",
        "警示教育片观看",
        "monthly",
        "每月组织全体医务人员观看一次警示教育片",
    ),
    ("ethics-comparison", "医德医风评比", "monthly", "每月开展一次单位内部医德医风评比活动"),
    (
        "administrative-ward-round",
        "领导干部行政查房",
        "quarterly",
        "每季度开展一次卫生行政部门领导干部行政查房",
    ),
    (
        "if-i-were-the-patient",
        "“假如我是患者”模拟体验就诊",
        "quarterly",
        "每季度开展一次院领导和人员“假如我是患者”的模拟体验就诊活动",
    ),
]


def seed(apps, schema_editor):
    Template = apps.get_model("selfcheck", "ChecklistTemplate")
    Item = apps.get_model("selfcheck", "ChecklistItem")
    Activity = apps.get_model("selfcheck", "RecurringActivity")
    for order, (code, name, target, source, guide, items) in enumerate(TEMPLATES, start=1):
        template, created = Template.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "target": target,
                "source": source,
                "description": guide,
                "sort_order": order * 10,
            },
        )
        if not created:
            continue
        for number, (title, text) in enumerate(items, start=1):
            Item.objects.create(
                template=template, number=number, title=title, text=text, guidance=guide
            )
    start = dt.date.today().replace(day=1)
    for order, (code, name, frequency, text) in enumerate(ACTIVITIES, start=1):
        Activity.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "frequency": frequency,
                "description": f"{text}(“五个一”活动,种子 003)",
                "all_units": True,
                "active_from": start,
                "sort_order": order * 10,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("selfcheck", "ChecklistTemplate").objects.filter(
        code__in=[t[0] for t in TEMPLATES], assignments__isnull=True
    ).delete()
    apps.get_model("selfcheck", "RecurringActivity").objects.filter(
        code__in=[a[0] for a in ACTIVITIES], records__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("selfcheck", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
