"""The WSGI application servers such as gunicorn run."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

application = get_wsgi_application()

from tracker.checks import refuse_unsafe_serving  # noqa: E402  (checks are registered once Django is set up)

refuse_unsafe_serving()
