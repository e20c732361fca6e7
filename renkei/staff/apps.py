from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "renkei.staff"
    verbose_name = "職員画面"

    def ready(self):
        # The whole-year exports and the money imports' commit are kinds of job (renkei/reports/jobs.py), known to every
        # process, the worker's too.
        from . import export_jobs, import_jobs  # noqa: F401
