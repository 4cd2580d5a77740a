"""The 评星定级 schemes are data an administrator edits: criteria (full marks) and the level
rules that turn scores into stars."""

from django.contrib import admin

from .models import StarCriterion, StarLevelRule, StarScheme


class CriterionInline(admin.TabularInline):
    model = StarCriterion
    extra = 0


class LevelInline(admin.TabularInline):
    model = StarLevelRule
    extra = 0


@admin.register(StarScheme)
class StarSchemeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "subject", "is_active"]
    inlines = [CriterionInline, LevelInline]
