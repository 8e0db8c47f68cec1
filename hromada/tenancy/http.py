"""The request as the tenancy middleware leaves it, for annotating views and API operations."""

from django.http import HttpRequest

from .models import Hromada


class HromadaRequest(HttpRequest):
    """A request on a hromada's own host: `HromadaMiddleware` has set `hromada` (it answers
    404 itself where no hromada matches, except on the tenantless paths, which take none).
    Only a type: Django still passes its own request object."""

    hromada: Hromada
