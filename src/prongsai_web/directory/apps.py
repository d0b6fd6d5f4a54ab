from django.apps import AppConfig


class Config(AppConfig):
    name = "prongsai_web.directory"
    label = "directory"
    default_auto_field = "django.db.models.BigAutoField"
