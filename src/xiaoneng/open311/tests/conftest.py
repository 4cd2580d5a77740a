import pytest

from xiaoneng.complaints.models import Category
from xiaoneng.core.testing import make_user
from xiaoneng.open311 import services


@pytest.fixture
def category(db) -> Category:
    return Category.objects.get_or_create(
        code="fees-o311", defaults={"name": "乱收费（测试）", "group": "收费", "sort_order": -1}
    )[0]


@pytest.fixture
def admin_user(org):
    return make_user("sam", None, "sysadmin")


@pytest.fixture
def key(org):
    """A key for the 12345 hotline; returns (Open311Key, raw secret)."""
    return services.key_create(actor=None, name="12345 热线", channel="hotline_12345")


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Rate-limit counters live in the cache; start each test with none."""
    from django.core.cache import caches

    caches["default"].clear()
    return
