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

from config.wsgi import application  # noqa: E402,F401 - the product's edge + Django, as served

experiments.apply_patches(NAMES)
