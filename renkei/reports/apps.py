from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "renkei.reports"
    verbose_name = _("事業報告書")

    def ready(self):
        # The document formats register themselves (renderers/base.py).
        from .renderers import docx, examination, html, pdf, xlsx  # noqa: F401
