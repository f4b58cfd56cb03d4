from django.db import migrations

# Starter 10, Pro 100, Business unlimited pieces a month; editable in the admin afterwards.
PLANS = [
    ("starter", "Starter", 10, 0),
    ("pro", "Pro", 100, 49000),
    ("business", "Business", None, 149000),
]


def create_plans(apps, schema_editor):
    Plan = apps.get_model("marketing", "Plan")
    for code, name, quota, price in PLANS:
        Plan.objects.get_or_create(
            code=code, defaults={"name": name, "monthly_piece_quota": quota, "price_krw": price}
        )


class Migration(migrations.Migration):
    dependencies = [("marketing", "0001_initial")]
    operations = [migrations.RunPython(create_plans, migrations.RunPython.noop)]
