"""Statistics sources that join two apps (see ``reports.registry``): ledger clearance by
campaign (the ledger keeps a plain campaign id; the names come from campaigns)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from xiaoneng.campaigns.models import Campaign
from xiaoneng.rectification import stats as ledger_stats

from . import registry as stats


@stats.source(
    "ledger.by_campaign",
    _("Ledger clearance by campaign"),
    order=31,
    group=ledger_stats.GROUP,
    chart=stats.Chart("bar", x="campaign", series=("closed", "open"), stack=True),
)
def ledger_by_campaign(user, params: stats.Params) -> stats.Table:
    rows = ledger_stats.clearance_rows(ledger_stats.items(user, params), "campaign")
    names = dict(
        Campaign.objects.filter(pk__in=[r["key"] for r in rows if r["key"]]).values_list(
            "pk", "name"
        )
    )
    for row in rows:
        row.pop("label")
        row["campaign_id"] = row.pop("key")
        row["campaign"] = (
            names.get(row["campaign_id"], "") if row["campaign_id"] else str(_("No campaign"))
        )
    return stats.Table(
        columns=[stats.Column("campaign", _("Campaign")), *ledger_stats.CLEARANCE_COLUMNS],
        rows=rows,
    )
