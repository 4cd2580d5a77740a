from django.contrib import admin

from .models import AssessmentScheme, Indicator, Measure, StepLimit, VetoRule


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "rank", "referral_only", "is_active"]


@admin.register(StepLimit)
class StepLimitAdmin(admin.ModelAdmin):
    list_display = ["status", "working_days"]


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


class VetoInline(admin.TabularInline):
    model = VetoRule
    extra = 0


@admin.register(AssessmentScheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ["year", "name", "status"]
    inlines = [IndicatorInline, VetoInline]
