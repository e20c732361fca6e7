"""The job queue's housekeeping (docs/adr/0011-job-queue.md).

django-tasks' database worker marks a task it takes as running and never looks at it
again; a worker killed mid-task (power cut, OOM killer, ``kill -9``, a deploy) would leave
it running for ever. Each Renkei worker therefore has a stable id (its host name, plus a
name when one machine runs several), and on start-up puts back in the queue every task
still marked running under its own id: only one process runs with an id, so such a task
was interrupted by that id's previous life. A machine that will not come back is handed
over with ``renkei worker --requeue-from ITS-ID``. Tasks must therefore be safe to run
again (the report jobs are: renkei/reports/jobs.py).
"""

import logging
import socket

from django.db import transaction
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)


def default_worker_id(name: str = "") -> str:
    """``host`` or ``host:name``: the same after a restart, different on each machine."""
    host = socket.gethostname()[:40]
    return f"{host}:{name}"[:64] if name else host


def requeue_interrupted(worker_id: str, backend_name: str = "default") -> list[str]:
    """Put back in the queue the tasks marked running whose last taker was ``worker_id``;
    return their ids."""
    with transaction.atomic():
        running = DBTaskResult.objects.select_for_update().filter(
            status=TaskResultStatus.RUNNING, backend_name=backend_name
        )
        interrupted = [t for t in running if t.worker_ids and t.worker_ids[-1] == worker_id]
        for task_result in interrupted:
            task_result.status = TaskResultStatus.READY
            task_result.started_at = None
            task_result.save(update_fields=["status", "started_at"])
    ids = [str(t.id) for t in interrupted]
    if ids:
        logger.warning("worker %s: re-queued interrupted tasks %s", worker_id, ", ".join(ids))
    return ids
