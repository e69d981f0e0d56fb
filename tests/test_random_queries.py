"""Random query strings on every public address never cause a server error, on SQLite or PostgreSQL."""

import os
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studies.filters import StudyFilter
from tests.addresses import public_urls
from tests.factories import make_study, make_study_with_everything

# CI tries many more query strings than a developer's run; both are repeatable (derandomize).
EXAMPLES = 2_000 if os.environ.get("CI") == "true" else 200

KNOWN_NAMES = [*StudyFilter.base_filters, "page", "category"]
KNOWN_VALUES = ["hair_density", "alopecia_areata", "exosome", "numeric", "design", "India", "last", "2024", "1"]

values = st.one_of(
    st.text(max_size=40),
    st.sampled_from(KNOWN_VALUES),
    st.integers().map(str),
    st.floats().map(str),
    st.sampled_from(["\x00", "%00", "x" * 5_000, "9" * 30, "-0", "١٢", "🦠", "' OR 1=1 --"]),
)
names = st.one_of(st.sampled_from(KNOWN_NAMES), st.text(max_size=12))
encoded_queries = st.lists(st.tuples(names, values), max_size=6).map(urlencode)
# Hand-typed addresses: stray percent signs, ampersands and equals signs, not encoded by a browser.
raw_queries = st.text(alphabet=st.sampled_from("abc=&%0fF+;?/ \x00é"), max_size=40).map(
    lambda text: quote(text, safe="=&%+;?/")
)


@pytest.fixture
def every_public_url(db):
    study = make_study_with_everything(slug="known-study", country="India")
    make_study(title="Second study", country="Brazil", sample_size=None, sample_size_not_reported=True, year=None)
    return public_urls(study)


@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    # The studies are made once per test, not once per example; requests only read them.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), query=st.one_of(encoded_queries, raw_queries))
def test_no_query_string_causes_a_server_error(client, every_public_url, data, query):
    url = data.draw(st.sampled_from(every_public_url), label="url")
    response = client.get(url, QUERY_STRING=query)
    # Downloads are written while they are read, so read them to the end.
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code < 500, (url, query, body[:300])
