"""python manage.py make_campaign --profile PROFILE.json --out DIR [...]

Creates the business from a profile file, generates a campaign through the same
Celery tasks as the web (starting a worker process when none is running), and
writes DIR/campaign.json plus one JSON file per piece.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from campaigns.export import campaign_export
from campaigns.models import Campaign
from campaigns.services import campaign_create
from content.channels import Channel
from content.models import RenderStatus
from core.worker_process import celery_worker, live_worker_serves
from marketing.limits import LimitReached
from marketing.models import Business, Organization, Plan
from marketing.profiles import (
    ImportedBusiness,
    ProfileError,
    business_from_profile,
    profile_parse,
)

SCRATCH_ORGANIZATION = "make_campaign (scratch)"
SCRATCH_PLAN = "pro"


class Command(BaseCommand):
    help = "Generate a campaign for a business described in a profile JSON file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--profile", required=True, type=Path)
        parser.add_argument("--out", required=True, type=Path)
        parser.add_argument("--channels", default=",".join(Channel.values))
        parser.add_argument("--weeks", type=int, default=1)
        parser.add_argument("--goal", default=Campaign.Goal.AWARENESS, choices=Campaign.Goal.values)
        parser.add_argument("--org", help="organization name or id (default: a scratch one)")
        parser.add_argument(
            "--start", type=dt.date.fromisoformat, help="first day (default: tomorrow)"
        )
        parser.add_argument("--timeout", type=int, default=900, help="seconds to wait for pieces")

    def handle(self, *args: object, **options: object) -> None:
        pending = unapplied_migrations()
        if pending:
            raise CommandError(
                f"the database is not migrated ({len(pending)} migrations to apply): run "
                "`python manage.py migrate` (or `make migrate`) first"
            )
        # Options may arrive as strings from call_command(), which skips argparse's types.
        out = Path(str(options["out"]))
        org = options.get("org")
        imported = self._import(Path(str(options["profile"])), None if org is None else str(org))
        business = imported.business
        for warning in imported.warnings:
            self.stderr.write(self.style.WARNING(f"warning: {warning}"))
        start = self._start(options.get("start"), business)
        weeks = max(1, int(str(options["weeks"])))
        channels = [c.strip() for c in str(options["channels"]).split(",") if c.strip()]
        with self._worker():
            try:
                campaign = campaign_create(
                    business=business,
                    actor=None,
                    goal=str(options["goal"]),
                    starts_on=start,
                    ends_on=start + dt.timedelta(days=7 * weeks - 1),
                    channels=channels,
                    offer=imported.offer,
                )
            except ValidationError as exc:
                raise CommandError(f"the brief has problems: {exc.message_dict}") from exc
            self.stdout.write(f"campaign {campaign.pk}: {campaign.pieces.count()} pieces queued")
            campaign = self._wait(campaign, int(str(options["timeout"])))
        files = campaign_export(campaign, out)
        self._report(campaign, files, out)

    def _start(self, given: object, business: Business) -> dt.date:
        if isinstance(given, str):
            return dt.date.fromisoformat(given)
        if isinstance(given, dt.date):
            return given
        local_today = timezone.localdate(timezone=ZoneInfo(business.time_zone))
        return local_today + dt.timedelta(days=1)

    def _import(self, path: Path, org: str | None) -> ImportedBusiness:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise CommandError(f"no profile file at {path}") from exc
        except json.JSONDecodeError as exc:
            raise CommandError(f"{path} is not valid JSON: {exc}") from exc
        try:
            profile = profile_parse(data)
        except ProfileError as exc:
            raise CommandError(str(exc)) from exc
        try:
            return business_from_profile(
                profile, organization=self._organization(org), base_dir=path.parent
            )
        except LimitReached as exc:
            raise CommandError(exc.reason) from exc

    def _organization(self, org: str | None) -> Organization:
        if not org:  # on Pro, like a shop trying the product: the quota applies here too
            return Organization.objects.get_or_create(
                name=SCRATCH_ORGANIZATION,
                defaults={"plan": Plan.objects.filter(code=SCRATCH_PLAN).first()},
            )[0]
        lookup: dict[str, object] = {"pk": int(org)} if org.isdigit() else {"name": org}
        try:
            return Organization.objects.get(**lookup)
        except Organization.DoesNotExist as exc:
            raise CommandError(f"no organization {org!r}") from exc

    def _worker(self) -> AbstractContextManager[object]:
        if live_worker_serves("generation"):
            self.stdout.write("using the running Celery worker")
            return nullcontext()
        self.stdout.write("no Celery worker is running: starting one for this campaign")
        return celery_worker(queues="generation,render,default", pool="threads", concurrency=4)

    def _wait(self, campaign: Campaign, timeout_s: int) -> Campaign:
        """Until every piece is written, and its images and video are made."""
        deadline = time.monotonic() + timeout_s
        rendering = [RenderStatus.QUEUED, RenderStatus.RENDERING]
        while time.monotonic() < deadline:
            campaign.refresh_from_db()
            writing = campaign.status == Campaign.Status.GENERATING
            if not writing and not campaign.pieces.filter(render_status__in=rendering).exists():
                return campaign
            time.sleep(0.2)  # polling another process's progress
        raise CommandError(f"campaign {campaign.pk} was not ready after {timeout_s} s")

    def _report(self, campaign: Campaign, files: list[Path], out: Path) -> None:
        failed = campaign.pieces.filter(status="failed")
        for piece in failed:
            self.stderr.write(
                self.style.ERROR(f"piece {piece.pk} ({piece.channel}) failed: {piece.error}")
            )
        self.stdout.write(
            self.style.SUCCESS(f"wrote {out / 'campaign.json'} and {len(files)} piece files")
        )
        if failed:
            raise CommandError(f"{failed.count()} of {len(files)} pieces failed")


def unapplied_migrations() -> list[tuple[str, str]]:
    """The migrations the database still needs (all of them on a database never migrated)."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [(migration.app_label, migration.name) for migration, _backwards in plan]
