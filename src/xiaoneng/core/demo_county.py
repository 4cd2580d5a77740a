"""The demo county's plan (青山县): its units with their departments, the name and title pools
the invented people are drawn from. Data only; ``core.demo`` builds the county from it."""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import Department, Person, Unit

SEED = 2026
BUREAU_CODE = "QS-WJJ"
COUNTY = "青山县"

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝"
)
GIVEN_MALE = "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘"
GIVEN_FEMALE = "秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝丽阳妮宝贝初程梵"

# Professional title ladders, senior first.
TITLES = {
    "doctor": ("主任医师", "副主任医师", "主治医师", "医师", "医士"),
    "nurse": ("主任护师", "副主任护师", "主管护师", "护师", "护士"),
    "pharm": ("主任药师", "副主任药师", "主管药师", "药师", "药士"),
    "tech": ("主任技师", "副主任技师", "主管技师", "技师", "技士"),
    "finance": ("高级会计师", "会计师", "会计师", "助理会计师", "助理会计师"),
    "admin": ("高级经济师", "经济师", "经济师", "助理经济师", ""),
    "gov": ("", "", "", "", ""),
}

# Department profiles: (kind, head position, [(member position, title ladder, weight)]).
PROFILES = {
    "clinical": (
        Department.Kind.CLINICAL,
        "科主任",
        [("医师", "doctor", 5), ("护士", "nurse", 5)],
    ),
    "tcm": (Department.Kind.CLINICAL, "科主任", [("中医师", "doctor", 6), ("护士", "nurse", 4)]),
    "gp": (Department.Kind.CLINICAL, "科主任", [("全科医师", "doctor", 6), ("护士", "nurse", 4)]),
    "ph": (Department.Kind.CLINICAL, "科长", [("公共卫生医师", "doctor", 7), ("护士", "nurse", 3)]),
    "lab": (Department.Kind.MEDTECH, "科主任", [("检验师", "tech", 10)]),
    "imaging": (
        Department.Kind.MEDTECH,
        "科主任",
        [("影像医师", "doctor", 5), ("技师", "tech", 5)],
    ),
    "pharm": (Department.Kind.MEDTECH, "科主任", [("药师", "pharm", 10)]),
    "medical_admin": (Department.Kind.ADMIN, "科长", [("干事", "doctor", 10)]),
    "nursing_admin": (Department.Kind.ADMIN, "主任", [("护理干事", "nurse", 10)]),
    "finance": (Department.Kind.ADMIN, "科长", [("会计", "finance", 7), ("出纳", "finance", 3)]),
    "admin": (Department.Kind.ADMIN, "主任", [("干事", "admin", 10)]),
    "window": (
        Department.Kind.WINDOW,
        "组长",
        [("收费员", "finance", 6), ("导诊员", "nurse", 4)],
    ),
    "dispatch": (Department.Kind.WINDOW, "科长", [("调度员", "nurse", 10)]),
    "gov": (Department.Kind.ADMIN, "股长", [("科员", "gov", 7), ("副股长", "gov", 3)]),
    "gov_office": (Department.Kind.ADMIN, "主任", [("科员", "gov", 7), ("副主任", "gov", 3)]),
    "inspector": (
        Department.Kind.ADMIN,
        "股长",
        [("监督员", "doctor", 8), ("科员", "gov", 2)],
    ),
}

# (name, profile, members besides the head)
BUREAU_DEPTS = [
    ("办公室", "gov_office", 4),
    ("医政医管股", "gov", 3),
    ("基层卫生股", "gov", 2),
    ("公共卫生股", "gov", 3),
    ("中医药股", "gov", 2),
    ("规划财务股", "gov", 3),
    ("人事股", "gov", 2),
    ("纪检监察室", "gov_office", 2),
    ("效能办", "gov_office", 3),
]
PEOPLES_HOSPITAL_DEPTS = [
    ("院办", "admin", 3),
    ("医务科", "medical_admin", 2),
    ("护理部", "nursing_admin", 2),
    ("财务科", "finance", 3),
    ("党建办", "admin", 1),
    ("急诊科", "clinical", 9),
    ("内科", "clinical", 10),
    ("外科", "clinical", 9),
    ("妇产科", "clinical", 8),
    ("儿科", "clinical", 7),
    ("骨科", "clinical", 6),
    ("眼耳鼻喉科", "clinical", 5),
    ("重症医学科", "clinical", 6),
    ("麻醉科", "clinical", 4),
    ("中医科", "tcm", 3),
    ("检验科", "lab", 6),
    ("放射科", "imaging", 6),
    ("超声科", "imaging", 4),
    ("药剂科", "pharm", 6),
    ("挂号收费处", "window", 6),
    ("出入院服务中心", "window", 3),
]
TCM_HOSPITAL_DEPTS = [
    ("院办", "admin", 2),
    ("医务科", "medical_admin", 2),
    ("护理部", "nursing_admin", 1),
    ("财务科", "finance", 2),
    ("急诊科", "clinical", 5),
    ("内科", "tcm", 6),
    ("外科", "clinical", 5),
    ("针灸推拿科", "tcm", 5),
    ("骨伤科", "tcm", 5),
    ("治未病科", "tcm", 3),
    ("检验科", "lab", 3),
    ("放射科", "imaging", 3),
    ("中药房", "pharm", 4),
    ("挂号收费处", "window", 4),
]
MCH_DEPTS = [
    ("院办", "admin", 2),
    ("医务科", "medical_admin", 1),
    ("妇产科", "clinical", 6),
    ("儿科", "clinical", 5),
    ("妇女保健科", "ph", 3),
    ("儿童保健科", "ph", 3),
    ("检验科", "lab", 2),
    ("超声科", "imaging", 2),
    ("药剂科", "pharm", 2),
    ("挂号收费处", "window", 2),
]
CDC_DEPTS = [
    ("办公室", "admin", 2),
    ("疾病控制科", "ph", 4),
    ("免疫规划科", "ph", 3),
    ("慢性病防治科", "ph", 2),
    ("卫生监测科", "ph", 2),
    ("检验科", "lab", 4),
    ("预防接种门诊", "window", 3),
]
SUPERVISION_DEPTS = [
    ("办公室", "admin", 2),
    ("医疗卫生监督股", "inspector", 3),
    ("公共卫生监督股", "inspector", 3),
    ("稽查股", "inspector", 2),
]
EMERGENCY_DEPTS = [
    ("办公室", "admin", 1),
    ("调度科", "dispatch", 5),
    ("急救科", "clinical", 5),
]
TOWNSHIP_DEPTS = [
    ("办公室", "admin", 1),
    ("全科门诊", "gp", 4),
    ("公共卫生科", "ph", 2),
    ("中医科", "tcm", 1),
    ("检验科", "lab", 1),
    ("药房", "pharm", 1),
    ("收费室", "window", 1),
]
COMMUNITY_DEPTS = [
    ("办公室", "admin", 1),
    ("全科诊室", "gp", 3),
    ("预防保健科", "ph", 2),
    ("药房", "pharm", 1),
    ("收费室", "window", 1),
]

TOWNSHIPS = ["白沙镇", "柳河镇", "松岭乡", "桃源乡", "龙泉镇", "杨湾乡", "石门镇", "梅溪乡"]
VILLAGES = {
    "白沙镇": ["河口村", "沙坪村"],
    "柳河镇": ["柳林村", "新丰村"],
    "松岭乡": ["岭下村", "竹园村"],
}
COMMUNITIES = ["城东", "城西"]


@dataclass
class UnitSpec:
    code: str
    name: str
    short_name: str
    kind: str
    level: str
    depts: list[tuple[str, str, int]]
    principal: str
    deputy: str
    deputies: int
    parent: str | None = BUREAU_CODE
    is_window: bool = True
    address: str = ""


@dataclass
class Built:
    unit: Unit
    principal: Person
    deputies: list[Person] = field(default_factory=list)
    depts: dict[str, Department] = field(default_factory=dict)
    heads: dict[str, Person] = field(default_factory=dict)
    members: dict[str, list[Person]] = field(default_factory=dict)


def unit_specs() -> list[UnitSpec]:
    U, L = Unit.Kind, Unit.Level
    specs = [
        UnitSpec(
            BUREAU_CODE,
            f"{COUNTY}卫生健康局",
            "县卫健局",
            U.BUREAU,
            L.COUNTY,
            BUREAU_DEPTS,
            "局长",
            "副局长",
            3,
            parent=None,
            is_window=False,
            address="青山县人民路18号",
        ),
        UnitSpec(
            "QS-RMYY",
            f"{COUNTY}人民医院",
            "县人民医院",
            U.HOSPITAL,
            L.COUNTY,
            PEOPLES_HOSPITAL_DEPTS,
            "院长",
            "副院长",
            3,
            address="青山县健康路1号",
        ),
        UnitSpec(
            "QS-ZYYY",
            f"{COUNTY}中医医院",
            "县中医医院",
            U.TCM_HOSPITAL,
            L.COUNTY,
            TCM_HOSPITAL_DEPTS,
            "院长",
            "副院长",
            2,
            address="青山县杏林路6号",
        ),
        UnitSpec(
            "QS-FYBJY",
            f"{COUNTY}妇幼保健院",
            "县妇幼保健院",
            U.MCH_HOSPITAL,
            L.COUNTY,
            MCH_DEPTS,
            "院长",
            "副院长",
            2,
            address="青山县育英路9号",
        ),
        UnitSpec(
            "QS-CDC",
            f"{COUNTY}疾病预防控制中心",
            "县疾控中心",
            U.CDC,
            L.COUNTY,
            CDC_DEPTS,
            "主任",
            "副主任",
            2,
            is_window=False,
            address="青山县防疫路3号",
        ),
        UnitSpec(
            "QS-WSJD",
            f"{COUNTY}卫生健康综合监督执法大队",
            "县卫生监督大队",
            U.SUPERVISION,
            L.COUNTY,
            SUPERVISION_DEPTS,
            "大队长",
            "副大队长",
            1,
            address="青山县人民路20号",
        ),
        UnitSpec(
            "QS-120",
            f"{COUNTY}120急救指挥中心",
            "县120中心",
            U.EMERGENCY,
            L.COUNTY,
            EMERGENCY_DEPTS,
            "主任",
            "副主任",
            1,
            address="青山县健康路1号",
        ),
    ]
    for i, town in enumerate(TOWNSHIPS, 1):
        specs.append(
            UnitSpec(
                f"QS-WSY{i:02d}",
                f"{COUNTY}{town}卫生院",
                f"{town}卫生院",
                U.TOWNSHIP,
                L.TOWNSHIP,
                TOWNSHIP_DEPTS,
                "院长",
                "副院长",
                1,
                address=f"{COUNTY}{town}政府街",
            )
        )
    for i, name in enumerate(COMMUNITIES, 1):
        specs.append(
            UnitSpec(
                f"QS-SQ{i:02d}",
                f"{COUNTY}{name}社区卫生服务中心",
                f"{name}社区卫生服务中心",
                U.COMMUNITY,
                L.TOWNSHIP,
                COMMUNITY_DEPTS,
                "主任",
                "副主任",
                1,
                address=f"{COUNTY}{name}街道",
            )
        )
    for i, town in enumerate(TOWNSHIPS, 1):
        for j, village in enumerate(VILLAGES.get(town, []), 1):
            specs.append(
                UnitSpec(
                    f"QS-WSY{i:02d}-{j:02d}",
                    f"{town}{village}卫生室",
                    f"{village}卫生室",
                    U.VILLAGE,
                    L.VILLAGE,
                    [],
                    "负责人",
                    "乡村医生",
                    1,
                    parent=f"QS-WSY{i:02d}",
                    address=f"{COUNTY}{town}{village}",
                )
            )
    return specs
