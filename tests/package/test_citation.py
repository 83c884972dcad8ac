"""package.citation: CITATION.cff validates against the CFF 1.2.0 schema and .zenodo.json has what
Zenodo requires; both agree with the descriptor they were written with (the committed ones with the
committed descriptor), and a person with an ORCID iD and an affiliation is cited as one."""

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from corpus_tools.package.citation import cff, zenodo
from corpus_tools.package.publishing import Publishing
from tests.conftest import ROOT
from tests.package.conftest import DESCRIPTOR

# The Citation File Format's own schema, from the citation-file-format project (CC-BY-4.0), as cffconvert
# 2.0.0 ships it: cffconvert itself cannot be installed beside jsonschema 4.
CFF_SCHEMA = json.loads((Path(__file__).parent / "cff-1.2.0.schema.json").read_text())
# What Zenodo's deposit API refuses a record without (access_right "open" needs a licence too).
ZENODO_REQUIRED = ("upload_type", "publication_date", "title", "creators", "description", "access_right", "license")
PERSON = {"title": "Ada Lovelace", "givenName": "Ada", "familyName": "Lovelace", "organization": "Analytical Society",
          "orcid": "0000-0002-1825-0097", "roles": ["creator"]}


def check_cff(text):
    document = yaml.safe_load(text)
    jsonschema.validate(document, CFF_SCHEMA)
    return document


def check_zenodo(document):
    missing = [key for key in ZENODO_REQUIRED if not document.get(key)]
    assert not missing, missing
    assert document["upload_type"] == "dataset" and all(c.get("name") for c in document["creators"])
    assert len(document["publication_date"]) == 10 and document["publication_date"][4] == "-"
    return document


def test_the_committed_citation_files_validate_and_agree_with_the_descriptor():
    citation = check_cff((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    record = check_zenodo(json.loads((ROOT / ".zenodo.json").read_text(encoding="utf-8")))
    assert citation["cff-version"] == "1.2.0" and citation["type"] == "dataset"
    for document in (citation, record):
        assert document["title"] == DESCRIPTOR["title"] and document["version"] == DESCRIPTOR["version"]
        assert document["keywords"] == DESCRIPTOR["keywords"]
    assert citation["date-released"] == record["publication_date"] == DESCRIPTOR["created"][:10]
    assert citation["abstract"] == record["description"] == DESCRIPTOR["description"]
    assert citation["license"] == DESCRIPTOR["licenses"][0]["name"] == record["license"].upper()
    creators = [c["title"] for c in DESCRIPTOR["contributors"] if "creator" in c["roles"]]
    assert [a["name"] for a in citation["authors"]] == [c["name"] for c in record["creators"]] == creators
    assert {"identifier": "https://t.me/s/MFARussia", "relation": "isDerivedFrom", "resource_type": "other"} \
        in record["related_identifiers"]
    assert record["language"] == "eng" and record["access_right"] == "open"


def test_a_person_is_cited_with_orcid_and_affiliation():
    descriptor = {**DESCRIPTOR, "contributors": [PERSON, {"title": "A Lab", "roles": ["dataCurator"]}]}
    publishing = Publishing(card=Path("README.md"), languages=["en", "ru"],
                            related_identifiers=[{"identifier": "10.5281/zenodo.1", "relation": "isNewVersionOf"}])
    citation = check_cff(yaml.safe_dump(cff(descriptor, publishing), allow_unicode=True))
    assert citation["authors"] == [{"family-names": "Lovelace", "given-names": "Ada", "affiliation": "Analytical Society",
                                    "orcid": "https://orcid.org/0000-0002-1825-0097"}]
    assert citation["identifiers"] == [{"type": "doi", "value": "10.5281/zenodo.1", "description": "isNewVersionOf"}]
    record = check_zenodo(zenodo(descriptor, publishing))
    assert record["creators"] == [{"name": "Lovelace, Ada", "affiliation": "Analytical Society",
                                   "orcid": "0000-0002-1825-0097"}]
    assert record["contributors"] == [{"name": "A Lab", "type": "DataCurator"}]
    assert "language" not in record  # Zenodo takes one language; two are left to the description


def test_a_package_without_creators_is_cited_by_its_name():
    descriptor = {key: value for key, value in DESCRIPTOR.items() if key != "contributors"}
    publishing = Publishing(card=Path("README.md"))
    assert check_cff(yaml.safe_dump(cff(descriptor, publishing)))["authors"] == [{"name": DESCRIPTOR["name"]}]
    assert check_zenodo(zenodo(descriptor, publishing))["creators"] == [{"name": DESCRIPTOR["name"]}]


@pytest.mark.parametrize("broken", [
    lambda d: d.pop("authors"),
    lambda d: d.update(type="software-ish"),
    lambda d: d["authors"][0].update(orcid="0000-0002-1825-0097"),  # CFF wants the iD as a URL
])
def test_the_schema_check_can_fail(broken):
    document = cff(DESCRIPTOR, Publishing(card=Path("README.md")))
    broken(document)
    with pytest.raises(jsonschema.ValidationError):
        check_cff(yaml.safe_dump(document))
