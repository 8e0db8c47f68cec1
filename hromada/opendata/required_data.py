"""The Resolution 835 list as shipped data (data/resolution-835-local.csv; its edition
and gaps are described in data/resolution-835-README.md). Loaded by migration 0002 and
again by the tests after a flush empties the table."""

from __future__ import annotations

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "resolution-835-local.csv"


def required_datasets_load(model) -> int:
    """Create or update every listed dataset in `model` (RequiredDataset, or its
    historical version in a migration); the number of rows in the file."""
    n = 0
    with DATA.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            model.objects.update_or_create(
                section=row["section"].strip(),
                number=int(row["number"]),
                defaults={"title": row["title_uk"].strip(), "source": row["source"].strip()},
            )
            n += 1
    return n


def reference_data() -> None:
    """Module.reference_data: the list back after a flush emptied it."""
    from .models import RequiredDataset

    if not RequiredDataset.objects.exists():
        required_datasets_load(RequiredDataset)
