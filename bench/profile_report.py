"""Summarise py-spy profiles (`--format raw`, collapsed stacks) of the server workers.

    python bench/profile_report.py bench/results/latest/profile/pyspy-*.txt [--top 40]

Prints, for the samples taken while a request was being handled:
- inclusive share of the hot functions (time spent in the function and below),
- self share (time spent in the function's own code),
- a rough split by layer, using the first matching frame from the top of each stack.
py-spy samples only threads that are running (not idle), so shares are of CPU time
plus time spent inside C calls such as psycopg waiting for PostgreSQL."""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

# (label, pattern on "function (file:line)"): first match from the leaf upwards wins.
LAYERS = [
    ("PostgreSQL round trips (psycopg execute/fetch/commit)", r"\((psycopg|psycopg_binary)/"),
    ("SQL compilation (Django ORM)", r"django/db/models/sql/compiler\.py"),
    ("ORM other (querysets, model init, expressions)", r"django/db/models/"),
    (
        "Django DB backend (cursor wrappers, connection checks)",
        r"django/db/backends/|django/db/utils|django/db/transaction",
    ),
    ("template rendering", r"django/template/"),
    ("translation / i18n", r"django/utils/translation/|gettext"),
    ("Ninja / pydantic (parse, serialise)", r"ninja/|pydantic"),
    ("Django sessions / auth / CSRF middleware", r"django/contrib/(sessions|auth)/|django/middleware/csrf"),
    ("Django URL resolving", r"django/urls/"),
    ("Django request/response plumbing", r"django/(core/handlers|http|middleware|utils)/"),
    ("hromada code", r"\(hromada/"),
    ("whitenoise", r"whitenoise/"),
    ("gunicorn (HTTP parsing, socket I/O)", r"gunicorn/"),
    ("prometheus_client (metrics)", r"prometheus_client/"),
]


def parse(paths: list[Path]):
    for path in paths:
        for line in path.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            if not stack or not count.isdigit():
                continue
            yield stack.split(";"), int(count)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--only", default="WSGIHandler.__call__", help="keep stacks containing this frame")
    args = parser.parse_args()

    inclusive: Counter = Counter()
    self_time: Counter = Counter()
    layers: Counter = Counter()
    total = 0
    other = 0
    for frames, count in parse(args.files):
        if args.only and not any(args.only in f for f in frames):
            other += count
            continue
        total += count
        for frame in set(frames):
            inclusive[frame] += count
        self_time[frames[-1]] += count
        for frame in reversed(frames):
            label = next((lab for lab, pat in LAYERS if re.search(pat, frame)), None)
            if label:
                layers[label] += count
                break
        else:
            layers["other"] += count
    if not total:
        print("no samples")
        return
    print(f"{total} samples inside requests ({other} elsewhere: gunicorn's loop, other threads)\n")
    print("By layer (leaf-most matching frame):")
    for label, n in layers.most_common():
        print(f"  {100 * n / total:5.1f}%  {label}")
    print(f"\nInclusive (top {args.top}):")
    for frame, n in inclusive.most_common(args.top):
        print(f"  {100 * n / total:5.1f}%  {frame}")
    print(f"\nSelf (top {args.top}):")
    for frame, n in self_time.most_common(args.top):
        print(f"  {100 * n / total:5.1f}%  {frame}")


if __name__ == "__main__":
    main()
