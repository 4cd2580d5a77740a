"""Template helpers shared by every app."""

from django import template
from django.core.paginator import Paginator

register = template.Library()


@register.filter
def elided_pages(page):
    """Page numbers around the current one, first and last, with "…" gaps: a template loop
    over ``paginator.page_range`` would walk 100,000 pages on a province-sized queue."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)


@register.filter
def is_ellipsis(value) -> bool:
    return value == Paginator.ELLIPSIS


@register.filter
def action_label(code) -> str:
    """An audit/timeline action code as words (``{{ rec.action|action_label }}``)."""
    from xiaoneng.core.vocabulary import action_label as label

    return label(str(code or ""))


@register.simple_tag(takes_context=True)
def page_query(context, param: str, number) -> str:
    """The current query string with ``param`` (a page parameter) set to ``number``."""
    params = context["request"].GET.copy()
    params[param] = number
    return "?" + params.urlencode()


@register.filter
def can(user, codes: str) -> bool:
    """``{% if user|can:"campaign.submit,campaign.manage" %}``: holds one of the permissions
    (or a read-only role that reads every module)."""
    from xiaoneng.core.navigation import reads_widely

    if not getattr(user, "is_authenticated", False):
        return False
    return any(user.has_permission(c.strip()) for c in codes.split(",")) or reads_widely(user)
