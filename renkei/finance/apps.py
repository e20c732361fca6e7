from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "renkei.finance"
    verbose_name = _("予算と決算")
