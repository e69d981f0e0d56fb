"""Schemathesis sends requests generated from the API's own OpenAPI description to every operation
and checks each answer against it: no server error, and every response as the description says.

In-process, through the WSGI application, on whichever database the suite runs on.
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from studies.models import Study
from tests.factories import make_study, make_study_with_everything

# 200 examples per operation in CI; fewer locally, so that `make test` stays quick.
EXAMPLES = 200 if os.environ.get("CI") == "true" else 25


@pytest.fixture
def api_schema(reference_studies, settings):  # noqa: F811  (hypothesis's settings is only used as a decorator)
    """The description, read from the running application, with a few more published studies and a draft."""
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    make_study_with_everything(title="Complete trial")
    make_study(title="Unknown size", sample_size=None, sample_size_not_reported=True, year=None, country="")
    make_study_with_everything(title="Unreviewed draft", status=Study.Status.DRAFT)
    # Django's test client keeps the test's transaction open by not letting the end of a request
    # close the database connection; a plain WSGI application needs the same.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


OPERATIONS = ["/api/v1/studies/", "/api/v1/studies/{slug}/", "/api/v1/outcomes/", "/api/v1/adverse-events/"]


def test_the_description_lists_every_operation(api_schema):
    assert sorted(operation.ok().path for operation in api_schema.get_all_operations()) == sorted(OPERATIONS)


@pytest.mark.parametrize("path", OPERATIONS)
def test_every_operation_answers_as_its_description_says(api_schema, path):
    # Hypothesis drives the operation's own strategy here rather than through Schemathesis's pytest
    # plugin, whose lazy loading does not run under this pytest.
    @given(case=api_schema[path]["GET"].as_strategy())
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def answers_as_described(case):
        # A cursor is any string by its schema, yet only the site's own are accepted: a made-up one is
        # rightly refused, so only for those is a 400 not a failure.
        made_up_cursor = "cursor" in (case.query or {})
        response = case.call_and_validate(excluded_checks=[positive_data_acceptance] if made_up_cursor else None)
        assert response.status_code < 500
        assert "Unreviewed draft" not in response.text

    answers_as_described()
