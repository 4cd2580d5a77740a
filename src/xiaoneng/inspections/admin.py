"""Admin for the inspection rules (督办单 deadline, bulletin cadence). Plans, visits, findings,
orders and bulletins change only through services."""

from django.contrib import admin

from xiaoneng.core.admin import AuditedAdmin

from .models import InspectionRules


@admin.register(InspectionRules)
class InspectionRulesAdmin(AuditedAdmin):
    list_display = [
        "__str__",
        "order_deadline_working_days",
        "bulletin_interval_months",
        "bulletin_remind_days",
        "escalate_after_working_days",
    ]
