from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenancyConfig(AppConfig):
    name = "renkei.tenancy"
    verbose_name = _("団体と組合")
