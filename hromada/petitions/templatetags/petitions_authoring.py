"""Template tags for the authoring partials (petitions/_coauthors.html)."""

from django import template

from .. import selectors

register = template.Library()


@register.simple_tag
def petition_coauthors(petition):
    """The co-authors who accepted, so a page can include the partial without its view
    knowing about co-authors."""
    return list(selectors.petition_coauthors(petition))


@register.simple_tag
def petition_author_actions(petition, user) -> dict:
    """What the viewer may do with the petition as its author or co-author."""
    from .. import rules

    return {
        "edit": rules.can_edit(user, petition),
        "withdraw": rules.can_withdraw(user, petition),
        "coauthors": rules.is_editor(user, petition),
    }
