"""A page whose action is rate-limited through the kernel (core.ratelimit)."""

from django.http import HttpResponse
from django.views.decorators.http import require_POST

from hromada.core.errors import DomainError
from hromada.core.ratelimit import rate_limit


@require_POST
def limited(request):
    try:
        with rate_limit(request, "sample.make"):
            if request.POST.get("fail"):
                raise DomainError("refused", "refused")
    except DomainError:
        return HttpResponse("refused", status=400)
    return HttpResponse("done")
