"""Dataset search without Solr (ADR 0009 decision 3): CKAN's `q`, `fq`, `sort`, `rows`,
`start` and `facet.field` over the catalogue's tables.

`q` is free text: PostgreSQL's full-text search over `Dataset.search_text` (the
`simple` configuration, so Ukrainian words match as written, with prefix matching of the
last word), `icontains` per word on SQLite. A `q` or `fq` in Lucene syntax
(`tags:economy AND -organization:"miska-rada"`, `metadata_modified:[2024-01-01T00:00:00Z
TO *]`, `res_format:(CSV OR XLSX)`) is parsed by luqum and translated to `Q` objects over
a whitelist of CKAN's field names; anything else raises SearchQueryError, which the
Action API answers as CKAN's "Search Query Error" (409). Terms joined without an operator
must all match (q.op=AND), as CKAN asks Solr to."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, FilteredRelation, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from luqum import tree
from luqum.exceptions import ParseError
from luqum.parser import parser

from hromada.core.errors import DomainError

from .models import Dataset, DatasetState, Resource

ROWS_MAX = 1000  # CKAN's ckan.search.rows_max
FACET_LIMIT = 50  # CKAN's search.facets.default
SEARCH_TEXT_MAX = 20_000


class SearchQueryError(DomainError):
    def __init__(self, message) -> None:
        super().__init__("search_query_error", message, field="fq", status=409)


# --- what a dataset is found by ----------------------------------------------------------


def search_text_of(dataset: Dataset) -> str:
    """The words a dataset is found by: its title, name, description, tags, publisher,
    groups and resources' names and descriptions. Services store it on every change
    (`Dataset.search_text`); PostgreSQL indexes its tsvector."""
    parts: list[str] = [dataset.title, dataset.name, dataset.notes, dataset.purpose, dataset.spatial]
    if dataset.pk:
        parts += list(dataset.tags.values_list("name", flat=True))
        parts += list(dataset.groups.values_list("title", flat=True))
        parts += [
            f"{r.name} {r.description} {r.format}"
            for r in dataset.resources.filter(withdrawn_at__isnull=True)
        ]
    if dataset.publisher_id:
        parts.append(dataset.publisher.title)
    # Lower-cased here: SQLite's LIKE folds the case of ASCII letters only.
    return " ".join(p for p in parts if p).lower()[:SEARCH_TEXT_MAX]


# --- fq: Lucene syntax to Q ---------------------------------------------------------------


def _through(relation: str, column: str) -> Callable[[Q], Q]:
    """Dataset ids through a many-to-many relation: each term its own subquery, so
    `tags:a AND tags:b` asks for both tags, not one tag that is both."""
    through = getattr(Dataset, relation).through

    def build(condition: Q) -> Q:
        return Q(pk__in=through.objects.filter(condition).values("dataset_id"))

    return build


def _resources(condition: Q) -> Q:
    return Q(pk__in=Resource.objects.filter(condition, withdrawn_at__isnull=True).values("dataset_id"))


@dataclass(frozen=True)
class Field:
    column: str  # the lookup path, relative to `wrap`'s model
    wrap: Callable[[Q], Q] | None = None
    kind: str = "text"  # text (exact, * prefix), upper (exact after upper()), date (ranges), uuid
    prefix: str = ""  # the through model's path to the column


_TAGS = _through("tags", "name")
_GROUPS = _through("groups", "name")

FIELDS: dict[str, Field] = {
    "name": Field("name"),
    "id": Field("public_id", kind="uuid"),
    "title": Field("title"),
    "organization": Field("publisher__name"),
    "owner_org": Field("publisher__public_id", kind="uuid"),
    "tags": Field("tag__name", wrap=_TAGS),
    "groups": Field("group__name", wrap=_GROUPS),
    "res_format": Field("format", wrap=_resources, kind="upper"),
    "license_id": Field("license_id"),
    "update_frequency": Field("frequency"),
    "language": Field("language"),
    "metadata_modified": Field("metadata_modified", kind="date"),
    "metadata_created": Field("published_at", kind="date"),
}
# Filters harvesters send that every public dataset here satisfies.
ALWAYS = {("capacity", "public"), ("dataset_type", "dataset"), ("state", "active"), ("private", "false")}

_NOW = re.compile(r"^NOW(?:(?P<sign>[+-])(?P<n>\d{1,5})(?P<unit>YEAR|MONTH|DAY|HOUR|MINUTE)S?)?(?:/DAY)?$")


def _moment(value: str, *, end: bool) -> dt.datetime | None:
    """A range bound: ISO 8601 (a date or a moment; `Z` allowed), Solr's NOW±nUNIT, or
    `*` (None: open)."""
    if value == "*":
        return None
    match = _NOW.match(value)
    if match:
        moment = timezone.now()
        if match["n"]:
            n = int(match["n"]) * (1 if match["sign"] == "+" else -1)
            unit = match["unit"]
            days = {"YEAR": 365, "MONTH": 30, "DAY": 1}.get(unit)
            try:
                delta = dt.timedelta(days=n * days) if days else dt.timedelta(**{f"{unit.lower()}s": n})
                moment += delta
            except OverflowError:
                raise SearchQueryError(_("Дата «%(v)s» у запиті поза межами.") % {"v": value}) from None
        if value.endswith("/DAY"):
            moment = moment.replace(hour=0, minute=0, second=0, microsecond=0)
        return moment
    parsed = parse_datetime(value)
    if parsed is None:
        day = parse_date(value)
        if day is None:
            raise SearchQueryError(_("Не вдалося прочитати дату «%(v)s» у запиті.") % {"v": value})
        parsed = dt.datetime.combine(day, dt.time.max if end else dt.time.min)
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, dt.UTC)
    return parsed


def _unquote(node) -> str:
    if isinstance(node, tree.Phrase):
        return node.value[1:-1].replace('\\"', '"')
    if isinstance(node, tree.Word):
        return node.value.replace("\\", "")
    raise SearchQueryError(_("Незрозуміле значення «%(v)s» у запиті.") % {"v": str(node)})


def _value_q(name: str, spec: Field, node) -> Q:
    """`spec`'s condition for one value node (a word, a phrase, a range, a group)."""
    if isinstance(node, tree.FieldGroup | tree.Group):
        return _value_q(name, spec, node.expr)
    if isinstance(node, tree.AndOperation | tree.OrOperation | tree.UnknownOperation):
        parts = [_value_q(name, spec, child) for child in node.children]
        return _combine(parts, "or" if isinstance(node, tree.OrOperation) else "and")
    if isinstance(node, tree.Not | tree.Prohibit):
        return ~_value_q(name, spec, node.a)
    if isinstance(node, tree.Plus):
        return _value_q(name, spec, node.a)
    if isinstance(node, tree.Range):
        if spec.kind != "date":
            raise SearchQueryError(_("Поле «%(f)s» не підтримує діапазонів.") % {"f": name})
        low = _moment(_unquote(node.low), end=False)
        high = _moment(_unquote(node.high), end=True)
        condition = Q()
        if low is not None:
            condition &= Q(**{f"{spec.column}__{'gte' if node.include_low else 'gt'}": low})
        if high is not None:
            condition &= Q(**{f"{spec.column}__{'lte' if node.include_high else 'lt'}": high})
        return _wrap(spec, condition)
    value = _unquote(node)
    if spec.kind == "date":
        moment = _moment(value, end=False)
        return _wrap(spec, Q(**{spec.column: moment}))
    if value == "*":
        return _wrap(spec, ~Q(**{spec.column: ""}) & Q(**{f"{spec.column}__isnull": False}))
    if spec.kind == "upper":
        value = value.upper()
    if isinstance(node, tree.Word) and value.endswith("*") and "*" not in value[:-1]:
        return _wrap(spec, Q(**{f"{spec.column}__startswith": value[:-1]}))
    if ("*" in value or "?" in value) and isinstance(node, tree.Word):
        raise SearchQueryError(
            _("Шаблон «%(v)s» не підтримується: зірочка лише в кінці слова.") % {"v": value}
        )
    if spec.kind == "uuid":
        try:
            value = str(uuid.UUID(value))
        except ValueError:
            return _wrap(spec, Q(pk__in=[]))
    return _wrap(spec, Q(**{spec.column: value}))


def _wrap(spec: Field, condition: Q) -> Q:
    return spec.wrap(condition) if spec.wrap else condition


def _combine(parts: Iterable[Q], how: str) -> Q:
    out: Q | None = None
    for part in parts:
        out = part if out is None else (out | part if how == "or" else out & part)
    return out if out is not None else Q()


def _node_q(node) -> Q:
    if isinstance(node, tree.SearchField):
        name = node.name
        if (name, _plain(node.expr)) in ALWAYS:
            return Q()
        spec = FIELDS.get(name)
        if spec is None:
            raise SearchQueryError(
                _("Поле «%(f)s» не можна використовувати в пошуку. Можна: %(fields)s.")
                % {"f": name, "fields": ", ".join(sorted(FIELDS))}
            )
        return _value_q(name, spec, node.expr)
    if isinstance(node, tree.AndOperation | tree.UnknownOperation):
        return _combine((_node_q(child) for child in node.children), "and")
    if isinstance(node, tree.OrOperation):
        return _combine((_node_q(child) for child in node.children), "or")
    if isinstance(node, tree.Not | tree.Prohibit):
        return ~_node_q(node.a)
    if isinstance(node, tree.Plus):
        return _node_q(node.a)
    if isinstance(node, tree.Group):
        return _node_q(node.expr)
    if isinstance(node, tree.Word | tree.Phrase):
        return _text_condition(_unquote(node))
    raise SearchQueryError(_("Незрозуміла частина запиту: «%(v)s».") % {"v": str(node)})


def _plain(node) -> str | None:
    if isinstance(node, tree.Word | tree.Phrase):
        return _unquote(node).lower()
    return None


def fq_q(fq: str) -> Q:
    """CKAN's `fq` as a Q over Dataset (SearchQueryError for what it cannot read)."""
    fq = (fq or "").strip()
    if not fq:
        return Q()
    try:
        node = parser.parse(fq)
    except (ParseError, Exception) as exc:  # luqum raises its own and ply's errors
        raise SearchQueryError(_("Не вдалося розібрати запит «%(q)s».") % {"q": fq[:200]}) from exc
    return _node_q(node)


# --- q: free text -------------------------------------------------------------------------

_WORD = re.compile(r"[\w'’-]+", re.UNICODE)


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text or "")[:20] if w.strip("'’-")]


def _text_condition(text: str) -> Q:
    words = _words(text)
    if not words:
        return Q()
    if connection.vendor == "postgresql":
        # Every word must match, the last as a prefix (search as you type); tsquery is
        # built from the words alone, never from the person's operators.
        terms = [w.replace("'", "") for w in words]
        query = (
            " & ".join(f"'{t}'" for t in terms[:-1]) + (" & " if len(terms) > 1 else "") + f"'{terms[-1]}':*"
        )
        return Q(pk__in=Dataset.objects.extra(where=[SEARCH_WHERE], params=[query]).values("pk"))  # noqa: S610
    condition = Q()
    for word in words:
        condition &= Q(search_text__icontains=word)
    return condition


# Matches the expression index of migration 0003 (PostgreSQL only).
SEARCH_VECTOR_SQL = "to_tsvector('simple'::regconfig, search_text)"
SEARCH_WHERE = f"{SEARCH_VECTOR_SQL} @@ to_tsquery('simple'::regconfig, %s)"


def q_condition(q: str) -> Q:
    """CKAN's `q`: free text, or Lucene syntax when it names a field (`tags:economy`)."""
    q = (q or "").strip()
    if not q or q in {"*:*", "*"}:
        return Q()
    if re.search(r"\b[a-z_]+:", q):
        return fq_q(q)
    return _text_condition(q)


# --- the search ---------------------------------------------------------------------------

SORTS: dict[str, list[str]] = {
    "metadata_modified desc": ["-metadata_modified", "-id"],
    "metadata_modified asc": ["metadata_modified", "id"],
    "metadata_created desc": ["-published_at", "-id"],
    "metadata_created asc": ["published_at", "id"],
    "title_string asc": ["title", "id"],
    "title_string desc": ["-title", "-id"],
    "name asc": ["name"],
    "name desc": ["-name"],
    "views_recent desc": ["-metadata_modified", "-id"],  # no view tracking: newest first
}
DEFAULT_SORT = "score desc, metadata_modified desc"

FACETS: dict[str, str] = {
    "organization": "publisher__name",
    "groups": "groups__name",
    "tags": "tags__name",
    "res_format": "resources__format",
    "license_id": "license_id",
    "update_frequency": "frequency",
}


@dataclass
class SearchResult:
    count: int
    datasets: list[Dataset]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    sort: str = DEFAULT_SORT


def _order(sort: str) -> list[str]:
    """CKAN's `sort` ("field dir[, field dir]"); score ranks as newest first here."""
    order: list[str] = []
    for part in (sort or DEFAULT_SORT).split(","):
        part = " ".join(part.split()).lower()
        if not part or part in {"score desc", "score asc", "rank desc"}:
            continue
        if part not in SORTS:
            raise SearchQueryError(
                _("Невідоме впорядкування «%(s)s». Можна: %(all)s.") % {"s": part, "all": ", ".join(SORTS)}
            )
        order += [o for o in SORTS[part] if o not in order]
    return order or ["-metadata_modified", "-id"]


def published(*, hromada) -> QuerySet[Dataset]:
    return Dataset.objects.for_hromada(hromada).filter(state=DatasetState.PUBLISHED)


def dataset_search(
    *,
    hromada,
    q: str = "",
    fq: str = "",
    sort: str = "",
    rows: int = 10,
    start: int = 0,
    facet_fields: Iterable[str] = (),
    facet_limit: int = FACET_LIMIT,
    base: QuerySet[Dataset] | None = None,
) -> SearchResult:
    """Published datasets of `hromada` matching `q` and `fq` (or those of `base`, e.g. a
    publisher's own drafts too), `rows` from `start` in `sort`'s order, with counts of
    each `facet_fields` value over the whole match."""
    if not 0 <= rows <= ROWS_MAX:
        raise SearchQueryError(_("Параметр rows має бути від 0 до %(n)d.") % {"n": ROWS_MAX})
    if start < 0:
        raise SearchQueryError(_("Параметр start не може бути від'ємним."))
    found = (base if base is not None else published(hromada=hromada)).filter(q_condition(q) & fq_q(fq))
    order = _order(sort)
    count = found.count()
    page = list(
        found.select_related("publisher")
        .prefetch_related(
            "tags",
            "groups",
            Prefetch("resources", queryset=Resource.objects.filter(withdrawn_at__isnull=True)),
        )
        .order_by(*order)[start : start + rows]
    )
    facets: dict[str, dict[str, int]] = {}
    for name in facet_fields:
        path = FACETS.get(name)
        if path is None:
            raise SearchQueryError(
                _("Невідоме поле фасета «%(f)s». Можна: %(all)s.") % {"f": name, "all": ", ".join(FACETS)}
            )
        over = found
        if name == "res_format":
            # The formats of the resources still served: a withdrawn one is not counted.
            over = found.annotate(
                live_resources=FilteredRelation(
                    "resources", condition=Q(resources__withdrawn_at__isnull=True)
                )
            )
            path = "live_resources__format"
        counts = (
            over.exclude(**{f"{path}__isnull": True})
            .exclude(**{path: ""})
            .values(path)
            .annotate(n=Count("pk", distinct=True))
            .order_by("-n", path)
        )
        if facet_limit >= 0:
            counts = counts[:facet_limit]
        facets[name] = {row[path]: row["n"] for row in counts}
    return SearchResult(count=count, datasets=page, facets=facets, sort=sort or DEFAULT_SORT)
