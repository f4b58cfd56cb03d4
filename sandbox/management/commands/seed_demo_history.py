"""python manage.py seed_demo_history: eight weeks of the demo café's posts, published to
the platform simulators on a moved clock and measured there (sandbox/demo_history.py)."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from marketing.demo import DEMO_ORGANIZATION, SAMPLE_BUSINESS
from marketing.models import Business
from sandbox.demo_history import WEEKS, DemoRefused, demo_history


class Command(BaseCommand):
    help = (
        "Give the demo café eight weeks of posts published to the platform simulators and "
        "measured there, so results and the learning loop have something to show "
        "(idempotent; after seed_demo; DEBUG only)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--weeks", type=int, default=WEEKS)

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo_history writes made-up numbers; it only runs with DEBUG on."
            )
        business = Business.objects.filter(
            organization__name=DEMO_ORGANIZATION, name=SAMPLE_BUSINESS["name"]
        ).first()
        if business is None:
            raise CommandError("데모 가게가 없습니다. 먼저 manage.py seed_demo 를 실행해 주세요.")
        started = time.perf_counter()
        try:
            made = demo_history(business, weeks=options["weeks"])
        except DemoRefused as exc:  # `make run` goes on without it
            self.stdout.write(self.style.WARNING(f"no demo history: {exc}"))
            return
        took = time.perf_counter() - started
        message = (
            f"{made} demo posts published to the simulators and measured ({took:.0f} s)"
            if made
            else "demo history already there"
        )
        self.stdout.write(self.style.SUCCESS(message))
