"""Citations for reference managers: RIS and BibTeX that standard parsers read back."""

import re
from datetime import UTC, datetime

import bibtexparser
import pytest
import rispy
from django.urls import reverse

from studies import exports
from studies.models import Registration, Source, Study
from tests.factories import make_source, make_study

pytestmark = pytest.mark.django_db


def text(response):
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8")


def cite(client, slug, citation_format):
    return text(client.get(reverse("studies:cite", args=[slug, citation_format])))


def test_one_study_cites_as_ris_with_its_identifiers(client, reference_studies):
    (entry,) = rispy.loads(cite(client, "aggarwal-2020-microneedling-prp-split-scalp", "ris"))
    assert entry["type_of_reference"] == "JOUR"
    assert entry["title"].startswith("Dermoscopic assessment of microneedling alone versus microneedling")
    assert entry["year"] == "2020"
    assert entry["doi"] == "10.4103/ijt.ijt_64_20"
    assert entry["accession_number"] == "33376284"
    assert any("Int J Trichology. 2020;12(4):156-163." in note for note in entry["notes"])
    assert "PMCID: PMC7759059" in entry["notes"]
    assert entry["urls"] == ["http://testserver/studies/aggarwal-2020-microneedling-prp-split-scalp/"]


def test_a_study_cites_its_article_in_ris_authors_journal_volume_issue_and_pages_included(client, reference_studies):
    (entry,) = rispy.loads(cite(client, "ersan-2024-foreskin-msc-exosome-aga", "ris"))
    assert entry["authors"] == ["Ersan, M.", "Ozer, E.", "Akin, O.", "Tasli, P. N.", "Sahin, F."]
    assert entry["title"] == (
        "Effectiveness of exosome treatment in androgenetic alopecia: outcomes of a prospective study"
    )
    assert entry["journal_name"] == entry["secondary_title"] == "Aesthetic Plast Surg"
    assert (entry["year"], entry["volume"], entry["number"]) == ("2024", "48", "21")
    assert (entry["start_page"], entry["end_page"]) == ("4262", "4271")
    assert entry["doi"] == "10.1007/s00266-024-04332-3"


def test_a_study_cites_its_article_in_bibtex_authors_journal_volume_issue_and_pages_included(client, reference_studies):
    (entry,) = bibtexparser.loads(cite(client, "ersan-2024-foreskin-msc-exosome-aga", "bib")).entries
    assert (entry["ENTRYTYPE"], entry["ID"]) == ("article", "ersan-2024-foreskin-msc-exosome-aga")
    assert entry["author"] == "Ersan, M. and Ozer, E. and Akin, O. and Tasli, P. N. and Sahin, F."
    assert entry["title"] == (
        "{Effectiveness of exosome treatment in androgenetic alopecia: outcomes of a prospective study}"
    )
    assert (entry["journal"], entry["year"], entry["volume"], entry["number"]) == (
        "Aesthetic Plast Surg",
        "2024",
        "48",
        "21",
    )
    assert entry["pages"] == "4262--4271"
    assert (entry["doi"], entry["pmid"]) == ("10.1007/s00266-024-04332-3", "39174804")
    assert entry["note"].endswith("Aesthetic Plast Surg. 2024;48(21):4262-4271. Registry IDs: NCT06539273.")


def test_a_citation_gives_only_the_parts_its_source_prints(client, reference_studies):
    (clinics,) = rispy.loads(cite(client, "koumprentziotis-2025-mnrf-topical-exosome", "ris"))
    assert clinics["journal_name"] == "Clin Dermatol" and clinics["year"] == "2025"
    assert not {"volume", "number", "start_page", "end_page", "doi"} & set(clinics)
    (preprint,) = rispy.loads(cite(client, "preprint-rs-6938290-intradermal-msc-exosome", "ris"))
    assert preprint["type_of_reference"] == "UNPB" and preprint["journal_name"] == "Research Square"
    assert "authors" not in preprint
    (amini,) = rispy.loads(cite(client, "amini-2025-exosome-plant-extract-rct", "ris"))
    assert (amini["volume"], amini["number"], amini["start_page"]) == ("15", "3", "500")
    assert "end_page" not in amini
    (lee,) = bibtexparser.loads(cite(client, "lee-2024-asc-exosome-aga", "bib")).entries
    assert lee["author"] == "Lee and others"


def test_a_study_known_only_through_a_review_never_carries_the_reviews_doi_as_its_own(client, reference_studies):
    (ris,) = rispy.loads(cite(client, "adsc-exosome-topical-aga-39", "ris"))
    (bib,) = bibtexparser.loads(cite(client, "adsc-exosome-topical-aga-39", "bib")).entries
    assert "doi" not in ris and "doi" not in bib
    assert not {"authors", "journal_name", "year"} & set(ris)
    assert not {"author", "journal", "year"} & set(bib)
    assert ris["title"] == "Topical adipose-derived stem cell exosomes for androgenetic alopecia (39 patients)"
    review = "Gupta AK, Wang T, Rapaport JA. Systematic review of exosome treatment in hair restoration"
    (note,) = [note for note in ris["notes"] if note.startswith("Known only through: ")]
    assert note.startswith(f"Known only through: {review}") and note.endswith(
        "J Cosmet Dermatol. 2023. DOI: 10.1111/jocd.15869"
    )
    assert f"Known only through: {review}" in bib["note"] and "2023. DOI: 10.1111/jocd.15869" in bib["note"]


def test_a_registered_trial_without_a_publication_is_a_generic_entry(client, reference_studies):
    (ris,) = rispy.loads(cite(client, "nct06932393", "ris"))
    (bib,) = bibtexparser.loads(cite(client, "nct06932393", "bib")).entries
    assert (ris["type_of_reference"], bib["ENTRYTYPE"]) == ("GEN", "misc")
    assert "year" not in ris and "year" not in bib


def test_the_filtered_list_cites_every_matching_study_in_both_formats(client, reference_studies):
    query = "?condition=alopecia_areata"
    expected = set(Study.objects.published().filter(condition="alopecia_areata").values_list("slug", flat=True))
    ris = text(client.get(reverse("studies:citations", args=["ris"]) + query))
    bib = text(client.get(reverse("studies:citations", args=["bib"]) + query))
    assert {entry["id"] for entry in rispy.loads(ris)} == expected
    assert {entry["ID"] for entry in bibtexparser.loads(bib).entries} == expected
    assert len(expected) == 2


def test_every_reference_study_parses_in_both_formats(client, reference_studies):
    ris = rispy.loads(text(client.get(reverse("studies:citations", args=["ris"]))))
    bib = bibtexparser.loads(text(client.get(reverse("studies:citations", args=["bib"])))).entries
    assert len(ris) == len(bib) == Study.objects.published().count()


def test_special_characters_are_escaped_for_bibtex_and_kept_for_ris(client):
    study = make_study(slug="special", title="Exosomes & PRP: 50% {better} density_gain µm ± 2")
    make_source(
        study,
        citation="Müller J, O'Brien K. Line one\nline two. J Test. 2024.",
        authors="Müller J, O'Brien K",
        relation=Source.Relation.PRIMARY_RESULTS,
    )
    (bib,) = bibtexparser.loads(cite(client, "special", "bib")).entries
    assert bib["title"] == r"{Exosomes \& PRP: 50\% \textbraceleft{}better\textbraceright{} density\_gain µm ± 2}"
    (ris,) = rispy.loads(cite(client, "special", "ris"))
    assert ris["title"] == "Exosomes & PRP: 50% {better} density_gain µm ± 2"
    assert ris["authors"] == ["Müller, J.", "O'Brien, K."]
    assert "Source: Müller J, O'Brien K. Line one line two. J Test. 2024." in ris["notes"]


def test_an_author_whose_name_holds_and_stays_one_author_in_bibtex(client):
    study = make_study(slug="consortium")
    make_source(study, relation=Source.Relation.PRIMARY_RESULTS, authors="Hair and Scalp Study Group, Doe J")
    (bib,) = bibtexparser.loads(cite(client, "consortium", "bib")).entries
    assert bib["author"] == "{Hair and Scalp Study Group} and Doe, J."


def citation_section(page):
    return page[page.index('id="citation-heading"') : page.index('id="participants-heading"')]


def test_every_study_page_offers_its_citation_in_ris_and_bibtex(client):
    make_study(slug="citable")
    section = citation_section(client.get(reverse("studies:detail", args=["citable"])).text)
    ris, bib = reverse("studies:cite", args=["citable", "ris"]), reverse("studies:cite", args=["citable", "bib"])
    assert f'Cite: <a href="{ris}" download>RIS</a> · <a href="{bib}" download>BibTeX</a>' in section
    assert client.get(ris).status_code == client.get(bib).status_code == 200


def test_the_page_of_a_study_known_only_through_a_review_says_whose_doi_it_shows(client, reference_studies):
    section = citation_section(client.get(reverse("studies:detail", args=["adsc-exosome-topical-aga-39"])).text)
    assert "It is known only through the review" in section
    assert "a DOI below is the review's, not the study's" in section
    assert "<strong>Known only through:</strong> Gupta AK, Wang T, Rapaport JA." in section
    assert 'DOI of the review: <a href="https://doi.org/10.1111/jocd.15869"' in section
    own = citation_section(client.get(reverse("studies:detail", args=["ersan-2024-foreskin-msc-exosome-aga"])).text)
    assert "Known only through" not in own and 'DOI: <a href="https://doi.org/10.1007/s00266-024-04332-3"' in own


def test_a_list_of_citations_is_named_for_the_day_of_the_download_and_one_studys_for_the_study(client, monkeypatch):
    monkeypatch.setattr(exports, "download_time", lambda: datetime(2026, 11, 21, 23, 30, tzinfo=UTC))
    make_study(slug="named")
    for citation_format in ("ris", "bib"):
        listed = client.get(reverse("studies:citations", args=[citation_format]))
        expected = f'attachment; filename="hair-loss-evidence-2026-11-21.{citation_format}"'
        assert listed["Content-Disposition"] == expected
        one = client.get(reverse("studies:cite", args=["named", citation_format]))
        assert one["Content-Disposition"] == f'attachment; filename="named.{citation_format}"'


def test_citations_never_include_unpublished_studies(client):
    make_study(slug="draft", status=Study.Status.DRAFT)
    make_study(slug="shown")
    assert client.get(reverse("studies:cite", args=["draft", "ris"])).status_code == 404
    assert [entry["id"] for entry in rispy.loads(text(client.get(reverse("studies:citations", args=["ris"]))))] == [
        "shown"
    ]


def test_an_invalid_filter_is_refused_for_citations(client):
    response = client.get(reverse("studies:citations", args=["bib"]) + "?design=anecdote")
    assert response.status_code == 400
    assert "design" in response.text


def test_an_unknown_citation_format_is_not_found(client):
    make_study(slug="shown")
    assert client.get("/studies/shown/cite.enw").status_code == 404
    assert client.get("/studies/export/citations.docx").status_code == 404


def test_citing_the_filtered_list_runs_the_same_queries_for_few_or_many_studies(client, django_assert_max_num_queries):
    for _ in range(2):
        make_source(make_study())
    with django_assert_max_num_queries(5):
        assert len(rispy.loads(text(client.get(reverse("studies:citations", args=["ris"]))))) == 2
    for _ in range(10):
        make_source(make_study())
    with django_assert_max_num_queries(5):
        assert len(rispy.loads(text(client.get(reverse("studies:citations", args=["ris"]))))) == 12


# A value that tries to close a BibTeX field and open others, start new RIS tags and a new entry.
# Short enough for the shortest field it is put in (20 characters), as PostgreSQL insists; no NUL,
# which PostgreSQL cannot store and the admin refuses in every field on both databases.
HOSTILE = "x},t={\r\nER  - @m{\\"


def hostile_study(relation=Source.Relation.PRIMARY_RESULTS):
    """A study whose every text reaching a citation is hostile, as if it had reached the database
    without passing the admin's checks."""
    study = make_study(slug="hostile")
    make_source(study, relation=relation)
    Registration.objects.create(study=study, identifier="DRKS00012345")
    Study.objects.filter(pk=study.pk).update(title=HOSTILE, summary=HOSTILE)
    parts = ["citation", "doi", "pmid", "pmcid", "authors", "title", "journal", "volume", "issue", "pages"]
    Source.objects.filter(study=study).update(**dict.fromkeys(parts, HOSTILE))
    Registration.objects.filter(study=study).update(identifier=HOSTILE)
    return study


ONE_LINE = " ".join(HOSTILE.replace("\x00", " ").split())
RELATIONS = [Source.Relation.PRIMARY_RESULTS, Source.Relation.SECONDARY_REVIEW]


@pytest.mark.parametrize("relation", RELATIONS)
def test_a_hostile_value_in_any_field_cannot_add_ris_tags_or_records(client, relation):
    hostile_study(relation)
    text = cite(client, "hostile", "ris")
    lines = text.split("\r\n")
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) for line in lines if line), lines
    tags = [line[:2] for line in lines if line]
    assert (tags.count("TY"), tags.count("ER")) == (1, 1)
    (entry,) = rispy.loads(text)
    assert entry["title"] == entry["abstract"] == ONE_LINE
    if relation == Source.Relation.PRIMARY_RESULTS:
        assert entry["doi"] == entry["accession_number"] == entry["journal_name"] == entry["volume"] == ONE_LINE
        assert f"Source: {ONE_LINE}" in entry["notes"]
    else:
        assert "doi" not in entry
        assert f"Known only through: {ONE_LINE} DOI: {ONE_LINE} PMID: {ONE_LINE}" in entry["notes"]


def braces_balance(text):
    depth = 0
    for character in text:
        depth += {"{": 1, "}": -1}.get(character, 0)
        if depth < 0:
            return False
    return depth == 0


@pytest.mark.parametrize("relation", RELATIONS)
def test_a_hostile_value_in_any_field_cannot_close_a_bibtex_field_or_open_an_entry(client, relation):
    hostile_study(relation)
    text = cite(client, "hostile", "bib")
    assert braces_balance(text)
    first, *fields, end = text.strip().split("\n")
    assert first == "@article{hostile," and end == "}"
    assert all(re.fullmatch(r"  [a-z]+ = \{.*\},", line) for line in fields), fields
    (entry,) = bibtexparser.loads(text).entries
    assert entry["ID"] == "hostile"
    assert entry["note"].endswith(r"\textbackslash{}.")
    assert entry["abstract"].startswith(r"x\textbraceright{},t=\textbraceleft{}")
    if relation == Source.Relation.SECONDARY_REVIEW:
        assert set(entry) == {"ENTRYTYPE", "ID", "title", "year", "url", "abstract", "note"}
        return
    assert set(entry) == {
        *("ENTRYTYPE", "ID", "author", "title", "journal", "year", "volume", "number", "pages"),
        *("doi", "pmid", "url", "abstract", "note"),
    }
    assert entry["title"].startswith(r"{x\textbraceright{},t=\textbraceleft{}")
    assert entry["doi"].startswith("x%7D,t=%7B%20ER%20-%20@m%7B")
    assert entry["doi"].endswith("%5C")
