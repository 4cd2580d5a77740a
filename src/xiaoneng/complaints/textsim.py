"""Chinese-aware text similarity for duplicate detection, with no model and no download.

A complaint text becomes a bag of features:
- character bigrams of each run of Chinese characters (no segmentation needed);
- numbers glued to the unit after them (``3月``, ``5日``, ``380元``, ``12床``), weighted up:
  dates, amounts and bed numbers are what tell two incidents of the same kind apart;
- Latin words and bare numbers.

Before that the text is normalised: full-width → half-width (NFKC), Chinese numerals → digits
(三月五号 → 3月5日, 两个钟头 → 2个小时), a few colloquial synonyms (大夫 → 医生), and everything
that is not a letter, digit or Chinese character is dropped.

Features common to almost every hospital complaint (医院, 患者, 工作人员, 投诉, 希望…) carry little
weight (``GENERIC``). Similarity is the cosine of the weighted vectors, in [0, 1].
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property, lru_cache

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7}
DIGITS |= {"八": 8, "九": 9}
MULTIPLIERS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
NUMERAL_RUN = re.compile(r"[零〇一二两三四五六七八九十百千万]+")
# Colloquial or regional words → one spelling (applied after numeral conversion).
SYNONYMS = (
    ("钟头", "小时"),
    ("大夫", "医生"),
    ("礼拜", "星期"),
    ("周末", "星期"),
    ("块钱", "元"),
    ("排了队", "排队"),
    ("收银", "收费"),
    ("缴费", "交费"),
    ("家长", "家属"),
    ("孩子", "小孩"),
    ("儿子", "小孩"),
    ("女儿", "小孩"),
)
DATE_DAY = re.compile(r"(\d{1,2})月(\d{1,2})号")
UNIT_AFTER_NUMBER = "年月日号点时分秒元岁天周次床楼层号个位名份张项盒粒瓶支趟"
NUMBER_WITH_UNIT = re.compile(rf"(\d+(?:\.\d+)?)([{UNIT_AFTER_NUMBER}]?)")
HAN = re.compile(r"[\u3400-\u9fff]+")
TOKEN = re.compile(rf"\d+(?:\.\d+)?[{UNIT_AFTER_NUMBER}]?|[a-z]+|[\u3400-\u9fff]+")

NUMBER_WEIGHT = 2.5
# Bigrams that nearly every complaint about a hospital contains: they say little about the incident.
GENERIC_WORDS = (
    "医院 患者 病人 家属 工作人员 投诉 反映 举报 希望 要求 请求 有关部门 领导 处理 解决 严肃 "
    "问题 情况 一个 没有 什么 这个 那个 我们 他们 自己 时候 现在 已经 还是 但是 因为 所以 "
    "而且 然后 结果 说法 答复 回复 相关 管理 加强 改进 整改 督促 市民 来电 诉求 本人 之后 "
    "可以 不能 就是 这样 真的 非常 实在 太 了 的 在 是 都 也 就 还 又 给 让 被 把 对 到 去 来"
)
GENERIC_WEIGHT = 0.15


def _numeral_value(run: str) -> int | None:
    """一 → 1, 十五 → 15, 三百八十 → 380, 两千 → 2000, 一二〇 → 120 (digit by digit)."""
    if not any(ch in MULTIPLIERS for ch in run):
        if len(run) == 1 or all(ch in DIGITS for ch in run):
            return int("".join(str(DIGITS[ch]) for ch in run))
        return None
    total, section, number = 0, 0, 0
    for ch in run:
        if ch in DIGITS:
            number = DIGITS[ch]
        elif ch == "万":
            total += (section + number) * 10000
            section, number = 0, 0
        else:
            section += (number or 1) * MULTIPLIERS[ch]
            number = 0
    return total + section + number


def _numerals_to_digits(text: str) -> str:
    def convert(match: re.Match) -> str:
        run = match.group(0)
        # A lone 一/两 inside words (一直, 一样, 两人…) is kept only before a measure word.
        value = _numeral_value(run)
        if value is None:
            return run
        after = text[match.end() : match.end() + 1]
        if len(run) == 1 and run in "一两" and after not in UNIT_AFTER_NUMBER:
            return run
        return str(value)

    return NUMERAL_RUN.sub(convert, text)


def normalise(text: str) -> str:
    """Lower-case, half-width, digits for Chinese numerals, one spelling for common synonyms."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = _numerals_to_digits(text)
    for word, replacement in SYNONYMS:
        text = text.replace(word, replacement)
    return DATE_DAY.sub(r"\1月\2日", text)


@lru_cache(maxsize=1)
def _generic() -> frozenset[str]:
    grams: set[str] = set()
    for word in GENERIC_WORDS.split():
        grams.update(word[i : i + 2] for i in range(max(1, len(word) - 1)))
    return frozenset(grams)


def features(text: str) -> dict[str, float]:
    """The weighted bag of features of a text (see the module docstring)."""
    counts: Counter[str] = Counter()
    numbers: set[str] = set()
    for token in TOKEN.findall(normalise(text)):
        if token[0].isdigit():
            counts[token] += 1
            numbers.add(token)
        elif HAN.fullmatch(token):
            if len(token) == 1:
                counts[token] += 1
            else:
                counts.update(token[i : i + 2] for i in range(len(token) - 1))
        else:
            counts[token] += 1
    generic = _generic()
    vector: dict[str, float] = {}
    for gram, n in counts.items():
        weight = 1.0 + math.log(n)  # sublinear term frequency
        if gram in numbers:
            weight *= NUMBER_WEIGHT
        elif gram in generic or len(gram) == 1:
            weight *= GENERIC_WEIGHT
        vector[gram] = weight
    norm = math.sqrt(sum(w * w for w in vector.values()))
    return {g: w / norm for g, w in vector.items()} if norm else {}


# Intake compares each new case with up to a few hundred open cases of its unit; the same
# texts come round again and again, so their features are kept (bounded: ~10 KB a text).
_cached_features = lru_cache(maxsize=8192)(features)


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine of two normalised feature vectors."""
    if len(a) > len(b):
        a, b = b, a
    return min(1.0, sum(w * b.get(g, 0.0) for g, w in a.items()))


def similarity(text_a: str, text_b: str) -> float:
    return cosine(features(text_a), features(text_b))


# --- the rule: is `new` a possible duplicate of `old`? ---------------------------------------------
PHONE_WINDOW_DAYS = 30
TEXT_WINDOW_DAYS = 90
TEXT_THRESHOLD = 0.45
# Two accounts that both give the day of the incident, and not the same day, are most likely two
# incidents: the similarity is scaled down.
DATE_CONFLICT_FACTOR = 0.7
FULL_DATE = re.compile(r"\d{1,2}月\d{1,2}日")


@lru_cache(maxsize=8192)
def _cached_dates(text: str) -> frozenset[str]:
    return frozenset(FULL_DATE.findall(normalise(text)))


@dataclass(frozen=True)
class Doc:
    """What the rule needs to know of a complaint (no Django: the benchmark uses it as is)."""

    unit: object
    text: str
    received_at: datetime
    phone_key: str = ""  # the normalised phone or its blind index; "" when unknown
    open: bool = True

    @cached_property
    def vector(self) -> dict[str, float]:
        return _cached_features(self.text)

    @cached_property
    def dates(self) -> frozenset[str]:
        return _cached_dates(self.text)


@dataclass(frozen=True)
class Verdict:
    reason: str  # "phone", "text" or "phone_text" (vocab.SuggestionReason)
    score: float


def text_score(new: Doc, old: Doc) -> float:
    """Cosine similarity, scaled by DATE_CONFLICT_FACTOR when the two give different days."""
    score = cosine(new.vector, old.vector)
    if new.dates and old.dates and not new.dates & old.dates:
        score *= DATE_CONFLICT_FACTOR
    return score


def judge(new: Doc, old: Doc, *, threshold: float = TEXT_THRESHOLD) -> Verdict | None:
    """The same phone within PHONE_WINDOW_DAYS, or similar text (≥ threshold) about the same unit
    while the older case is open and at most TEXT_WINDOW_DAYS older. None: not a suggestion."""
    gap = abs(new.received_at - old.received_at)
    phone = bool(new.phone_key) and new.phone_key == old.phone_key
    phone = phone and gap <= timedelta(days=PHONE_WINDOW_DAYS)
    score = text_score(new, old)
    text = (
        new.unit == old.unit
        and old.open
        and gap <= timedelta(days=TEXT_WINDOW_DAYS)
        and score >= threshold
    )
    if phone and text:
        return Verdict("phone_text", score)
    if phone:
        return Verdict("phone", score)
    if text:
        return Verdict("text", score)
    return None


def normalise_phone(value: str) -> str:
    """Digits only, without the +86 / 0086 / 86 prefix (the same rule as services.normalise_phone)."""
    digits = re.sub(r"\D", "", value or "")
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) - len(prefix) >= 11:
            return digits[len(prefix) :]
    return digits


# --- measuring on labelled pairs (bench/duplicates/pairs.jsonl) ------------------------------------
def pair_doc(data: dict) -> Doc:
    """A complaint of the labelled set → Doc (text = title + content, as on intake)."""
    return Doc(
        unit=data["unit"],
        text=f"{data['title']}。{data['content']}",
        received_at=datetime.fromisoformat(data["received_at"]),
        phone_key=normalise_phone(data.get("phone", "")),
        open=data.get("status", "open") == "open",
    )


def evaluate(pairs: list[dict], *, threshold: float = TEXT_THRESHOLD) -> dict:
    """Precision, recall and F1 of the suggestions on labelled pairs (b is the newer case)."""
    tp = fp = fn = tn = 0
    misses: list[dict] = []
    for pair in pairs:
        verdict = judge(pair_doc(pair["b"]), pair_doc(pair["a"]), threshold=threshold)
        suggested, label = verdict is not None, bool(pair["label"])
        if suggested and label:
            tp += 1
        elif suggested:
            fp += 1
            misses.append({"id": pair["id"], "error": "false_positive", "verdict": verdict})
        elif label:
            fn += 1
            misses.append({"id": pair["id"], "error": "false_negative"})
        else:
            tn += 1
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "pairs": len(pairs),
        "threshold": threshold,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "errors": misses,
    }
