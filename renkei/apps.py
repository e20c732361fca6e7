"""Project-level app configuration."""

from django.contrib.admin.apps import AdminConfig


class RenkeiAdminConfig(AdminConfig):
    """The admin, on the operators-only site of ``renkei.tenancy.admin_base``."""

    default_site = "renkei.tenancy.admin_base.OperatorAdminSite"
