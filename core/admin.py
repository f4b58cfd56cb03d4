from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import TaskProbe, WorkerHeartbeat
from core.services import task_probe_send


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["hostname", "pid", "seen_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(TaskProbe)
class TaskProbeAdmin(admin.ModelAdmin):
    """ "Add" sends a test task through the broker; the row shows which process ran it."""

    list_display = ["sent_at", "sent_from_pid", "ran_in_pid", "ran_on_host", "latency", "sent_by"]
    readonly_fields = ["sent_at", "sent_from_pid", "sent_by", "ran_at", "ran_in_pid", "ran_on_host"]

    @admin.display(description=_("지연(ms)"))
    def latency(self, probe: TaskProbe) -> str:
        return "—" if probe.latency_ms is None else str(probe.latency_ms)

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if request.method != "POST" or not self.has_add_permission(request):
            # GET shows the confirmation form (or the usual 403); only POST sends.
            return super().add_view(request, form_url, extra_context)
        probe = task_probe_send(sent_by=request.user)
        self.message_user(
            request,
            _("작업 큐 점검을 보냈습니다. 워커가 실행하면 실행 프로세스 ID가 채워집니다. (%(id)s)")
            % {"id": probe.pk},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:core_taskprobe_changelist"))

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
