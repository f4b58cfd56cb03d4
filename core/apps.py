from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _install_periodic_tasks(sender: AppConfig, **kwargs: Any) -> None:
    from core.schedules import periodic_tasks_install

    periodic_tasks_install()


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("시스템")

    def ready(self) -> None:
        from core.folders import local_folders_create

        local_folders_create()  # before any process opens the database or the broker
        # After every migrate (make run, release, test database set-up).
        post_migrate.connect(_install_periodic_tasks, sender=self)
