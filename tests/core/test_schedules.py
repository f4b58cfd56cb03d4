import pytest
from django_celery_beat.models import PeriodicTask

from core.schedules import DEFAULT_PERIODIC_TASKS, periodic_tasks_install


@pytest.mark.django_db
def test_migrate_installs_every_default_periodic_task():
    # The test database was migrated, which ran the post_migrate installer.
    installed = set(PeriodicTask.objects.values_list("name", flat=True))

    assert set(DEFAULT_PERIODIC_TASKS) <= installed


@pytest.mark.django_db
def test_an_operators_edit_survives_the_next_install():
    task = PeriodicTask.objects.get(name="purge-old-task-probes")
    task.enabled = False
    task.save()

    created = periodic_tasks_install()

    task.refresh_from_db()
    assert created == []
    assert task.enabled is False


@pytest.mark.django_db
def test_a_deleted_default_comes_back_on_the_next_install():
    PeriodicTask.objects.filter(name="purge-old-task-probes").delete()

    created = periodic_tasks_install()

    assert created == ["purge-old-task-probes"]
    assert PeriodicTask.objects.get(name="purge-old-task-probes").crontab.hour == "3"
