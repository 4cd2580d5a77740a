"""Admin for the reference data (checklist templates, learning requirements, 五个一 definitions).
Unit records (answers, commitments, learning, occurrences, rules) change only through services."""

from django.contrib import admin

from xiaoneng.core.admin import AuditedAdmin

from .models import ChecklistItem, ChecklistTemplate, LearningRequirement, RecurringActivity


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0
    fields = ["number", "title", "text", "guidance"]


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(AuditedAdmin):
    list_display = ["name", "code", "target", "sort_order", "is_active"]
    list_filter = ["target", "is_active"]
    search_fields = ["name", "code", "source"]
    inlines = [ChecklistItemInline]


@admin.register(LearningRequirement)
class LearningRequirementAdmin(AuditedAdmin):
    list_display = ["name", "measure", "minimum", "maximum", "starts_on", "ends_on", "is_active"]
    list_filter = ["measure", "is_active"]


@admin.register(RecurringActivity)
class RecurringActivityAdmin(AuditedAdmin):
    list_display = ["name", "code", "frequency", "all_units", "active_from", "is_active"]
    list_filter = ["frequency", "is_active"]
    filter_horizontal = ["units"]
