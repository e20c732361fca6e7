"""``renkei worker``: run queued jobs (django-tasks' ``db_worker`` with a stable id).

Before it takes new jobs it re-queues those its previous life was running when it died
(renkei/operations/queue.py), and those of ``--requeue-from`` workers that are gone.
SIGTERM lets the current job finish; a second one ends it (it is re-run on restart).
"""

import os

from django_tasks_db.management.commands import db_worker

from renkei.operations.queue import default_worker_id, requeue_interrupted


class Command(db_worker.Command):
    help = "Run queued jobs (reports). Several may run, on this or other machines."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(
            worker_id=os.environ.get("RENKEI_WORKER_ID") or default_worker_id(),
            reload=False,
        )
        parser.add_argument(
            "--requeue-from",
            action="append",
            default=[],
            metavar="WORKER_ID",
            help="Re-queue the jobs a worker that is gone for good was running.",
        )

    def handle(self, *args, **options):
        for worker_id in [options["worker_id"], *options.pop("requeue_from")]:
            ids = requeue_interrupted(worker_id, options["backend_name"])
            if ids and options["verbosity"]:
                self.stdout.write(f"Re-queued {len(ids)} interrupted job(s) of {worker_id}.")
        return super().handle(*args, **options)
