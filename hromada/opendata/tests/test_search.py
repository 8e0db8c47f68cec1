"""dataset_search: CKAN's q, fq (Lucene syntax), sort, rows/start and facets."""

import datetime as dt

import pytest

from hromada.opendata.models import Dataset, DatasetState, Group, Publisher, Resource, Tag
from hromada.opendata.search import ROWS_MAX, SearchQueryError, dataset_search, search_text_of

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)


def _dataset(
    hromada, publisher, name, title, *, tags=(), formats=(), groups=(), days_ago=0, state="published", **kw
):
    moment = NOW - dt.timedelta(days=days_ago)
    d = Dataset.objects.create(
        hromada=hromada,
        publisher=publisher,
        name=name,
        title=title,
        state=state,
        published_at=moment if state == "published" else None,
        metadata_modified=moment,
        **kw,
    )
    for t in tags:
        d.tags.add(Tag.objects.get_or_create(hromada=hromada, name=t)[0])
    for g in groups:
        d.groups.add(g)
    for f in formats:
        Resource.objects.create(
            hromada=hromada, dataset=d, name=f"{title} ({f})", format=f, url="https://example.org/x"
        )
    d.search_text = search_text_of(d)
    d.save(update_fields=["search_text"])
    return d


@pytest.fixture
def catalogue(hromada, other_hromada):
    council = Publisher.objects.create(hromada=hromada, name="miska-rada", title="Міська рада")
    water = Publisher.objects.create(hromada=hromada, name="vodokanal", title="КП «Водоканал»")
    economy = Group.objects.create(hromada=hromada, name="economy", title="Економіка")
    out = {
        "budget": _dataset(
            hromada,
            council,
            "budget-2026",
            "Бюджет громади на 2026 рік",
            tags=["бюджет", "фінанси"],
            formats=["CSV", "XLSX"],
            groups=[economy],
            days_ago=1,
        ),
        "water": _dataset(
            hromada,
            water,
            "water-quality",
            "Якість питної води",
            tags=["вода"],
            formats=["CSV"],
            days_ago=5,
            license_id="CC0-1.0",
        ),
        "structure": _dataset(
            hromada,
            council,
            "structure",
            "Організаційна структура ради",
            tags=["фінанси"],
            formats=["PDF"],
            days_ago=30,
        ),
        "draft": _dataset(hromada, council, "draft-one", "Чернетка бюджету", tags=["бюджет"], state="draft"),
    }
    stranger = Publisher.objects.create(hromada=other_hromada, name="miska-rada", title="Інша рада")
    _dataset(other_hromada, stranger, "budget-2026", "Бюджет іншої громади", tags=["бюджет"], formats=["CSV"])
    return out


def _names(result):
    return [d.name for d in result.datasets]


def test_everything_published_newest_first_and_only_this_hromada(hromada, catalogue):
    result = dataset_search(hromada=hromada)
    assert _names(result) == ["budget-2026", "water-quality", "structure"]
    assert result.count == 3


def test_free_text_matches_words_and_a_prefix_of_the_last(hromada, catalogue):
    assert _names(dataset_search(hromada=hromada, q="бюджет")) == ["budget-2026"]
    assert _names(dataset_search(hromada=hromada, q="питної вод")) == ["water-quality"]
    assert _names(dataset_search(hromada=hromada, q="водоканал")) == [
        "water-quality"
    ]  # the publisher's title
    assert dataset_search(hromada=hromada, q="вода бюджет").count == 0  # every word must match


@pytest.mark.parametrize(
    ("fq", "expected"),
    [
        ("tags:фінанси", ["budget-2026", "structure"]),
        ("tags:фінанси AND tags:бюджет", ["budget-2026"]),
        ("tags:вода OR tags:бюджет", ["budget-2026", "water-quality"]),
        ('organization:"miska-rada"', ["budget-2026", "structure"]),
        ("-organization:miska-rada", ["water-quality"]),
        ("res_format:csv", ["budget-2026", "water-quality"]),
        ("res_format:(PDF OR XLSX)", ["budget-2026", "structure"]),
        ("groups:economy", ["budget-2026"]),
        ("license_id:CC0-1.0", ["water-quality"]),
        ("metadata_modified:[2026-11-10T00:00:00Z TO *]", ["budget-2026", "water-quality"]),
        ("metadata_modified:{* TO 2026-11-15}", ["structure"]),
        ("name:water*", ["water-quality"]),
        ("capacity:public AND tags:вода", ["water-quality"]),
    ],
)
def test_fq_in_lucene_syntax(hromada, catalogue, fq, expected):
    assert _names(dataset_search(hromada=hromada, fq=fq)) == expected


@pytest.mark.parametrize(
    "fq",
    [
        "secret_field:x",
        "tags:(a",
        "tags:[a TO b]",
        "metadata_modified:[yesterday TO *]",
        "metadata_modified:[NOW-99999YEARS TO *]",
        "name:*ter*",
    ],
)
def test_an_unreadable_fq_is_a_search_query_error(hromada, catalogue, fq):
    with pytest.raises(SearchQueryError) as exc:
        dataset_search(hromada=hromada, fq=fq)
    assert exc.value.code == "search_query_error"
    assert exc.value.status == 409


def test_rows_start_sort_and_their_limits(hromada, catalogue):
    assert _names(dataset_search(hromada=hromada, sort="title_string asc")) == [
        "budget-2026",  # Бюджет…
        "structure",  # Організаційна…
        "water-quality",  # Якість…
    ]
    assert _names(dataset_search(hromada=hromada, sort="metadata_modified asc", rows=1, start=1)) == [
        "water-quality"
    ]
    for bad in ({"rows": ROWS_MAX + 1}, {"rows": -1}, {"start": -5}, {"sort": "popularity desc"}):
        with pytest.raises(SearchQueryError):
            dataset_search(hromada=hromada, **bad)


def test_facets_count_the_whole_match(hromada, catalogue):
    result = dataset_search(
        hromada=hromada, rows=1, facet_fields=["organization", "tags", "res_format", "license_id"]
    )
    assert result.facets["organization"] == {"miska-rada": 2, "vodokanal": 1}
    assert result.facets["tags"] == {"фінанси": 2, "бюджет": 1, "вода": 1}
    assert result.facets["res_format"] == {"CSV": 2, "PDF": 1, "XLSX": 1}
    assert result.facets["license_id"] == {"CC-BY-4.0": 2, "CC0-1.0": 1}
    with pytest.raises(SearchQueryError):
        dataset_search(hromada=hromada, facet_fields=["maintainer_email"])


def test_a_base_queryset_widens_the_search_to_drafts(hromada, catalogue):
    base = Dataset.objects.for_hromada(hromada).filter(state__in=[DatasetState.PUBLISHED, DatasetState.DRAFT])
    assert "draft-one" in _names(dataset_search(hromada=hromada, q="бюджет", base=base))
    assert "draft-one" not in _names(dataset_search(hromada=hromada, q="бюджет"))
