"""Every task name that product code sends through core.queue is a registered task,
so a typo or a renamed task fails here instead of in a worker's log."""

import ast
from pathlib import Path

import pytest
from django.db import transaction

from config.celery_app import app
from core import queue

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ["analytics", "campaigns", "content", "core", "marketing", "publishing"]


def _sent_names() -> set[str]:
    names: set[str] = set()
    for package in PRODUCT:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in {"send", "enqueue"}
                    and isinstance(node.func.value, ast.Name)
                    and node.func.value.id == "queue"
                    and node.args
                ):
                    first = node.args[0]
                    assert isinstance(first, ast.Constant), f"{path}: name the task literally"
                    names.add(first.value)
    return names


def test_every_task_name_sent_through_the_queue_is_registered():
    app.loader.import_default_modules()
    sent = _sent_names()
    assert sent, "no service sends through core.queue"
    assert sent <= set(app.tasks), sorted(sent - set(app.tasks))


def test_no_product_module_imports_a_tasks_module():
    offenders = []
    for package in PRODUCT:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                modules = []
                if isinstance(node, ast.ImportFrom) and node.module:
                    modules = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
                elif isinstance(node, ast.Import):
                    modules = [a.name for a in node.names]
                if any(m.split(".")[-1] == "tasks" for m in modules):
                    offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


@pytest.mark.django_db(transaction=True)
def test_enqueue_waits_for_the_commit(monkeypatch):
    sent = []
    monkeypatch.setattr(queue, "send", lambda name, *args, countdown=None: sent.append(name))
    with transaction.atomic():
        queue.enqueue("core.tasks.purge_task_probes")
        assert sent == []
    assert sent == ["core.tasks.purge_task_probes"]
