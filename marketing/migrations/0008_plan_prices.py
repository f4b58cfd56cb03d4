"""The plan's prices (001): Pro ₩29,000 and Business ₩59,000 a month. A plan still at the
price an earlier release installed moves; one an operator changed stays as it is."""

from django.db import migrations

MOVES = {"pro": (49000, 29000), "business": (149000, 59000)}


def forwards(apps, schema_editor):
    Plan = apps.get_model("marketing", "Plan")
    for code, (old, new) in MOVES.items():
        Plan.objects.filter(code=code, price_krw=old).update(price_krw=new)


def backwards(apps, schema_editor):
    Plan = apps.get_model("marketing", "Plan")
    for code, (old, new) in MOVES.items():
        Plan.objects.filter(code=code, price_krw=new).update(price_krw=old)


class Migration(migrations.Migration):
    dependencies = [("marketing", "0007_weekly_report")]
    operations = [migrations.RunPython(forwards, backwards)]
