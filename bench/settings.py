"""Bench-only settings: the product's settings plus the baseline views (bench/urls.py).

The baselines never ship in the product's URLconf; this module is only used by the benchmark
server (DJANGO_SETTINGS_MODULE=bench.settings).
"""

from xiaoneng.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
