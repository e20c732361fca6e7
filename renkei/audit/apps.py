from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "renkei.audit"
    verbose_name = _("変更履歴")

    def ready(self) -> None:
        from renkei.changes import changed

        from .services import record_announced_change

        # The layers below the audit app announce their changes (renkei.changes).
        changed.connect(record_announced_change, dispatch_uid="renkei-audit-announced")
