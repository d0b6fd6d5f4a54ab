from django.apps import AppConfig


class Config(AppConfig):
    name = "prongsai_web.tracking"
    label = "tracking"
    default_auto_field = "django.db.models.BigAutoField"
