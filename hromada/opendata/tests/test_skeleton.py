import csv

import pytest

from hromada.core.modules import registry
from hromada.opendata.models import RequiredDataset
from hromada.opendata.required_data import DATA


def test_the_module_is_registered():
    module = registry.get("opendata")
    assert module is not None
    assert module.settings_model == "opendata.OpenDataSettings"


@pytest.mark.django_db
def test_the_resolution_835_list_is_loaded_whole():
    with DATA.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert RequiredDataset.objects.count() == len(rows) > 50
    sections = set(RequiredDataset.objects.values_list("section", flat=True))
    assert sections == {"Усі розпорядники інформації", "Органи місцевого самоврядування"}
    first = rows[0]
    got = RequiredDataset.objects.get(section=first["section"], number=int(first["number"]))
    assert got.title == first["title_uk"].strip()
