"""The WSGI application servers such as gunicorn run."""

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

application = get_wsgi_application()

from django.conf import settings  # noqa: E402  (settings are ready only after the application)

if not settings.DEBUG and (problems := settings.production_problems()):
    raise ImproperlyConfigured("Refusing to serve the public: " + " ".join(problems))
