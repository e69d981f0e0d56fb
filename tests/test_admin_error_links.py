"""After a refused save, the note at the top of the page leads to the first mistake, however long the page."""

import re

import pytest

from tests.admin_helpers import post_change
from tests.factories import make_measure

pytestmark = pytest.mark.django_db


def error_note(response):
    assert response.status_code == 200, "the save was expected to be refused"
    (note,) = re.findall(r'<p class="errornote error-summary">(.*?)</p>', response.text, re.DOTALL)
    return " ".join(note.split())


def test_the_error_note_links_to_the_field_in_error(curator_client, trial):
    response = post_change(curator_client, trial, changes={"year": 2999})
    assert error_note(response) == (
        'Please correct the error below. <a href="#id_year">Go to the first error: Year</a>'
    )
    assert 'id="id_year"' in response.text


def test_the_link_goes_to_the_first_mistake_in_page_order(curator_client, trial):
    response = post_change(
        curator_client, trial, changes={"end_date": "2020-01-01", "start_date": "2021-01-01", "year": 2999}
    )
    assert '<a href="#id_year">Go to the first error: Year</a>' in error_note(response)


def test_a_mistake_in_an_inline_row_links_to_that_field_of_that_row(curator_client, trial):
    placebo = trial.arms.get(label="Placebo")
    rows = [
        {"arm": placebo.pk, "term": "Itch", "participants_affected": 1, "participants_at_risk": 10},
        {"arm": placebo.pk, "term": "Scalp erythema", "participants_affected": "many", "participants_at_risk": 10},
    ]
    response = post_change(curator_client, trial, rows={"adverse_events": rows})
    anchor = "adverse_events-1-participants_affected"
    assert error_note(response) == (
        f'Please correct the error below. <a href="#id_{anchor}">'
        "Go to the first error: Adverse events, row 2, Participants affected</a>"
    )
    assert f'id="id_{anchor}"' in response.text


def test_a_mistake_between_inline_rows_links_to_their_table(curator_client, trial):
    response = post_change(
        curator_client, trial, rows={"arms": [{"label": "Extra", "role": "experimental", "participants": 5}]}
    )
    assert '<a href="#arms-group">Go to the first error: Arms</a>' in error_note(response)
    assert 'id="arms-group"' in response.text


def test_the_results_grid_links_to_the_result_in_error(curator_client, trial):
    measure = make_measure(study=trial)
    response = post_change(
        curator_client,
        measure,
        rows={"results": [{"arm": trial.arms.first().pk, "statistic": "mean", "value": "a lot"}]},
    )
    assert '<a href="#id_results-0-value">Go to the first error: Outcome results, row 1, Value</a>' in error_note(
        response
    )


def test_the_error_link_needs_no_inline_script(curator_client, trial):
    response = post_change(curator_client, trial, changes={"year": 2999})
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", response.text, re.DOTALL)
    assert all("src=" in attributes and not body.strip() for attributes, body in scripts), scripts
    assert "/static/studies/error-link.js" in response.text
