"""Admin for the complaint engine's rules (data, not code): categories, time limits, escalation
ladder and engine settings. Cases themselves are changed only through the services."""

from django.contrib import admin

from xiaoneng.core.admin import AuditedAdmin

from .models import Category, ComplaintRules, EscalationRule, SlaPolicy


@admin.register(Category)
class CategoryAdmin(AuditedAdmin):
    list_display = ["name", "code", "group", "sort_order", "is_active"]
    list_filter = ["group", "is_active"]
    search_fields = ["name", "code"]


@admin.register(SlaPolicy)
class SlaPolicyAdmin(AuditedAdmin):
    list_display = [
        "name",
        "code",
        "priority",
        "sign_value",
        "sign_unit",
        "feedback_value",
        "feedback_unit",
        "resolve_value",
        "resolve_unit",
        "is_active",
    ]
    list_filter = ["is_active", "resolve_unit"]
    search_fields = ["name", "code", "source"]
    ordering = ["priority", "id"]


@admin.register(EscalationRule)
class EscalationRuleAdmin(AuditedAdmin):
    list_display = ["percent", "level", "notify_office", "is_active"]


@admin.register(ComplaintRules)
class ComplaintRulesAdmin(AuditedAdmin):
    list_display = [
        "__str__",
        "max_extensions",
        "send_back_limit_working_days",
        "criticism_after_working_days",
        "yellow_remaining_working_days",
        "yellow_elapsed_percent",
    ]

    def has_add_permission(self, request):
        return not ComplaintRules.objects.exists()
