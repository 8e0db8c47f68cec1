"""Reads of the setup pages: categories, departments, templates and API keys of one
hromada, with the figures the overview shows."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from .models import AnswerTemplate, ApiClient, Category, CategoryAttribute, Department, DepartmentMember


def category_list(*, hromada, kind: str | None = None) -> QuerySet[Category]:
    qs = (
        Category.objects.for_hromada(hromada)
        .select_related("department")
        .annotate(attribute_count=Count("attributes", distinct=True))
    )
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("kind", "-active", "group", "order", "name")


def category_get(*, hromada, public_id) -> Category | None:
    return (
        Category.objects.for_hromada(hromada).filter(public_id=public_id).select_related("department").first()
    )


def attribute_list(*, category: Category) -> QuerySet[CategoryAttribute]:
    return (
        CategoryAttribute.objects.for_hromada(category.hromada)
        .filter(category=category)
        .order_by("order", "id")
    )


def attribute_get(*, category: Category, pk) -> CategoryAttribute | None:
    return CategoryAttribute.objects.for_hromada(category.hromada).filter(category=category, pk=pk).first()


def department_list(*, hromada, active: bool | None = None) -> QuerySet[Department]:
    qs = (
        Department.objects.for_hromada(hromada)
        .select_related("head", "area")
        .annotate(
            member_count=Count("memberships", distinct=True),
            category_count=Count("categories", filter=Q(categories__active=True), distinct=True),
        )
    )
    if active is not None:
        qs = qs.filter(active=active)
    return qs.order_by("-active", "kind", "name")


def department_get(*, hromada, public_id) -> Department | None:
    return (
        Department.objects.for_hromada(hromada)
        .filter(public_id=public_id)
        .select_related("head", "area")
        .first()
    )


def department_members(*, department: Department) -> list:
    return [
        m.user
        for m in DepartmentMember.objects.for_hromada(department.hromada)
        .filter(department=department)
        .select_related("user")
        .order_by("user__display_name", "user__email")
    ]


def template_list(*, hromada) -> QuerySet[AnswerTemplate]:
    return (
        AnswerTemplate.objects.for_hromada(hromada)
        .select_related("department")
        .order_by("department__name", "title")
    )


def template_get(*, hromada, pk) -> AnswerTemplate | None:
    return AnswerTemplate.objects.for_hromada(hromada).filter(pk=pk).select_related("department").first()


def api_client_list(*, hromada) -> QuerySet[ApiClient]:
    return ApiClient.objects.for_hromada(hromada).select_related("created_by").order_by("-active", "name")


def api_client_get(*, hromada, pk) -> ApiClient | None:
    return ApiClient.objects.for_hromada(hromada).filter(pk=pk).first()


def okrugs_and_districts(*, hromada):
    """The areas a starosta's office (okrug) or a district office may serve."""
    from hromada.places import selectors as places

    return places.routing_areas(hromada=hromada)


def setup_overview(*, hromada) -> dict:
    categories = Category.objects.for_hromada(hromada)
    departments = Department.objects.for_hromada(hromada)
    return {
        "categories": categories.filter(active=True).count(),
        "categories_off": categories.filter(active=False).count(),
        "unrouted": categories.filter(active=True, department=None).count(),
        "departments": departments.filter(active=True).count(),
        "headless": departments.filter(active=True, head=None).count(),
        "templates": AnswerTemplate.objects.for_hromada(hromada).count(),
        "api_clients": ApiClient.objects.for_hromada(hromada).filter(active=True).count(),
    }
