"""Any number a curator can type is either refused with a message or kept exactly as typed, on SQLite
and PostgreSQL alike: never rounded, never a server error later."""

import os

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studies.models import OutcomeResult, plain_number
from tests.factories import make_result

EXAMPLES = 1_000 if os.environ.get("CI") == "true" else 150

typed_numbers = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.from_regex(r"\A-?[0-9]{1,12}(\.[0-9]{0,8})?\Z"),
    st.sampled_from(["9999999999.999999", "1234567890.123456", "3.00", "22.0", "-0.0", "1e5", "0.000001"]),
)


@pytest.fixture
def result(db):
    return make_result(statistic=OutcomeResult.Statistic.MEAN_CHANGE)


@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(typed=typed_numbers)
def test_a_typed_number_is_refused_with_a_message_or_kept_exactly(result, typed):
    field = OutcomeResult._meta.get_field("value").formfield()
    try:
        number = field.clean(typed)
        result.value = number
        result.full_clean()
    except ValidationError as refusal:
        assert refusal.messages, typed
        return
    result.save()
    result.refresh_from_db()
    # What was typed, in plain notation: 1e5 is kept as 100000, -0.0 as 0.0, 3.00 as 3.00.
    assert result.value == number, typed
    assert str(result.value) == plain_number(number), typed
