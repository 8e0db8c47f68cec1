"""Recount a budget cycle from the hromada's ledger, as tools/budget_tally.py does from
the export: `python manage.py budget_tally <hromada> [--cycle <slug>]`."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from hromada.core.errors import DomainError


class Command(BaseCommand):
    help = "Print a participatory budget cycle's tally, counted from the ledger, as JSON."

    def add_arguments(self, parser):
        parser.add_argument("hromada", help="the hromada's slug")
        parser.add_argument("--cycle", help="the cycle's slug (default: the newest with a published ballot)")

    def handle(self, *args, **options):
        from hromada.budget.models import Cycle
        from hromada.budget.services.results import tally_from_ledger
        from hromada.tenancy.models import Hromada

        hromada = Hromada.objects.filter(slug=options["hromada"]).first()
        if hromada is None:
            raise CommandError(f"no hromada {options['hromada']!r}")
        cycles = Cycle.objects.for_hromada(hromada).select_related("hromada", "plan")
        if options["cycle"]:
            cycle = cycles.filter(slug=options["cycle"]).first()
            if cycle is None:
                raise CommandError(f"no cycle {options['cycle']!r} in {hromada.slug}")
        else:
            cycle = cycles.filter(published_at__isnull=False).order_by("-published_at").first()
            if cycle is None:
                raise CommandError(f"no cycle of {hromada.slug} has a published ballot")
        try:
            result = tally_from_ledger(cycle=cycle)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
