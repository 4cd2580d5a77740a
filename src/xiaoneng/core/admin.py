"""Django admin for system administrators. Changes are audited; audit and login logs are read-only."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.template import Template, TemplateSyntaxError
from django.utils.translation import gettext_lazy as _

from . import audit
from .models import (
    ApiToken,
    AuditRecord,
    CalendarDay,
    CalendarYear,
    DeliveryReceipt,
    Department,
    LoginLog,
    Message,
    Notification,
    NotificationTemplate,
    Person,
    Role,
    Unit,
    User,
)
from .services import accounts
from .services import org as org_services

admin.site.site_header = _("Xiaoneng administration")
admin.site.site_title = _("Xiaoneng administration")


class AuditedAdmin(admin.ModelAdmin):
    """Every save and delete through the admin leaves an audit record with before/after."""

    def save_model(self, request, obj, form, change):
        before = audit.snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit.record(
                "update" if change else "create",
                obj,
                before=before,
                after=audit.snapshot(obj),
                actor=request.user,
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit.record("delete", obj, before=audit.snapshot(obj), actor=request.user)
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    list_display = ["name", "code", "kind", "level", "parent", "is_window", "is_active"]
    list_filter = ["kind", "level", "is_window", "is_active"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent", "principal"]

    def save_model(self, request, obj, form, change):
        data = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name in org_services.UNIT_FIELDS
        }
        if change:
            org_services.unit_update(actor=request.user, unit=obj, check=False, **data)
        else:
            data = {k: v for k, v in form.cleaned_data.items() if k in org_services.UNIT_FIELDS}
            created = org_services.unit_create(actor=request.user, check=False, **data)
            obj.pk = created.pk


@admin.register(Department)
class DepartmentAdmin(AuditedAdmin):
    list_display = ["name", "unit", "kind", "head", "leader_in_charge"]
    list_filter = ["kind"]
    search_fields = ["name", "unit__name"]
    autocomplete_fields = ["unit", "head", "leader_in_charge"]


@admin.register(Person)
class PersonAdmin(AuditedAdmin):
    list_display = ["name", "unit", "position", "title", "political_status", "is_active"]
    list_filter = ["political_status", "is_active"]
    search_fields = ["name", "employee_no", "phone"]
    autocomplete_fields = ["unit", "departments"]


@admin.register(Role)
class RoleAdmin(AuditedAdmin):
    list_display = ["name", "code", "data_scope", "read_only", "is_builtin"]
    filter_horizontal = ["custom_units"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "person", "is_active", "is_superuser", "locked_until", "last_login"]
    autocomplete_fields = ["person"]
    filter_horizontal = ["roles", "groups", "user_permissions"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("Xiaoneng"), {"fields": ("person", "roles", "must_change_password")}),
    )
    actions = ["lock_accounts", "unlock_accounts", "revoke_tokens"]

    @admin.action(description=_("Lock the selected accounts (and revoke their API tokens)"))
    def lock_accounts(self, request, queryset):
        for user in queryset:
            accounts.account_lock(actor=request.user, user=user, check=False)

    @admin.action(description=_("Unlock the selected accounts"))
    def unlock_accounts(self, request, queryset):
        for user in queryset:
            accounts.account_unlock(actor=request.user, user=user, check=False)

    @admin.action(description=_("Revoke all API tokens of the selected accounts"))
    def revoke_tokens(self, request, queryset):
        for user in queryset:
            accounts.tokens_revoke_all(actor=request.user, user=user)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.must_change_password = True  # admin-created accounts choose their own password
        before = audit.snapshot(User.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        audit.record(
            "update" if change else "create",
            obj,
            before=before,
            after=audit.snapshot(obj),
            actor=request.user,
        )


@admin.register(CalendarDay)
class CalendarDayAdmin(AuditedAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    date_hierarchy = "date"


@admin.register(CalendarYear)
class CalendarYearAdmin(AuditedAdmin):
    list_display = ["year", "source", "updated_at"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditRecord)
class AuditRecordAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_name", "action", "object_type", "object_repr", "ip", "request_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "actor_name", "object_id", "request_id"]


@admin.register(LoginLog)
class LoginLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "username", "outcome", "ip", "user_agent"]
    list_filter = ["outcome", "success"]
    search_fields = ["username", "ip"]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["prefix", "user", "name", "created_at", "expires_at", "revoked_at"]


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "recipient", "title", "read_at"]


class NotificationTemplateForm(forms.ModelForm):
    # Event codes are dotted ("complaint.dispatched"); the model's slug check would refuse them.
    event = forms.RegexField(
        label=_("event"),
        regex=r"^[-a-zA-Z0-9_.]+$",
        max_length=50,
        help_text=_("For example complaint.dispatched, complaint.overdue_reminder."),
    )

    class Meta:
        model = NotificationTemplate
        fields = ["event", "channel", "subject", "body", "is_active"]

    def _get_validation_exclusions(self):
        return {*super()._get_validation_exclusions(), "event"}

    def clean(self):
        data = super().clean()
        # "event" is excluded from the model's checks above, so its unique pair is checked here.
        event, channel = data.get("event"), data.get("channel")
        if event and channel:
            clash = NotificationTemplate.objects.filter(event=event, channel=channel)
            if clash.exclude(pk=self.instance.pk).exists():
                self.add_error("event", _("A template for this event and channel already exists."))
        for name in ("subject", "body"):
            try:
                Template(data.get(name) or "")
            except TemplateSyntaxError as exc:
                self.add_error(name, _("Template syntax error: %(error)s") % {"error": exc})
        return data


@admin.register(NotificationTemplate)
class NotificationTemplateAdmin(AuditedAdmin):
    """E-mail and SMS texts per event, in Django template syntax ({{ title }}, {{ body }},
    {{ link }}, {{ user }} and the event's own values). No template, no e-mail/SMS for the event."""

    form = NotificationTemplateForm
    list_display = ["event", "event_label", "channel", "subject", "is_active"]
    list_filter = ["channel", "is_active"]
    search_fields = ["event", "subject", "body"]

    @admin.display(description=_("event"))
    def event_label(self, obj):
        from .notify import EVENTS

        return EVENTS.get(obj.event, "")


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """The outbox, for checking delivery; a message given up on can be queued again."""

    list_display = ["created_at", "event", "channel", "recipient", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel", "event"]
    search_fields = ["dedup_key", "subject"]
    exclude = ["address", "claim_token"]
    actions = ["retry"]

    @admin.action(description=_("Queue again for delivery"))
    def retry(self, request, queryset):
        from . import clock

        count = queryset.filter(status__in=["dead", "pending"]).update(
            status="pending", next_attempt_at=clock.now(), lease_until=None
        )
        audit.record(
            "notification_retry",
            request.user,
            after={"count": count},
            actor=request.user,
        )
        self.message_user(request, _("%(count)s messages queued again.") % {"count": count})


@admin.register(DeliveryReceipt)
class DeliveryReceiptAdmin(ReadOnlyAdmin):
    list_display = ["at", "channel", "dedup_key", "address"]
    list_filter = ["channel"]
    search_fields = ["dedup_key"]
