"""`{% petition_public_answer petition as a %}`: the data of the public answer block
(petitions/_answer.html), so any page that shows a petition can include the block
without its view knowing what the block needs."""

from django import template

register = template.Library()


@register.simple_tag
def petition_public_answer(petition):
    from hromada.petitions.staff_selectors import public_answer

    return public_answer(petition)
