from django.contrib import messages


def apply_domain_error(request, form, exc) -> None:
    """Show a service's DomainError on the form field it concerns, or as a message."""
    if form is not None and exc.field and exc.field in form.fields:
        form.add_error(exc.field, str(exc.message))
    elif form is not None:
        form.add_error(None, str(exc.message))
    else:
        messages.error(request, str(exc.message))
