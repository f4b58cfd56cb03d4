"""make_campaign before any work: a database never migrated is named in one line, and the
scratch organization it creates is on a plan like any shop."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps

from campaigns.management.commands.make_campaign import Command, unapplied_migrations
from marketing.models import Plan

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "docs" / "examples" / "sample-profile.json"


def test_a_database_never_migrated_is_named_in_one_line(tmp_path):
    env = {
        **os.environ,
        "GAGECAST_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
    }
    env.pop("DATABASE_URL", None)  # a fresh SQLite file under tmp_path, never migrated

    ran = subprocess.run(
        [sys.executable, "manage.py", "make_campaign", "--profile", str(SAMPLE), "--out", str(tmp_path / "out")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip

    assert ran.returncode == 1
    assert "the database is not migrated" in ran.stderr and "manage.py migrate" in ran.stderr
    assert "Traceback" not in ran.stderr and len(ran.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


@pytest.mark.django_db
def test_the_migrated_test_database_needs_nothing_and_the_scratch_organization_is_on_pro():
    assert unapplied_migrations() == []

    organization = Command()._organization(None)

    assert organization.plan is not None and organization.plan.code == "pro"


@pytest.mark.django_db
def test_plans_still_at_the_old_prices_move_and_an_operators_price_stays():
    move = import_module("marketing.migrations.0008_plan_prices")
    Plan.objects.filter(code="pro").update(price_krw=49000)
    Plan.objects.filter(code="business").update(price_krw=99000)  # an operator's price

    move.forwards(apps, None)

    prices = dict(Plan.objects.values_list("code", "price_krw"))
    assert prices["pro"] == 29000 and prices["business"] == 99000
