"""{% load petition_public %}: what a petition card shows, read from the row itself (the
rolled-up count, refreshed by the worker every few seconds), so a list costs no query
per card."""

from django import template

from .. import rules, selectors

register = template.Library()


@register.simple_tag
def card_progress(petition) -> dict:
    count = petition.signature_count
    threshold = petition.threshold or 1
    return {
        "count": count,
        "percent": min(100, round(100 * count / threshold)),
        "days_left": selectors.petition_collection_days_left(petition),
        "open": rules.signing_open(petition),
    }


@register.filter
def is_image(attachment) -> bool:
    return attachment.content_type.startswith("image/")
