from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "renkei.reports"
    verbose_name = _("事業報告書")

    def ready(self):
        # The document formats register themselves (renderers/base.py).
        # The kinds of job the reports app does (jobs.py: the report; document_jobs.py:
        # the notices and the 決算書), known to every process, the worker's too.
        from . import document_jobs, jobs  # noqa: F401
        from .renderers import docx, examination, html, pdf, xlsx  # noqa: F401
