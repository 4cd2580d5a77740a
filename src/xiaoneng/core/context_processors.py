from .inbox import unread_count
from .navigation import build_nav
from .scope import scope_for


def shell(request):
    """Header and navigation data for the staff layout."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "inbox_unread": unread_count(user),
        "user_scope": scope_for(user),
        "nav": build_nav(request),
    }
