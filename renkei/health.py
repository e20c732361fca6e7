"""Health endpoints for the reverse proxy and monitoring.

``/healthz``: the process answers (touches nothing else, so a database outage does not
make the proxy drop every app server at once). ``/readyz``: the database, the cache, the
file storage and the job queue answer; 200 when all do, 503 naming those that did not
(why is logged, with the request id; the answer, public, does not say).
Both are JSON, need no sign-in, are never cached and are exempt from the HTTPS redirect.
"""

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import Min
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    key = f"renkei:readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", 10)
    found = cache.get(key)
    cache.delete(key)
    if found != "1":
        raise RuntimeError("the cache did not return what was stored")


def check_storage() -> None:
    """The file storage can be read: one listing of its top folder (on object storage,
    the bucket exists and takes the credentials; a probe for one name would not notice
    a missing bucket)."""
    try:
        default_storage.listdir("")
    except FileNotFoundError:  # a MEDIA_ROOT nothing has been stored in yet
        return


def check_queue() -> None:
    """The queue's table answers, and no job has waited longer than
    RENKEI_QUEUE_STALL_SECONDS for a worker (a sign that none is running)."""
    from django_tasks_db.models import DBTaskResult

    oldest = DBTaskResult.objects.ready().aggregate(oldest=Min("enqueued_at"))["oldest"]
    if oldest is not None:
        waited = (timezone.now() - oldest).total_seconds()
        if waited > settings.RENKEI_QUEUE_STALL_SECONDS:
            raise RuntimeError(f"a job has waited {int(waited)} s for a worker")


CHECKS = {
    "database": check_database,
    "cache": check_cache,
    "storage": check_storage,
    "queue": check_queue,
}


@never_cache
@require_GET
def readyz(request):
    results, failed = {}, []
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as error:  # noqa: BLE001 — any failure is "not ready", with its reason
            logger.warning("readyz: %s failed: %s", name, error)
            results[name] = "failed"  # the reason is in the log, not for the world to read
            failed.append(name)
        else:
            results[name] = "ok"
    body = {"status": "failed" if failed else "ok", "checks": results, "failed": failed}
    return JsonResponse(body, status=503 if failed else 200)
