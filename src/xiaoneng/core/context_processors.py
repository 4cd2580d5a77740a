from .inbox import unread_count
from .navigation import build_nav
from .scope import scope_for


def _unread(user) -> int:
    counted = getattr(user, "inbox_unread_now", None)  # the work home has just counted them
    return unread_count(user) if counted is None else counted


def shell(request):
    """Header and navigation data for the staff layout."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "inbox_unread": _unread(user),
        "user_scope": scope_for(user),
        "nav": build_nav(request),
    }
