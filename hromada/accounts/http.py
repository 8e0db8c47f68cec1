"""The request once a user is known, for annotating views and API operations."""

from django.http import HttpRequest

from hromada.tenancy.http import HromadaRequest

from .models import User


class AuthenticatedRequest(HttpRequest):
    """A request behind `login_required`: `request.user` is a signed-in user.
    Only a type: Django still passes its own request object."""

    user: User


class ApiRequest(HromadaRequest, AuthenticatedRequest):
    """The request of an API operation with `auth=session_or_token`: Ninja has set
    `request.auth` to the user the authenticator returned (as is `request.user`)."""

    auth: User
