"""``croissant.json``: the package described in MLCommons Croissant 1.1, for ML tooling and dataset
search. Derived from the descriptor alone: one FileObject per Parquet file (with its sha256 and
size) and one RecordSet per table whose fields mirror the declared schema - types, primary key
(``key``) and single-column foreign keys (``references``).
"""

from __future__ import annotations

import json
from typing import Any

from ..core.schema import foreign_keys, key_fields
from .descriptor import declared_size
from .exports import twin_table
from .privacy import rai_fields

CONFORMS_TO = "http://mlcommons.org/croissant/1.1"
# The standard Croissant 1.1 JSON-LD context, as mlcroissant writes it.
CONTEXT = {
    "@language": "en", "@vocab": "https://schema.org/", "arrayShape": "cr:arrayShape", "citeAs": "cr:citeAs",
    "column": "cr:column", "conformsTo": "dct:conformsTo", "containedIn": "cr:containedIn",
    "cr": "http://mlcommons.org/croissant/", "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"}, "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/", "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"}, "extract": "cr:extract", "field": "cr:field",
    "fileProperty": "cr:fileProperty", "fileObject": "cr:fileObject", "fileSet": "cr:fileSet", "format": "cr:format",
    "includes": "cr:includes", "isArray": "cr:isArray", "isLiveDataset": "cr:isLiveDataset", "jsonPath": "cr:jsonPath",
    "key": "cr:key", "md5": "cr:md5", "parentField": "cr:parentField", "path": "cr:path", "recordSet": "cr:recordSet",
    "references": "cr:references", "regex": "cr:regex", "repeated": "cr:repeated", "replace": "cr:replace",
    "samplingRate": "cr:samplingRate", "sc": "https://schema.org/", "separator": "cr:separator",
    "source": "cr:source", "subField": "cr:subField", "transform": "cr:transform",
}
DATA_TYPES = {"string": "sc:Text", "integer": "sc:Integer", "number": "sc:Float", "boolean": "sc:Boolean",
              "datetime": "sc:DateTime", "date": "sc:Date"}
PARQUET_FORMAT = "application/x-parquet"  # the encodingFormat mlcroissant reads Parquet by


def _field(table: str, spec: dict[str, Any], file_id: str, references: dict[str, str]) -> dict[str, Any]:
    field = {"@type": "cr:Field", "@id": f"{table}/{spec['name']}", "name": spec["name"],
             "description": spec.get("description", ""), "dataType": DATA_TYPES[spec["type"]],
             "source": {"fileObject": {"@id": file_id}, "extract": {"column": spec["name"]}}}
    if spec["name"] in references:
        field["references"] = {"field": {"@id": references[spec["name"]]}}
    return field


def _references(table: str, schema: dict[str, Any]) -> dict[str, str]:
    """Single-column foreign keys into other tables: field -> '@id' of the referenced field. (A key
    into the table itself, posts.reply_to_post_id, is left out: mlcroissant cannot load a record
    set that references itself.)"""
    return {key.fields[0]: f"{key.resource}/{key.target_fields[0]}" for key in foreign_keys(schema, table)
            if key.resource != table and len(key.fields) == 1}


def _record_set(resource: dict[str, Any], file_id: str) -> dict[str, Any]:
    table, schema = resource["name"], resource["schema"]
    references = _references(table, schema)
    record_set = {"@type": "cr:RecordSet", "@id": table, "name": table, "description": resource.get("description", ""),
                  "field": [_field(table, spec, file_id, references) for spec in schema["fields"]]}
    key = key_fields(schema.get("primaryKey"))
    if key:
        record_set["key"] = [{"@id": f"{table}/{name}"} for name in key]
    return record_set


def _file_object(resource: dict[str, Any]) -> dict[str, Any]:
    return {"@type": "cr:FileObject", "@id": resource["path"], "name": resource["path"],
            "description": f"The {resource['name']} table as Parquet.", "contentUrl": resource["path"],
            "contentSize": f"{declared_size(resource)} B", "encodingFormat": PARQUET_FORMAT,
            "sha256": resource["hash"].removeprefix("sha256:")}


def _creator(contributor: dict[str, Any]) -> dict[str, Any]:
    person = any(key in contributor for key in ("givenName", "familyName", "orcid"))
    entry = {"@type": "sc:Person" if person else "sc:Organization", "name": contributor["title"],
             "url": contributor.get("path"),
             "identifier": f"https://orcid.org/{contributor['orcid']}" if contributor.get("orcid") else None,
             "affiliation": {"@type": "sc:Organization", "name": contributor["organization"]}
             if contributor.get("organization") else None}
    return {key: value for key, value in entry.items() if value}


def _creators(descriptor: dict[str, Any]) -> list[dict[str, Any]]:
    return [_creator(c) for c in descriptor.get("contributors", []) if "creator" in c.get("roles", [])]


def croissant(descriptor: dict[str, Any], *, cite_as: str, publisher: str | None = None) -> dict[str, Any]:
    """The Croissant JSON-LD of a package descriptor; ``publisher`` is dataset.toml's, if any.

    Example: ``croissant(json.load(open("datapackage.json")), cite_as="...")["recordSet"][0]["name"]`` -> 'posts'
    """
    tables = [r for r in descriptor["resources"] if r.get("format") == "parquet" and twin_table(r["name"]) is None]
    licences = [lic.get("path") or lic.get("name") for lic in descriptor.get("licenses", [])]
    document = {"@context": CONTEXT, "@type": "sc:Dataset", "conformsTo": CONFORMS_TO, "name": descriptor["name"],
                "alternateName": descriptor["title"], "description": descriptor["description"],
                "identifier": descriptor.get("id"), "version": descriptor["version"],
                "datePublished": descriptor["created"], "license": licences[0] if len(licences) == 1 else licences,
                "url": descriptor.get("homepage"), "keywords": descriptor.get("keywords", []),
                "creator": _creators(descriptor),
                "publisher": {"@type": "sc:Organization", "name": publisher} if publisher else None, "citeAs": cite_as,
                "temporalCoverage": descriptor.get("temporalCoverage"), "isLiveDataset": False,
                "distribution": [_file_object(r) for r in tables],
                "recordSet": [_record_set(r, r["path"]) for r in tables],
                **rai_fields(descriptor.get("privacy"), descriptor)}
    return {key: value for key, value in document.items() if value not in (None, [], "")}


def croissant_bytes(document: dict[str, Any]) -> bytes:
    """croissant.json as written: indented, UTF-8, a final newline (same document, same bytes)."""
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
