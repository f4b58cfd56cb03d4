from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.health import check_broker, check_database, check_workers


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and the broker answer, 503 otherwise."""
    database, broker = check_database(), check_broker()
    workers = check_workers() if database.ok else None
    healthy = database.ok and broker.ok
    body = {
        "status": "ok" if healthy else "unavailable",
        "database": {"ok": database.ok, "detail": database.detail},
        "broker": {"ok": broker.ok, "detail": broker.detail},
    }
    if workers is not None:
        body["workers"] = {"ok": workers.ok, "detail": workers.detail}
    return JsonResponse(body, status=200 if healthy else 503)
