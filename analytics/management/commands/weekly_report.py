"""python manage.py weekly_report --business ID [--week 2026-W49] --out DIR

Writes one business's weekly report as report.html, report.pdf and its charts (SVG and
PNG) into DIR, for anyone to inspect. Nothing is sent or stored; the week defaults to
the last one whose report is due on the business's clock."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone, translation

from analytics import reports
from marketing.models import Business


class Command(BaseCommand):
    help = "Write a business's weekly report (HTML, PDF, charts) into a folder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--business", type=int, required=True, help="the business's id")
        parser.add_argument("--week", help="ISO week, e.g. 2026-W49 (default: last week)")
        parser.add_argument("--out", required=True, help="folder to write into")

    def handle(self, *args: object, **options: object) -> None:
        business = (
            Business.objects.select_related("organization__plan")
            .filter(pk=int(str(options["business"])))
            .first()
        )
        if business is None:
            raise CommandError(f"no business with id {options['business']}")
        week = str(options["week"] or reports.due_week(business.time_zone, timezone.now()))
        with translation.override("ko"):
            try:
                report = reports.build(business, week, png=True)
            except reports.ReportError as exc:
                raise CommandError(str(exc)) from exc
            written = reports.write_files(report, Path(str(options["out"])))
        self.stdout.write(f"{business.name} {week}: {len(report.charts)} charts")
        for path in written:
            self.stdout.write(f"  {path}")
