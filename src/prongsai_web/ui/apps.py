from django.apps import AppConfig


class Config(AppConfig):
    name = "prongsai_web.ui"
    label = "ui"
    default_auto_field = "django.db.models.BigAutoField"
