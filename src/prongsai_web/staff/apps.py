from django.apps import AppConfig


class Config(AppConfig):
    name = "prongsai_web.staff"
    label = "staff"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from prongsai_web.staff.signals import connect  # the models are ready: the audit app may load

        connect()
