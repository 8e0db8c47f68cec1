"""The project's URLs, plus the development identity provider (mounted by
config/urls.py only when enabled at start-up) and a tiny API to test api_auth."""

from django.urls import include, path
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from config.urls import urlpatterns as project_urlpatterns
from hromada.accounts.api_auth import session_or_token
from hromada.api.api import authentication_error, domain_error
from hromada.core.errors import DomainError

api = NinjaAPI(urls_namespace="accounts-test-api", docs_url=None)
api.add_exception_handler(DomainError, domain_error)
api.add_exception_handler(AuthenticationError, authentication_error)


@api.get("/whoami", auth=session_or_token)
def whoami(request):
    return {"email": request.auth.email, "verified": hasattr(request.auth, "identity")}


@api.post("/echo", auth=session_or_token)
def echo(request):
    return {"email": request.auth.email}


urlpatterns = list(project_urlpatterns)
if not any(getattr(p, "namespace", None) == "dev_idp" for p in urlpatterns):
    urlpatterns.append(path("dev-idp/", include("hromada.accounts.identity.dev_idp_urls")))
urlpatterns.append(path("accounts-test-api/", api.urls))
