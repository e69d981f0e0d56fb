"""Reading a record from ClinicalTrials.gov over real HTTP (a local server) and from files."""

import io
import json
from pathlib import Path

import pytest

from registries.ctgov import RecordError, RegistryUnreachable, fetch_record, nct_number, parse_record, read_file
from tests import ctgov_server

RECORD = Path(__file__).parent / "data" / "ctgov" / "NCT02210780.json"


def test_a_record_is_fetched_with_a_user_agent_naming_the_tracker(ctgov, settings):
    record = fetch_record("nct02210780")
    assert record["protocolSection"]["identificationModule"]["nctId"] == "NCT02210780"
    path, agent = ctgov.requests[0]
    assert path == "/api/v2/studies/NCT02210780"
    assert settings.SITE_NAME in agent


def test_an_unknown_number_is_a_404_said_plainly(ctgov):
    with pytest.raises(RecordError, match="has no study NCT00000000"):
        fetch_record("NCT00000000")
    assert len(ctgov.requests) == 1  # a 404 is an answer: no retry


def test_a_server_error_is_tried_once_more(ctgov):
    ctgov.fail_next = 1
    assert fetch_record("NCT02210780")["hasResults"] is True
    assert len(ctgov.requests) == 2


def test_a_registry_that_keeps_failing_is_unreachable_after_one_retry(ctgov):
    ctgov.down = True
    with pytest.raises(RegistryUnreachable, match="error 503.*Nothing was changed"):
        fetch_record("NCT02210780")
    assert len(ctgov.requests) == 2


def test_a_registry_that_does_not_answer_in_time_is_unreachable(ctgov):
    with pytest.raises(RegistryUnreachable, match="did not answer within 0.5 seconds"):
        fetch_record(ctgov_server.SLOW)


def test_no_network_is_unreachable(settings):
    settings.CTGOV_API_URL = "http://127.0.0.1:9/api/v2"  # the discard port: nothing listens
    settings.CTGOV_TIMEOUT = 0.5
    with pytest.raises(RegistryUnreachable, match="no connection"):
        fetch_record("NCT02210780")


@pytest.mark.parametrize(
    ("nct_id", "message"),
    [(ctgov_server.NOT_JSON, "not JSON"), (ctgov_server.NOT_A_STUDY, "not a ClinicalTrials.gov API v2 study")],
)
def test_a_malformed_body_is_refused(ctgov, nct_id, message):
    with pytest.raises(RecordError, match=message):
        fetch_record(nct_id)


@pytest.mark.parametrize("typed", ["NCT123", "12345678", "NCT0221078O", ""])
def test_a_malformed_number_is_refused_before_any_request(typed):
    with pytest.raises(RecordError, match="is not a ClinicalTrials.gov number"):
        nct_number(typed)


def test_a_file_is_read_and_checked_against_the_number():
    assert read_file(io.BytesIO(RECORD.read_bytes()), expected="NCT02210780")["hasResults"] is True
    with pytest.raises(RecordError, match="is of NCT02210780, not of NCT03418623"):
        read_file(io.BytesIO(RECORD.read_bytes()), expected="NCT03418623")


def test_a_record_over_10_mb_is_refused():
    padded = json.dumps({"padding": "x" * (10 * 1024 * 1024)}).encode()
    with pytest.raises(RecordError, match="larger than 10 MB"):
        read_file(io.BytesIO(padded))


@pytest.mark.parametrize(
    "body", [b"\xff\xfe", b"[1, 2]", b'{"protocolSection": {"identificationModule": {"nctId": 7}}}']
)
def test_anything_but_one_study_record_is_refused(body):
    with pytest.raises(RecordError):
        parse_record(body)
