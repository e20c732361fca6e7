from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Installation-wide operations: backup and restore (no models of its own)."""

    name = "renkei.operations"
    verbose_name = _("運用")
