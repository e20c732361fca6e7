from django.apps import AppConfig
from django.db.models import signals
from django.utils.translation import gettext_lazy as _


def _data_changed(sender, **kwargs) -> None:
    """Any write to Renkei's own records may change a public page. The audit log is
    included: services write an entry for changes made with ``QuerySet.update()``, which
    sends no signal of its own."""
    meta = getattr(sender, "_meta", None)
    if meta is None or meta.app_config is None:
        return
    if meta.app_config.name.startswith("renkei."):
        from .http import bump_public_data_version

        bump_public_data_version()


class PortalConfig(AppConfig):
    name = "renkei.portal"
    verbose_name = _("公開ポータル")

    def ready(self) -> None:
        for signal in (signals.post_save, signals.post_delete, signals.m2m_changed):
            signal.connect(_data_changed, dispatch_uid=f"renkei-public-cache-{id(signal)}")
