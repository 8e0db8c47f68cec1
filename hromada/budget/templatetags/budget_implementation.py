"""{% load budget_implementation %}{% implementation_block project %}: the public
implementation block of a winning project (for the project page)."""

from django import template

from ..implementation_selectors import for_project

register = template.Library()


@register.inclusion_tag("budget/_implementation.html")
def implementation_block(project):
    return {"impl": for_project(project)}
