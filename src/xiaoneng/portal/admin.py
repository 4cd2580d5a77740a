"""Admin pages for the public site's editable content (supervision channels, service standards)
and a read-only list of the complainants' ratings."""

from django.contrib import admin

from xiaoneng.core.admin import AuditedAdmin

from .models import PublicFeedback, ServiceStandard, SupervisionChannel


@admin.register(SupervisionChannel)
class SupervisionChannelAdmin(AuditedAdmin):
    list_display = ["name", "kind", "value", "note", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "value"]


@admin.register(ServiceStandard)
class ServiceStandardAdmin(AuditedAdmin):
    list_display = ["title", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["title", "content"]


@admin.register(PublicFeedback)
class PublicFeedbackAdmin(AuditedAdmin):
    """Ratings are written by the complainants through the public site only."""

    list_display = ["complaint", "satisfaction", "redo_requested", "applied_as", "rated_at"]
    list_filter = ["satisfaction", "redo_requested", "applied_as"]
    list_select_related = ["complaint"]
    readonly_fields = [f.name for f in PublicFeedback._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
