"""{% load hromada_format %}: {{ n|num }} → "18 400", {{ bytes|filesize }} → "5,7 МБ"."""

from django import template

from hromada.core import formats

register = template.Library()


@register.filter
def num(value):
    return formats.number(value)


@register.filter
def filesize(value):
    return formats.filesize(value)
