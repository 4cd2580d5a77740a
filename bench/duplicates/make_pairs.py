"""Build the labelled pair set for duplicate detection: ``bench/duplicates/pairs.jsonl``.

Deterministic (fixed seed): running it again writes the same file.

    .venv/bin/python bench/duplicates/make_pairs.py [--out bench/duplicates/pairs.jsonl]

Each complaint is an *incident* (a topic with its details: department, date, who, amounts, people)
written out by a complainant. Writers are independent: every sentence of a text picks one of
several phrasings, the opening and the closing vary, a hotline clerk writes in the third person
(来电人反映…), dates and numbers are written in digits or in Chinese. The pairs:

- ``paraphrase`` (duplicate): the same incident written by two writers (different phones or
  anonymous), a few days apart, about the same unit;
- ``same_phone`` (duplicate): the same complainant (same phone, written differently: +86,
  dashes, spaces) calls again within 30 days: a second account of the incident or a follow-up
  asking why nobody answered;
- ``unrelated_same_unit`` (not a duplicate): two incidents of different topics about one unit;
- ``near_topic`` (not a duplicate): two different incidents of the same topic about one unit
  (other department, day, person, amounts), possibly by writers who phrase things alike;
- ``same_phone_old`` (not a duplicate): the same phone more than 30 days later, another matter;
- ``same_phone_other_matter`` (not a duplicate): the same phone within 30 days about another
  matter. The phone rule suggests these by design (the office decides), so they cost precision.

Each line: {"id", "kind", "label", "a": {...}, "b": {...}} where a complaint is {"unit", "title",
"content", "phone", "received_at", "status"}; ``b`` is the newer case (the one being registered).
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import datetime, timedelta
from pathlib import Path

SEED = 20250301
BASE = datetime(2025, 3, 3, 9, 0)
UNITS = [
    "市第一人民医院",
    "市中医院",
    "县人民医院",
    "市妇幼保健院",
    "市第二人民医院",
    "城关镇卫生院",
]
DEPTS = [
    "儿科",
    "急诊科",
    "骨科",
    "妇产科",
    "消化内科",
    "心内科",
    "眼科",
    "口腔科",
    "皮肤科",
    "呼吸内科",
    "神经内科",
    "泌尿外科",
]
WHO = ["孩子", "母亲", "父亲", "爱人", "老人", "岳母", "女儿", "儿子"]
SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙"]
CN = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """380 → 三百八十, 15 → 十五, 5 → 五 (for n < 10000)."""
    if n < 10:
        return CN[n]
    if n < 20:
        return "十" + (CN[n % 10] if n % 10 else "")
    out, zero = "", False
    for value, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit:
            if zero and out:
                out += "零"
            out += CN[digit] + name
            zero = False
        elif out:
            zero = True
    return out


class Writer:
    """One complainant's way of writing: digits or Chinese numerals, 号 or 日, first or third person."""

    def __init__(self, rng: random.Random, *, hotline: bool | None = None):
        self.rng = rng
        self.chinese_numbers = rng.random() < 0.3
        self.hao = rng.random() < 0.4
        self.hotline = rng.random() < 0.3 if hotline is None else hotline

    def num(self, n: int) -> str:
        return cn_number(n) if self.chinese_numbers and n < 10000 else str(n)

    def date(self, month: int, day: int) -> str:
        return f"{self.num(month)}月{self.num(day)}{'号' if self.hao else '日'}"

    def pick(self, options):
        return self.rng.choice(options)


# --- topics: details → sentences (each sentence: several phrasings) -------------------------------
def waiting_details(rng):
    return {
        "dept": rng.choice(DEPTS),
        "month": rng.randint(1, 12),
        "day": rng.randint(1, 28),
        "who": rng.choice(WHO),
        "hours": rng.randint(2, 5),
        "ticket": rng.randint(12, 96),
        "cause": rng.choice(["late", "away", "order"]),
    }


def waiting_text(w: Writer, d):
    date, n = w.date(d["month"], d["day"]), w.num
    cause = {
        "late": [
            "医生九点多才来上班",
            "坐诊医生迟到一个多小时才到诊室",
            "到了上班时间诊室里一个医生都没有",
        ],
        "away": [
            "医生看到一半就离开诊室，半天不回来",
            "医生中途走开很久没回来",
            "看了几个病人医生就不见了，说是去开会",
        ],
        "order": [
            "叫号系统乱七八糟，后来的人先进去了",
            "叫号顺序混乱，有人插队也没人管",
            "有熟人直接进诊室加塞，护士也不管",
        ],
    }[d["cause"]]
    sentences = [
        [
            f"{date}上午我带{d['who']}到{d['dept']}看病",
            f"{date}早上陪{d['who']}去{d['dept']}就诊",
            f"我{date}带{d['who']}在{d['dept']}挂了号",
        ],
        [f"挂的是{n(d['ticket'])}号", f"我们是{n(d['ticket'])}号", f"拿到的号是{n(d['ticket'])}号"],
        [
            f"等了{n(d['hours'])}个多小时还没轮到",
            f"排队排了{n(d['hours'])}个小时都没看上",
            f"足足候诊{n(d['hours'])}个钟头",
        ],
        cause,
    ]
    titles = [
        f"{d['dept']}候诊时间太长",
        f"{d['dept']}看病排队{n(d['hours'])}小时",
        "看病等待时间过长",
    ]
    return titles, sentences


def attitude_details(rng):
    return {
        "place": rng.choice(["挂号窗口", "收费窗口", "护士站", "分诊台", "药房窗口", "住院部前台"]),
        "month": rng.randint(1, 12),
        "day": rng.randint(1, 28),
        "staff": rng.choice(["女护士", "男医生", "工作人员", "收费员", "药剂师"]),
        "surname": rng.choice(SURNAMES),
        "window": rng.randint(1, 9),
        "asked": rng.choice(
            ["检查在哪里做", "医保怎么报销", "能不能加号", "药怎么吃", "住院押金多少"]
        ),
        "act": rng.choice(["shout", "phone", "throw"]),
    }


def attitude_text(w: Writer, d):
    date = w.date(d["month"], d["day"])
    act = {
        "shout": [
            "对我大声呵斥，说不知道自己去看",
            "很不耐烦地吼我，让我别问了",
            "态度恶劣，张口就骂人",
        ],
        "phone": [
            "一直低头玩手机，根本不理人",
            "只顾着看手机，叫了几遍都不答应",
            "边刷手机边敷衍，问三句答一句",
        ],
        "throw": ["直接把病历本扔了出来", "把单子往外一甩，让我自己看", "把卡和单据摔在台子上"],
    }[d["act"]]
    sentences = [
        [
            f"{date}我在{d['place']}办事",
            f"{date}去医院{d['place']}",
            f"我于{date}到{d['place']}咨询",
        ],
        [
            f"向{w.num(d['window'])}号窗口一位姓{d['surname']}的{d['staff']}询问{d['asked']}",
            f"问一位{d['surname']}姓{d['staff']}{d['asked']}",
            f"咨询{d['asked']}，接待的是{d['surname']}{d['staff']}",
        ],
        act,
        ["这种服务态度让人寒心", "作为医务人员这样对待病人太过分了", "生冷硬推，一点都不尊重人"],
    ]
    titles = [
        f"{d['place']}工作人员态度恶劣",
        f"投诉{d['place']}{d['staff']}服务态度差",
        "服务态度差",
    ]
    return titles, sentences


def fees_details(rng):
    return {
        "dept": rng.choice(DEPTS),
        "month": rng.randint(1, 12),
        "day": rng.randint(1, 28),
        "days": rng.randint(3, 15),
        "item": rng.choice(
            ["CT检查费", "血常规", "输液费", "床位费", "护理费", "心电图", "彩超费"]
        ),
        "amount": rng.choice([86, 120, 240, 380, 460, 520, 690, 850, 1200]),
        "who": rng.choice(WHO),
    }


def fees_text(w: Writer, d):
    date, n = w.date(d["month"], d["day"]), w.num
    sentences = [
        [
            f"{d['who']}在{d['dept']}住院{n(d['days'])}天，{date}出院结账",
            f"{date}我{d['who']}从{d['dept']}出院，一共住了{n(d['days'])}天",
            f"{d['who']}{date}在{d['dept']}办出院，住了{n(d['days'])}天",
        ],
        [
            f"发现费用清单上{d['item']}收了两次",
            f"一看明细，{d['item']}重复计费",
            f"清单里{d['item']}出现了两遍",
        ],
        [f"多收了{n(d['amount'])}元", f"多算了{n(d['amount'])}块钱", f"白白多交{n(d['amount'])}元"],
        [
            "去收费处问，说是系统问题，不给退",
            "找收费窗口理论，对方推说找科室，科室又让找收费处",
            "要求退费一直没人管",
        ],
    ]
    titles = [f"{d['item']}重复收费", "住院费用重复收费", f"多收{n(d['amount'])}元"]
    return titles, sentences


def prescription_details(rng):
    return {
        "dept": rng.choice(DEPTS),
        "month": rng.randint(1, 12),
        "day": rng.randint(1, 28),
        "symptom": rng.choice(["感冒咳嗽", "拉肚子", "皮肤过敏", "牙疼", "腰疼", "头晕"]),
        "amount": rng.choice([600, 780, 960, 1350, 1800, 2400]),
        "tests": rng.choice(["核磁共振", "CT和彩超", "全套生化", "胃镜", "肺功能"]),
        "surname": rng.choice(SURNAMES),
    }


def prescription_text(w: Writer, d):
    date, n = w.date(d["month"], d["day"]), w.num
    sentences = [
        [
            f"我{date}因为{d['symptom']}去{d['dept']}看病",
            f"{date}我{d['symptom']}到{d['dept']}就诊",
            f"本人{date}在{d['dept']}看{d['symptom']}",
        ],
        [
            f"{d['surname']}医生让做了{d['tests']}",
            f"接诊的{d['surname']}大夫开了{d['tests']}",
            f"姓{d['surname']}的医生一上来就开{d['tests']}",
        ],
        [
            f"加上开的药一共花了{n(d['amount'])}元",
            f"连检查带药花了{n(d['amount'])}块钱",
            f"总共{n(d['amount'])}元",
        ],
        ["一点小毛病开这么多，明显是过度检查", "这不是大处方吗", "小病大治，多开药多检查"],
    ]
    titles = ["过度检查大处方", f"{d['dept']}医生乱开检查", "小病开大处方"]
    return titles, sentences


def redpacket_details(rng):
    return {
        "dept": rng.choice(["骨科", "泌尿外科", "妇产科", "眼科", "普外科", "神经外科"]),
        "month": rng.randint(1, 12),
        "day": rng.randint(1, 28),
        "surname": rng.choice(SURNAMES),
        "amount": rng.choice([1000, 2000, 3000, 5000]),
        "op": rng.choice(["膝关节置换", "胆囊切除", "剖宫产", "白内障", "前列腺", "阑尾切除"]),
        "who": rng.choice(WHO),
    }


def redpacket_text(w: Writer, d):
    date, n = w.date(d["month"], d["day"]), w.num
    sentences = [
        [
            f"{d['who']}在{d['dept']}做{d['op']}手术",
            f"{d['who']}住进{d['dept']}准备做{d['op']}",
            f"{date}{d['who']}在{d['dept']}安排了{d['op']}手术",
        ],
        [
            f"手术前{d['surname']}主任暗示要红包",
            f"主刀的{d['surname']}医生私下说要意思意思",
            f"{d['surname']}主任话里话外让我们送红包",
        ],
        [
            f"我们只好送了{n(d['amount'])}元",
            f"家属塞了{n(d['amount'])}块钱",
            f"给了{n(d['amount'])}元现金",
        ],
        ["医生收红包是违规的，请查处", "这种风气必须刹住", "要求调查处理收受红包的医生"],
    ]
    titles = [f"{d['dept']}医生收红包", "举报医生索要红包", f"{d['op']}手术被要红包"]
    return titles, sentences


def registration_details(rng):
    return {
        "dept": rng.choice(DEPTS),
        "month": rng.randint(1, 12),
        "day": rng.randint(1, 28),
        "title": rng.choice(["专家", "主任医师", "副主任医师"]),
        "surname": rng.choice(SURNAMES),
        "price": rng.choice([100, 200, 300, 500]),
        "tries": rng.randint(3, 10),
    }


def registration_text(w: Writer, d):
    date, n = w.date(d["month"], d["day"]), w.num
    sentences = [
        [
            f"我想挂{d['dept']}{d['surname']}{d['title']}的号",
            f"为了挂{d['surname']}{d['title']}（{d['dept']}）的号",
            f"{d['dept']}{d['surname']}{d['title']}的号太难挂了",
        ],
        [
            f"网上放号一秒就没了，连续抢了{n(d['tries'])}天",
            f"公众号上抢了{n(d['tries'])}次都没抢到",
            f"预约平台试了{n(d['tries'])}回都显示约满",
        ],
        [
            f"{date}在门诊大厅有人{n(d['price'])}元一个号公开倒卖",
            f"{date}医院门口有号贩子要价{n(d['price'])}元",
            f"{date}看到有黄牛卖号，一个号{n(d['price'])}块钱",
        ],
        ["怀疑有内部人员串通号贩子", "保安看见了也不管", "医院对号贩子视而不见"],
    ]
    titles = ["挂号难号贩子倒号", f"{d['dept']}专家号被倒卖", "号贩子问题"]
    return titles, sentences


def cleanliness_details(rng):
    return {
        "ward": rng.choice(["住院部", "外科楼", "内科楼", "门诊楼"]),
        "floor": rng.randint(2, 12),
        "days": rng.randint(2, 6),
        "what": rng.choice(["厕所", "开水间", "走廊", "病房垃圾桶"]),
        "month": rng.randint(1, 12),
        "day": rng.randint(1, 28),
    }


def cleanliness_text(w: Writer, d):
    date, n = w.date(d["month"], d["day"]), w.num
    sentences = [
        [
            f"{d['ward']}{n(d['floor'])}楼的{d['what']}脏得不成样子",
            f"{d['ward']}{n(d['floor'])}层{d['what']}卫生太差",
            f"我{date}在{d['ward']}{n(d['floor'])}楼陪护，{d['what']}特别脏",
        ],
        [
            f"连续{n(d['days'])}天都没人打扫",
            f"{n(d['days'])}天了保洁一次没来",
            f"已经{n(d['days'])}天没清理",
        ],
        ["气味很大，病人和家属意见都很大", "臭气熏天，苍蝇乱飞", "地上都是污水，老人差点滑倒"],
    ]
    titles = [f"{d['ward']}{d['what']}卫生差", "病区环境卫生脏乱", f"{d['what']}没人打扫"]
    return titles, sentences


def report_details(rng):
    return {
        "test": rng.choice(["病理报告", "核磁共振报告", "基因检测", "甲功化验单", "骨密度报告"]),
        "month": rng.randint(1, 12),
        "day": rng.randint(1, 28),
        "promised": rng.randint(2, 7),
        "waited": rng.randint(10, 25),
        "who": rng.choice(WHO),
    }


def report_text(w: Writer, d):
    date, n = w.date(d["month"], d["day"]), w.num
    sentences = [
        [
            f"{d['who']}{date}做的{d['test']}",
            f"{date}给{d['who']}做了{d['test']}",
            f"我{d['who']}{date}在医院做{d['test']}",
        ],
        [
            f"当时说{n(d['promised'])}个工作日出结果",
            f"说好{n(d['promised'])}天能取",
            f"告知{n(d['promised'])}天后来拿",
        ],
        [
            f"现在过了{n(d['waited'])}天还没出来",
            f"等了{n(d['waited'])}天还是拿不到",
            f"{n(d['waited'])}天过去了，每次去问都说再等等",
        ],
        ["耽误了后续治疗", "病人等着报告才能手术，急死人了", "来回跑了好几趟"],
    ]
    titles = [f"{d['test']}迟迟不出", "检查结果久等不出", "报告拖延"]
    return titles, sentences


def emergency_details(rng):
    return {
        "month": rng.randint(1, 12),
        "day": rng.randint(1, 28),
        "hour": rng.randint(0, 5),
        "who": rng.choice(WHO),
        "illness": rng.choice(["高烧抽搐", "胸口疼", "摔伤流血", "肚子剧痛", "呼吸困难"]),
        "excuse": rng.choice(["没有床位", "值班医生在睡觉", "要先交押金"]),
    }


def emergency_text(w: Writer, d):
    date, n = w.date(d["month"], d["day"]), w.num
    excuse = {
        "没有床位": [
            "值班医生说没有床位让我们转院",
            "说没床了叫我们去别的医院",
            "以床位满了为由推走病人",
        ],
        "值班医生在睡觉": [
            "值班医生在睡觉叫了半天才出来",
            "敲了好久门医生才起来，还一脸不高兴",
            "值班室没人应，护士说医生在休息",
        ],
        "要先交押金": ["非要先交押金才肯处理", "说不交钱不能看", "收费处让先交五千押金再说"],
    }[d["excuse"]]
    sentences = [
        [
            f"{date}夜里{n(d['hour'])}点{d['who']}{d['illness']}送到急诊",
            f"{date}凌晨{n(d['hour'])}点我们把{d['who']}送去急诊，当时{d['illness']}",
            f"{d['who']}{date}半夜{d['illness']}，{n(d['hour'])}点到的急诊科",
        ],
        excuse,
        ["耽误了抢救时间", "人命关天怎么能这样", "急诊推诿病人，太不负责任"],
    ]
    titles = ["急诊推诿病人", f"急诊{d['excuse']}", "夜间急诊不接诊"]
    return titles, sentences


def parking_details(rng):
    return {
        "price": rng.choice([5, 8, 10, 15]),
        "hours": rng.randint(2, 6),
        "total": rng.choice([40, 60, 80, 100]),
        "month": rng.randint(1, 12),
        "day": rng.randint(1, 28),
        "gate": rng.choice(["东门", "西门", "南门", "北门"]),
    }


def parking_text(w: Writer, d):
    date, n = w.date(d["month"], d["day"]), w.num
    sentences = [
        [
            f"{date}在医院{d['gate']}停车场停车",
            f"{date}开车送病人，停在{d['gate']}停车场",
            f"我{date}把车停在医院{d['gate']}",
        ],
        [
            f"每小时收{n(d['price'])}元",
            f"一个小时{n(d['price'])}块钱",
            f"按{n(d['price'])}元一小时收费",
        ],
        [
            f"停了{n(d['hours'])}个小时收了{n(d['total'])}元，也不给发票",
            f"{n(d['hours'])}个小时要了{n(d['total'])}块，没有票据",
            f"{n(d['hours'])}小时收费{n(d['total'])}元，问要收据说没有",
        ],
        ["看病本来就难，停车还这么贵", "怀疑乱收费", "收费标准也没有公示"],
    ]
    titles = ["停车场乱收费", f"医院{d['gate']}停车收费高", "停车不给发票"]
    return titles, sentences


def insurance_details(rng):
    return {
        "trips": rng.randint(3, 7),
        "missing": rng.choice(["出院小结", "发票原件", "转诊单", "费用明细", "诊断证明"]),
        "amount": rng.choice([3200, 5600, 8800, 12000, 15600]),
        "month": rng.randint(1, 12),
        "day": rng.randint(1, 28),
        "who": rng.choice(WHO),
    }


def insurance_text(w: Writer, d):
    date, n = w.date(d["month"], d["day"]), w.num
    sentences = [
        [
            f"{d['who']}住院花了{n(d['amount'])}元，到医保窗口报销",
            f"给{d['who']}办{n(d['amount'])}元的医保报销",
            f"{d['who']}的住院费{n(d['amount'])}元要走医保",
        ],
        [
            f"每次都说材料不全，这次又要{d['missing']}",
            f"窗口一次只说一样，最后又说缺{d['missing']}",
            f"{date}去了又被告知少{d['missing']}",
        ],
        [
            f"前前后后跑了{n(d['trips'])}趟",
            f"已经来回跑了{n(d['trips'])}次",
            f"为这事跑了{n(d['trips'])}回",
        ],
        ["为什么不能一次性告知", "这就是让群众多跑路", "办事效率太低了"],
    ]
    titles = ["医保报销来回跑", "报销材料不一次性告知", f"报销缺{d['missing']}"]
    return titles, sentences


def records_details(rng):
    return {
        "days": rng.randint(5, 20),
        "price": rng.choice([1, 2, 5]),
        "pages": rng.choice([40, 60, 80, 120]),
        "month": rng.randint(1, 12),
        "day": rng.randint(1, 28),
        "purpose": rng.choice(["保险理赔", "转院", "工伤认定", "打官司"]),
    }


def records_text(w: Writer, d):
    date, n = w.date(d["month"], d["day"]), w.num
    sentences = [
        [
            f"{date}到病案室复印病历，用于{d['purpose']}",
            f"因为{d['purpose']}需要，{date}去复印住院病历",
            f"我{date}申请复印病历办{d['purpose']}",
        ],
        [
            f"说要等{n(d['days'])}天才能拿",
            f"告诉我{n(d['days'])}天后再来",
            f"让我回去等{n(d['days'])}天",
        ],
        [
            f"一页收{n(d['price'])}元，{n(d['pages'])}多页",
            f"每页{n(d['price'])}块钱，一共{n(d['pages'])}页",
            f"按{n(d['price'])}元一页收，有{n(d['pages'])}页",
        ],
        ["收费太高而且拖太久", "这是病人的权利为什么要拖", "希望简化手续"],
    ]
    titles = ["复印病历难", "病历复印收费高等待久", f"复印病历要等{n(d['days'])}天"]
    return titles, sentences


TOPICS = {
    "waiting": (waiting_details, waiting_text),
    "attitude": (attitude_details, attitude_text),
    "fees": (fees_details, fees_text),
    "prescription": (prescription_details, prescription_text),
    "redpacket": (redpacket_details, redpacket_text),
    "registration": (registration_details, registration_text),
    "cleanliness": (cleanliness_details, cleanliness_text),
    "report": (report_details, report_text),
    "emergency": (emergency_details, emergency_text),
    "parking": (parking_details, parking_text),
    "insurance": (insurance_details, insurance_text),
    "records": (records_details, records_text),
}
OPENINGS = ["", "", "我要投诉{unit}。", "反映{unit}的问题：", "{unit}的问题。", "您好，"]
CLOSINGS = [
    "",
    "希望有关部门严肃处理。",
    "请尽快给个说法。",
    "请领导重视。",
    "希望医院加强管理。",
    "要求整改并答复。",
]
HOTLINE_CLOSINGS = ["诉求：请相关部门核实处理。", "来电人要求尽快答复。", "请予以处理并回复。"]


def write(rng: random.Random, unit: str, topic: str, details: dict, writer: Writer):
    titles, sentences = TOPICS[topic][1](writer, details)
    chosen = [writer.pick(options) for options in sentences]
    if len(chosen) > 3 and rng.random() < 0.25:
        chosen.pop(rng.randrange(1, len(chosen)))  # some writers leave a detail out
    body = "，".join(chosen) + "。"
    if writer.hotline:
        body = body.replace("我们", "他们").replace("我", "其").replace("本人", "来电人")
        text = f"来电人反映：{body}{writer.pick(HOTLINE_CLOSINGS)}"
    else:
        text = writer.pick(OPENINGS).format(unit=unit) + body + writer.pick(CLOSINGS)
    return writer.pick(titles), text


def new_phone(rng: random.Random) -> str:
    return "1" + rng.choice("3578") + "".join(rng.choice("0123456789") for _ in range(9))


def styled_phone(rng: random.Random, phone: str) -> str:
    return rng.choice(
        [
            phone,
            f"+86 {phone[:3]}-{phone[3:7]}-{phone[7:]}",
            f"{phone[:3]} {phone[3:7]} {phone[7:]}",
            f"0086{phone}",
            f"86-{phone}",
        ]
    )


def complaint(unit, title, content, phone, received_at, status="open"):
    return {
        "unit": unit,
        "title": title,
        "content": content,
        "phone": phone,
        "received_at": received_at.isoformat(),
        "status": status,
    }


def maybe_phone(rng):
    return new_phone(rng) if rng.random() < 0.7 else ""


def build(seed: int = SEED) -> list[dict]:
    rng = random.Random(seed)
    topics = sorted(TOPICS)
    pairs: list[dict] = []

    def add(kind, label, a, b):
        pairs.append(
            {"id": f"{kind}-{len(pairs) + 1:03d}", "kind": kind, "label": label, "a": a, "b": b}
        )

    def incident(topic=None):
        topic = topic or rng.choice(topics)
        return topic, TOPICS[topic][0](rng)

    def start():
        return BASE + timedelta(days=rng.randint(0, 200), hours=rng.randint(0, 9))

    # Paraphrases: the same incident, two writers.
    for i in range(84):
        unit = UNITS[i % len(UNITS)]
        topic, details = incident(topics[i % len(topics)])
        t0 = start()
        ta, ca = write(rng, unit, topic, details, Writer(rng))
        tb, cb = write(rng, unit, topic, details, Writer(rng))
        later = t0 + timedelta(days=rng.randint(0, 12), hours=rng.randint(1, 8))
        add(
            "paraphrase",
            True,
            complaint(unit, ta, ca, maybe_phone(rng), t0),
            complaint(unit, tb, cb, maybe_phone(rng), later),
        )
    # Same phone within 30 days: a second account or a follow-up.
    for i in range(36):
        unit = rng.choice(UNITS)
        topic, details = incident(topics[i % len(topics)])
        phone = new_phone(rng)
        writer = Writer(rng, hotline=False)
        t0 = start()
        ta, ca = write(rng, unit, topic, details, writer)
        if i % 2:
            tb, cb = write(rng, unit, topic, details, Writer(rng))
        else:
            tb = rng.choice(["催办", "问题至今没有处理", "再次反映"])
            when = writer.date(t0.month, t0.day)
            cb = rng.choice(
                [
                    f"我{when}反映的问题到现在还没人联系我，请尽快处理。",
                    f"{when}打过电话投诉{unit}，一直没有答复，再次反映。",
                    "上次投诉的事情过去很久了，没有任何回音，希望有人管一管。",
                ]
            )
        later = t0 + timedelta(days=rng.randint(1, 29), hours=rng.randint(0, 8))
        add(
            "same_phone",
            True,
            complaint(unit, ta, ca, styled_phone(rng, phone), t0),
            complaint(unit, tb, cb, styled_phone(rng, phone), later),
        )
    # Unrelated complaints about the same unit.
    for i in range(56):
        unit = UNITS[i % len(UNITS)]
        ta_topic, tb_topic = rng.sample(topics, 2)
        t0 = start()
        ta, ca = write(rng, unit, ta_topic, TOPICS[ta_topic][0](rng), Writer(rng))
        tb, cb = write(rng, unit, tb_topic, TOPICS[tb_topic][0](rng), Writer(rng))
        later = t0 + timedelta(days=rng.randint(0, 40), hours=rng.randint(1, 8))
        add(
            "unrelated_same_unit",
            False,
            complaint(unit, ta, ca, maybe_phone(rng), t0),
            complaint(unit, tb, cb, maybe_phone(rng), later),
        )
    # Near-topic: same kind of problem, another incident (other details) at the same unit.
    for i in range(72):
        unit = UNITS[i % len(UNITS)]
        topic = topics[i % len(topics)]
        first = TOPICS[topic][0](rng)
        second = TOPICS[topic][0](rng)
        # Half the time the two incidents share some details (same department or same day).
        if i % 2 and "dept" in first:
            second["dept"] = first["dept"]
        if i % 3 == 0:
            second["month"] = first["month"]
        t0 = start()
        ta, ca = write(rng, unit, topic, first, Writer(rng))
        tb, cb = write(rng, unit, topic, second, Writer(rng))
        later = t0 + timedelta(days=rng.randint(0, 45), hours=rng.randint(1, 8))
        add(
            "near_topic",
            False,
            complaint(unit, ta, ca, maybe_phone(rng), t0),
            complaint(unit, tb, cb, maybe_phone(rng), later),
        )
    # Same phone, more than 30 days later, another matter.
    for _ in range(10):
        unit_a, unit_b = rng.choice(UNITS), rng.choice(UNITS)
        ta_topic, tb_topic = rng.sample(topics, 2)
        phone = new_phone(rng)
        t0 = start()
        ta, ca = write(rng, unit_a, ta_topic, TOPICS[ta_topic][0](rng), Writer(rng))
        tb, cb = write(rng, unit_b, tb_topic, TOPICS[tb_topic][0](rng), Writer(rng))
        later = t0 + timedelta(days=rng.randint(35, 120))
        add(
            "same_phone_old",
            False,
            complaint(unit_a, ta, ca, styled_phone(rng, phone), t0),
            complaint(unit_b, tb, cb, styled_phone(rng, phone), later),
        )
    # Same phone within 30 days, another matter (suggested by design: the office decides).
    for _ in range(6):
        unit_a, unit_b = rng.choice(UNITS), rng.choice(UNITS)
        ta_topic, tb_topic = rng.sample(topics, 2)
        phone = new_phone(rng)
        t0 = start()
        ta, ca = write(rng, unit_a, ta_topic, TOPICS[ta_topic][0](rng), Writer(rng))
        tb, cb = write(rng, unit_b, tb_topic, TOPICS[tb_topic][0](rng), Writer(rng))
        later = t0 + timedelta(days=rng.randint(2, 28))
        add(
            "same_phone_other_matter",
            False,
            complaint(unit_a, ta, ca, styled_phone(rng, phone), t0),
            complaint(unit_b, tb, cb, styled_phone(rng, phone), later),
        )
    return pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(Path(__file__).with_name("pairs.jsonl")))
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    pairs = build(args.seed)
    with open(args.out, "w", encoding="utf-8") as handle:
        for pair in pairs:
            handle.write(json.dumps(pair, ensure_ascii=False, sort_keys=True) + "\n")
    kinds: dict[str, int] = {}
    for pair in pairs:
        kinds[pair["kind"]] = kinds.get(pair["kind"], 0) + 1
    print(json.dumps({"pairs": len(pairs), "kinds": kinds}, ensure_ascii=False))


if __name__ == "__main__":
    main()
