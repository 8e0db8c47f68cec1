"""{% load places_tags %}: names in the page's language (Latin on English pages)."""

from django import template

from .. import selectors

register = template.Library()


@register.filter
def place_name(obj) -> str:
    """A settlement's or area's name: the Latin one on English pages."""
    return selectors.local_name(obj) if obj is not None else ""


@register.filter
def street_name(street) -> str:
    """ "вулиця Шевченка"; "Shevchenka street" on English pages."""
    return selectors.street_label(street) if street is not None else ""


@register.filter
def address(building) -> str:
    return selectors.building_label(building) if building is not None else ""
