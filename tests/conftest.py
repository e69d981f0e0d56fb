from io import StringIO

import pytest
from django.core.management import call_command


@pytest.fixture(autouse=True)
def plain_http_and_unhashed_static_files(settings):
    """Tests run with production settings, except that the test client speaks plain HTTP and
    static files are not collected (hashed names need `collectstatic`)."""
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def reference_studies(db):
    """The reference studies, loaded the way `make run` loads them."""
    call_command("load_reference_studies", stdout=StringIO())
