"""Project test data built through the services."""

from __future__ import annotations

from hromada.budget.models import Cycle, Project
from hromada.budget.services.projects import CostLineData, project_create, project_submit

from .factories import category


def lines(total: int = 50_000) -> list[CostLineData]:
    return [CostLineData(item="Лавки", quantity=2, unit="шт", unit_price=total // 2)]


def draft(cycle: Cycle, author, *, cat: str = "small", total: int = 50_000, **kw) -> Project:
    values = {
        "title": "Сквер біля школи",
        "summary": "Лавки й ліхтарі у сквері.",
        "description": "Поставимо лавки та ліхтарі.",
        "problem": "Темно й ніде сісти.",
        "beneficiaries": "Мешканці й учні.",
        "address": "вул. Шкільна, 1",
        **kw,
    }
    return project_create(
        cycle=cycle, author=author, category=category(cycle, cat), cost_lines=lines(total), **values
    )


def submitted(cycle: Cycle, author, **kw) -> Project:
    return project_submit(project=draft(cycle, author, **kw), actor=author)
