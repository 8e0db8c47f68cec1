"""The edge answers in the language Django's LanguageMiddleware would pick under /api/."""

from django.conf import settings

from hromada.core.edge import _language


def test_the_edge_picks_the_language_as_django_does():
    name = settings.LANGUAGE_COOKIE_NAME
    assert _language({}) == "uk"
    assert _language({"HTTP_COOKIE": "sessionid=abc; csrftoken=x"}) == "uk"
    assert _language({"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}) == "en"
    assert _language({"HTTP_COOKIE": f"sessionid=abc; {name}=en"}) == "en"
    # The cookie wins over the header, as in the middleware; an unknown cookie falls back.
    assert _language({"HTTP_COOKIE": f"{name}=uk", "HTTP_ACCEPT_LANGUAGE": "en"}) == "uk"
    assert _language({"HTTP_COOKIE": f"{name}=de", "HTTP_ACCEPT_LANGUAGE": "en"}) == "en"
    assert _language({"HTTP_ACCEPT_LANGUAGE": "de-DE"}) == "uk"
