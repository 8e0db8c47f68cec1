"""Load (or refresh) a hromada's settlements from the state codifier."""

from django.core.management.base import BaseCommand, CommandError

from hromada.core.errors import DomainError
from hromada.places import services
from hromada.tenancy.models import Hromada


class Command(BaseCommand):
    help = "Load a hromada's settlements and city districts from КАТОТТГ by the hromada's own code."

    def add_arguments(self, parser):
        parser.add_argument("hromada", help="the hromada's slug")

    def handle(self, *args, **options):
        hromada = Hromada.objects.filter(slug=options["hromada"]).first()
        if hromada is None:
            raise CommandError(f"No hromada with slug {options['hromada']!r}")
        try:
            report = services.settlements_load(actor=None, hromada=hromada)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(
            f"{hromada.name}: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged, {len(report.missing)} no longer in the codifier"
        )
