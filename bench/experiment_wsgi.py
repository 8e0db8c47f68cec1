"""The product's WSGI application with bench/experiments.py prototypes applied.

Served by `run.py --experiments a,b` with the same gunicorn command line as
config.wsgi (BENCH_EXPERIMENTS names the prototypes). Never used in production."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import experiments  # noqa: E402

NAMES = [n for n in os.environ.get("BENCH_EXPERIMENTS", "").split(",") if n]
experiments.check(NAMES)
experiments.apply_settings(NAMES)

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
experiments.apply_patches(NAMES)
