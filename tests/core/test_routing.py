import pytest

from config.celery_app import app


@pytest.mark.parametrize(
    ("task", "queue"),
    [
        ("content.tasks.generate_piece", "generation"),
        ("content.tasks.read_voice_memo", "generation"),
        ("content.tasks.render_piece", "render"),
        ("campaigns.tasks.anything", "generation"),
        ("publishing.tasks.publish", "publish"),
        ("analytics.tasks.collect", "analytics"),
        ("core.tasks.run_task_probe", "default"),
        ("marketing.tasks.refresh_market_context", "default"),
    ],
)
def test_each_task_goes_to_the_queue_for_its_kind_of_work(task: str, queue: str):
    route = app.amqp.router.route({}, task)

    assert route["queue"].name == queue
