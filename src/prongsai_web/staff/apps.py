from django.apps import AppConfig


class Config(AppConfig):
    name = "prongsai_web.staff"
    label = "staff"
    default_auto_field = "django.db.models.BigAutoField"
