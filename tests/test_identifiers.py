"""Trial registry IDs: each registry's spelling is checked, normalised and linked to its record."""

import pytest
from django.core.exceptions import ValidationError

from studies.identifiers import normalize_registry_id, registry_of, registry_url


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
