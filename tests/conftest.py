from io import StringIO

import pytest
from django.core.management import call_command


@pytest.fixture
def reference_studies(db):
    """The reference studies, loaded the way `make run` loads them."""
    call_command("load_reference_studies", stdout=StringIO())
