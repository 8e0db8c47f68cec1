"""python manage.py ledger_verify [--hromada SLUG] [--file export.json] [--expect SIZE:ROOT] [--key-id ID]

Exit code 0 when every checked log verifies, 1 at the first problem (printed)."""

from __future__ import annotations

import json
import re

from django.core.management.base import BaseCommand, CommandError

from hromada.ledger.verify import LedgerProblem, Report, verify_database, verify_export
from hromada.tenancy.models import Hromada

_PIN = re.compile(r"^(\d+):([0-9a-f]{64})$")


def _pin(value: str) -> tuple[int, str]:
    match = _PIN.match(value.strip().lower())
    if not match:
        raise CommandError(f"--expect {value!r}: write it as TREE_SIZE:ROOT_HASH_HEX")
    return int(match.group(1)), match.group(2)


class Command(BaseCommand):
    help = "Verify the public ledger: entry hashes, Merkle roots, signatures and consistency."

    def add_arguments(self, parser):
        parser.add_argument("--hromada", metavar="SLUG", help="verify this hromada only (default: all)")
        parser.add_argument("--file", metavar="PATH", help="verify an export file instead of the database")
        parser.add_argument(
            "--expect",
            metavar="SIZE:ROOT",
            action="append",
            default=[],
            help="a tree head published earlier that the log must still contain (repeatable)",
        )
        parser.add_argument(
            "--key-id",
            action="append",
            default=[],
            help="accept only tree heads signed by this key (repeatable)",
        )

    def handle(self, *args, **options):
        pinned = [_pin(value) for value in options["expect"]]
        trusted = [value.strip().lower() for value in options["key_id"]]
        if options["file"]:
            if options["hromada"]:
                raise CommandError("--hromada and --file do not go together: an export holds one hromada")
            try:
                with open(options["file"], encoding="utf-8") as handle:
                    document = json.load(handle)
            except (OSError, ValueError) as exc:
                raise CommandError(f"cannot read {options['file']}: {exc}")
            self._run(
                options["file"], lambda: verify_export(document, pinned=pinned, trusted_key_ids=trusted)
            )
            return
        hromadas = Hromada.objects.order_by("slug")
        if options["hromada"]:
            hromadas = hromadas.filter(slug=options["hromada"])
            if not hromadas.exists():
                raise CommandError(f"no hromada with slug {options['hromada']!r}")
        elif pinned:
            raise CommandError("--expect needs --hromada: a pinned tree belongs to one hromada's log")
        for hromada in hromadas:
            self._run(
                hromada.slug,
                lambda h=hromada: verify_database(hromada=h, pinned=pinned, trusted_key_ids=trusted),
            )

    def _run(self, label: str, check) -> None:
        try:
            report: Report = check()
        except LedgerProblem as problem:
            raise CommandError(f"{label}: LEDGER DOES NOT VERIFY: {problem}", returncode=1)
        self.stdout.write(
            self.style.SUCCESS(f"{report.slug}: OK")
            + f" — {report.tree_size} entries in {report.tree_heads} signed tree heads, "
            f"{report.pending} pending, root {report.root_hash}"
            + (f", keys {', '.join(k[:16] for k in report.key_ids)}" if report.key_ids else "")
            + (f", {len(report.pinned)} pinned tree(s) matched" if report.pinned else "")
        )
