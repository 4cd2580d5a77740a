"""Admin for the evaluation rules (data an administrator edits): ballot points, grade bands,
the consequence ladder, ranking rules, veto items and the ethics grading rule."""

from django.contrib import admin

from .models import EthicsRule, GradeBand, LadderStep, RankingRule, RatingPoints, VetoItem


@admin.register(RatingPoints)
class RatingPointsAdmin(admin.ModelAdmin):
    list_display = ["rating", "points"]


@admin.register(GradeBand)
class GradeBandAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "min_score", "is_poor"]


@admin.register(LadderStep)
class LadderStepAdmin(admin.ModelAdmin):
    list_display = ["consecutive", "measure"]


@admin.register(RankingRule)
class RankingRuleAdmin(admin.ModelAdmin):
    list_display = ["end", "count", "measure", "to_principal", "rectify_days"]


@admin.register(VetoItem)
class VetoItemAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_active", "order"]


@admin.register(EthicsRule)
class EthicsRuleAdmin(admin.ModelAdmin):
    list_display = ["self_weight", "department_weight", "unit_weight", "excellent_min", "good_min"]
