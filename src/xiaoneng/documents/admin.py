from django.contrib import admin

from . import services
from .models import Document, DocumentTemplate, Letterhead


@admin.register(Letterhead)
class LetterheadAdmin(admin.ModelAdmin):
    list_display = ["unit", "mark", "prefix", "seal_name"]


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(admin.ModelAdmin):
    """Saving a change stores a new version (the old one stays, inactive)."""

    list_display = ["name", "code", "kind", "version", "active", "number_format", "updated_at"]
    list_filter = ["kind", "active"]
    readonly_fields = ["code", "kind", "version", "active", "updated_by", "updated_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        changes = {
            f: form.cleaned_data[f] for f in form.changed_data if f in services.TEMPLATE_FIELDS
        }
        new = services.template_revise(
            actor=request.user, template=DocumentTemplate.objects.get(pk=obj.pk), **changes
        )
        obj.pk = new.pk
        return None


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "kind", "unit", "status", "dated"]
    list_filter = ["kind", "status"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # documents change through the issue flow only

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
