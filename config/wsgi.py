import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_application = get_wsgi_application()

# Imported once Django is set up: the hot routes use its models.
from hromada.core.edge import Edge  # noqa: E402
from hromada.core.modules import registry  # noqa: E402

# Each module's hot routes (module.py `edge_routes`).
application = Edge(django_application, routes=registry.edge_routes())
