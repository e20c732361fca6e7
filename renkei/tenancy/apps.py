from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenancyConfig(AppConfig):
    name = "renkei.tenancy"
    verbose_name = _("団体と組合")

    def ready(self) -> None:
        from renkei.public_http import watch_public_data

        # The public pages' cache ends with any write to Renkei's records; connected by
        # the lowest app, so the portal, the open data and the API all rely on it.
        watch_public_data()
