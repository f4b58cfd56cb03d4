from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from marketing.demo import DEMO_PASSWORD, demo_agency_seed, demo_seed


class Command(BaseCommand):
    help = (
        "Create the demo organization, owner login and sample café, and the demo agency "
        "with three client shops (idempotent)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--email", default=settings.DEMO_OWNER_EMAIL)
        parser.add_argument("--operator-email", default=settings.DEMO_OPERATOR_EMAIL)
        parser.add_argument("--agency-email", default=settings.DEMO_AGENCY_EMAIL)
        parser.add_argument("--client-email", default=settings.DEMO_CLIENT_EMAIL)

    def handle(
        self,
        *args: Any,
        email: str,
        operator_email: str,
        agency_email: str,
        client_email: str,
        **options: Any,
    ) -> None:
        if not settings.DEBUG:
            raise CommandError("seed_demo creates a known password; it only runs with DEBUG on.")
        demo = demo_seed(owner_email=email, operator_email=operator_email)
        agency = demo_agency_seed(manager_email=agency_email, client_email=client_email)
        unchanged = demo.created or demo.owner.check_password(DEMO_PASSWORD)
        password = DEMO_PASSWORD if unchanged else "(changed by you)"
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: {demo.business.name} in {demo.organization.name}\n"
                f"  owner login:    {demo.owner.email}  password: {password}\n"
                f"  operator login: {demo.operator.email}  (superuser, same password)\n"
                f"  agency login:   {agency.manager.email}  (manager of "
                f"{len(agency.businesses)} client shops: /app/workspace/, same password)\n"
                f"  client login:   {agency.client.email}  (sees {agency.businesses[0].name} "
                "only, read only; same password)"
            )
        )
