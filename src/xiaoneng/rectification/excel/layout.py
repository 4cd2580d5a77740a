"""The ledger file's layout: headers, job kinds and the Chinese labels of the vocabulary."""

from __future__ import annotations

from xiaoneng.core import spreadsheet as xlsx

from ..vocab import IssueSource, ItemStatus, ItemType

HEADERS = [
    "序号",
    "问题来源",
    "问题描述",
    "整改类型",
    "整改措施",
    "整改目标",
    "整改时限",
    "责任单位",
    "责任人",
    "责任领导",
    "进展情况",
    "状态",
    "销号日期",
    "事项编号",
]
REQUIRED_HEADERS = HEADERS[:13]
SHEET_TITLE = "整改台账"
XLSX = xlsx.CONTENT_TYPE
EXPORT_KIND = "rectification.export"
IMPORT_KIND = "rectification.import"

# The labels in the file are the Chinese vocabulary (data, like seeded names); codes work too.
SOURCE_LABELS = {
    "self_inspection": "自查自纠",
    "complaint": "投诉举报",
    "inspection": "明查暗访",
    "evaluation": "评议考评",
    "service_time": "限时服务",
    "assigned": "上级交办",
    "supervisor": "社会监督",
    "other": "其他",
}
TYPE_LABELS = {"immediate": "即时整改", "staged": "阶段整改", "long_term": "长期整改"}
STATUS_LABELS = {
    "pending": "待整改",
    "in_progress": "整改中",
    "close_requested": "申请销号",
    "closed": "已销号",
    "reopened": "重新打开",
}


def _reverse(mapping: dict[str, str], choices) -> dict[str, str]:
    out = {v: k for k, v in mapping.items()}
    out.update({code: code for code in choices})
    out.update({str(label): code for code, label in choices.choices})
    return out


SOURCE_CODES = _reverse(SOURCE_LABELS, IssueSource)
TYPE_CODES = _reverse(TYPE_LABELS, ItemType)
STATUS_CODES = _reverse(STATUS_LABELS, ItemStatus)
