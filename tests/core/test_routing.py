from fnmatch import fnmatchcase

import pytest
from django.conf import settings

from config.celery_app import app

PRODUCT = ("analytics", "campaigns", "content", "core", "marketing", "publishing")


def _product_tasks() -> set[str]:
    app.loader.import_default_modules()
    return {name for name in app.tasks if name.startswith(tuple(f"{p}." for p in PRODUCT))}


@pytest.mark.parametrize(
    ("task", "queue"),
    [
        ("content.tasks.generate_piece", "generation"),
        ("content.tasks.read_voice_memo", "generation"),
        ("content.tasks.analyze_photo", "generation"),
        ("content.tasks.render_piece", "render"),
        ("publishing.tasks.publish_publication", "publish"),
        ("publishing.tasks.dispatch_due_publications", "publish"),
        ("core.tasks.run_task_probe", "default"),
        ("marketing.tasks.refresh_market_context", "default"),
        ("analytics.tasks.collect_metrics", "analytics"),
    ],
)
def test_each_task_goes_to_the_queue_for_its_kind_of_work(task: str, queue: str):
    route = app.amqp.router.route({}, task)

    assert route["queue"].name == queue


def test_every_registered_task_has_a_route_to_a_declared_queue():
    declared = {queue.name for queue in settings.CELERY_TASK_QUEUES}
    tasks = _product_tasks()

    assert tasks
    for task in sorted(tasks):
        assert any(fnmatchcase(task, pattern) for pattern in settings.CELERY_TASK_ROUTES), task
        assert app.amqp.router.route({}, task)["queue"].name in declared, task


def test_every_route_names_tasks_that_exist():
    tasks = _product_tasks()

    for pattern in settings.CELERY_TASK_ROUTES:
        assert any(fnmatchcase(task, pattern) for task in tasks), pattern
