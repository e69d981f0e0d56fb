"""The ASGI application servers such as uvicorn or daphne run; it refuses unsafe settings as WSGI does."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

application = get_asgi_application()

from tracker.checks import refuse_unsafe_serving  # noqa: E402  (checks are registered once Django is set up)

refuse_unsafe_serving()
