from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "renkei.audit"
    verbose_name = _("変更履歴")
