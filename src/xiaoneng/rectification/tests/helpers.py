"""Shared helpers of the ledger tests."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from xiaoneng.core.files import store_bytes
from xiaoneng.rectification import services

CST = ZoneInfo("Asia/Shanghai")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def at(*args) -> datetime:
    return datetime(*args, tzinfo=CST)


def evidence(actor, name: str = "evidence.pdf"):
    return store_bytes(data=PDF, name=name, actor=actor)


def issue(org, unit=None, actor=None, **over):
    kwargs = {
        "actor": actor or org.alice,
        "unit": unit or org.unit_a,
        "source": "inspection",
        "title": "门诊大厅导诊台无人值守",
        "description": "明查发现导诊台上午10点无人值守。",
    }
    kwargs.update(over)
    return services.issue_create(**kwargs)


def item(org, the_issue=None, actor=None, **over):
    the_issue = the_issue or issue(org)
    kwargs = {
        "actor": actor or org.alice,
        "issue": the_issue,
        "type": "immediate",
        "measures": "安排专人值守导诊台",
        "target": "导诊台全天有人",
    }
    kwargs.update(over)
    return services.item_create(**kwargs)


def closed_item(org, **over):
    it = item(org, **over)
    services.close_request(item=it, actor=org.bob, summary="已整改", files=[evidence(org.bob)])
    services.verify(item=it, actor=org.alice, decision="accept")
    it.refresh_from_db()
    return it
