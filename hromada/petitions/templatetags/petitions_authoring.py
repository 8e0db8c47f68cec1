"""Template tags for the authoring partials (petitions/_coauthors.html)."""

from django import template

from .. import selectors

register = template.Library()


@register.simple_tag
def petition_coauthors(petition):
    """The co-authors who accepted, so a page can include the partial without its view
    knowing about co-authors."""
    return list(selectors.petition_coauthors(petition))
