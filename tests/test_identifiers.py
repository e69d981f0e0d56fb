"""Identifiers: DOIs are checked strictly; each trial registry's spelling is checked, normalised
and linked to its record."""

import pytest
from django.core.exceptions import ValidationError

from studies.identifiers import normalize_doi, normalize_registry_id, registry_of, registry_url


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("10.4103/ijt.ijt_64_20", "10.4103/ijt.ijt_64_20"),
        ("https://doi.org/10.21203/rs.3.rs-6938290/v1", "10.21203/rs.3.rs-6938290/v1"),
        ("doi:10.1016/S0140-6736(20)30183-5", "10.1016/s0140-6736(20)30183-5"),
        ("10.1002/(sici)1097-4636:2;x", "10.1002/(sici)1097-4636:2;x"),
    ],
)
def test_modern_dois_are_accepted_in_their_lower_case_spelling(typed, stored):
    assert normalize_doi(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "10.1234/x},title={injected},note={x",
        "10.1234/x y",
        "10.1234/x\nTI  - injected",
        "10.1234/<script>",
        "10.1234/x%7D",
        "10.123/too-short-registrant",
        "10.1234/",
        "11.1234/abc",
    ],
)
def test_a_doi_with_characters_a_modern_doi_never_has_is_refused_with_what_it_may_hold(typed):
    with pytest.raises(ValidationError) as refusal:
        normalize_doi(typed)
    message = refusal.value.messages[0]
    assert "is not a DOI" in message
    assert "letters, digits and - . _ ; ( ) / :" in message and "10.1111/jocd.15869" in message


@pytest.mark.parametrize(
    ("typed", "stored", "link"),
    [
        ("nct06239207", "NCT06239207", "https://clinicaltrials.gov/study/NCT06239207"),
        (
            "actrn12625000548437",
            "ACTRN12625000548437",
            "https://www.anzctr.org.au/Trial/Registration/TrialReview.aspx?ACTRN=12625000548437",
        ),
        ("ISRCTN 12345678", "ISRCTN12345678", "https://www.isrctn.com/ISRCTN12345678"),
        (
            "irct20190810044500n1",
            "IRCT20190810044500N1",
            "https://trialsearch.who.int/Trial2.aspx?TrialID=IRCT20190810044500N1",
        ),
        ("CHICTR2000029308", "ChiCTR2000029308", "https://trialsearch.who.int/Trial2.aspx?TrialID=ChiCTR2000029308"),
        (
            "2023-503725-17-00",
            "2023-503725-17-00",
            "https://euclinicaltrials.eu/search-for-clinical-trials/?lang=en&EUCT=2023-503725-17-00",
        ),
    ],
)
def test_known_registries_ids_are_spelled_as_the_registry_prints_them_and_linked(typed, stored, link):
    assert normalize_registry_id(typed) == stored
    assert registry_url(stored) == link


@pytest.mark.parametrize(
    ("typed", "registry"),
    [
        ("NCT123", "ClinicalTrials.gov"),
        ("ACTRN1262500054843", "ANZCTR"),
        ("ISRCTN1234", "ISRCTN"),
        ("IRCT2019081004", "IRCT"),
        ("ChiCTR20", "ChiCTR"),
        ("2023-50372-17-00", "EU CT number"),
    ],
)
def test_a_malformed_id_of_a_known_registry_is_refused_with_an_example(typed, registry):
    with pytest.raises(ValidationError) as refusal:
        normalize_registry_id(typed)
    message = refusal.value.messages[0]
    assert f"'{typed}' is not a" in message and registry in message and "written like" in message


def test_another_registrys_id_is_kept_as_typed_without_a_link():
    assert normalize_registry_id(" DRKS00012345 ") == "DRKS00012345"
    assert registry_of("DRKS00012345") is None
    assert registry_url("DRKS00012345") == ""
