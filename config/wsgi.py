import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_application = get_wsgi_application()

# Imported once Django is set up: the hot routes use its models.
from hromada.core.edge import Edge  # noqa: E402
from hromada.petitions.edge import ROUTES as PETITION_ROUTES  # noqa: E402

application = Edge(django_application, routes=PETITION_ROUTES)
