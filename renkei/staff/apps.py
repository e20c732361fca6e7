from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "renkei.staff"
    verbose_name = "職員画面"
