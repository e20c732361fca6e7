from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "renkei.programmes"
    verbose_name = _("事業と活動")
