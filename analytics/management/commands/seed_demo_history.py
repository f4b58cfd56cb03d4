from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from analytics.demo import demo_history
from marketing.demo import DEMO_ORGANIZATION, SAMPLE_BUSINESS
from marketing.models import Business


class Command(BaseCommand):
    help = (
        "Give the demo café two months of published posts with their numbers, so the "
        "learning loop has something to show (idempotent; after seed_demo)."
    )

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
        made = demo_history(business)
        message = f"{made} demo posts with numbers" if made else "demo history already there"
        self.stdout.write(self.style.SUCCESS(message))
