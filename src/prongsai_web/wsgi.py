"""The WSGI application (gunicorn: ``prongsai web serve``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prongsai_web.settings")
application = get_wsgi_application()
