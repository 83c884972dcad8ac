"""Disclosing what a package does with personal data: the descriptor's ``privacy`` property, the data
card's "Personal data" section and Croissant's Responsible-AI fields, all from one record.

The record says, for every personal field the schemas mark, whether it was pseudonymised, kept or
dropped; how pseudonyms are made (never the key); how many persons the tables name by pseudonym;
what was redacted in text, and how many records of personal chats were left out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow.compute as pc

from ..convert.parquet import ROW_GROUP_SIZE
from ..convert.steps.privacy import PSEUDONYM, Privacy
from ..core.batches import batches
from ..core.schema import TableSchema

METHOD = ("HMAC-SHA256 of the person's Telegram user id under the dataset's secret key; 'person:' and the first "
          "12 base32 characters. The same person has the same pseudonym in every table and every version made "
          "with the key; without the key nobody can go back from a pseudonym to the person.")


def personal_fields(schemas: dict[str, TableSchema]) -> list[str]:
    """Every personal field a policy covers, 'TABLE.FIELD' (free text aside: it is kept, or redacted)."""
    return [f"{table}.{column}" for table, schema in schemas.items()
            for column, kind in schema.personal.items() if kind != "text"]


def persons(tables: dict[str, Path], schemas: dict[str, TableSchema]) -> int:
    """How many distinct persons the tables name by pseudonym."""
    found: set[str] = set()
    pattern = f"^{PSEUDONYM.pattern}$"
    for name, path in tables.items():
        for column, kind in schemas[name].personal.items():
            if kind not in ("id", "name"):
                continue
            for batch in batches(path, batch_size=ROW_GROUP_SIZE, columns=[column]):
                values = batch.column(0)  # a batch at a time: ten million posts' ids, whole, are gigabytes
                found.update(pc.unique(values.filter(pc.fill_null(
                    pc.match_substring_regex(values, pattern), False))).to_pylist())
    return len(found)


def privacy_record(privacy: Privacy, schemas: dict[str, TableSchema], *, steps: dict[str, dict[str, int]],
                   persons: int, excluded: int, input_terms: int) -> dict[str, Any]:
    """The descriptor's ``privacy`` property. ``input_terms`` counts the private persons' distinct ids
    and names the inputs held (what the ``no_private_names`` checks look for): when it is 0, a later
    ``validate`` knows the list is empty and runs those checks too."""
    policy = {field: privacy.action(*field.split(".", 1)) for field in personal_fields(schemas)}
    counts = {k: v for k, v in sorted(steps.get("pseudonymise", {}).items()) if k != "posts"}
    used = bool(persons or any(k.endswith(".pseudonymise") for k in counts))  # was a key needed?
    record = {"policy": policy, "method": METHOD if used else None,
              "key": ("throwaway" if privacy.throwaway else "dataset") if used else "not needed",
              "persons": persons, "signatures": privacy.signatures, "redactText": privacy.redact_text,
              "counts": counts, "privateTermsInInputs": input_terms, "userIdsMaskedInText": steps.get("mask_user_ids", {}).get("masked", 0),
              "personalChatRecordsExcluded": excluded}
    return {key: value for key, value in record.items() if value is not None}


def card_lines(record: dict[str, Any] | None) -> list[str]:
    """The data card's "Personal data" section."""
    if not record:
        return []
    by_action: dict[str, list[str]] = {}
    for field, action in record["policy"].items():
        by_action.setdefault(action, []).append(f"`{field}`")
    lines = ["## Personal data", ""]
    if record["key"] != "not needed":
        lines += [f"Private persons (accounts with a Telegram user id) are named by pseudonym: {record['persons']} "
                  f"persons in these tables. Pseudonyms are the {record.get('method', '')}"
                  + (" This version's key was a throwaway: its pseudonyms match no other version's." if
                     record["key"] == "throwaway" else ""), ""]
    else:
        lines += ["No private person (an account with a Telegram user id) is in the inputs; channels and groups "
                  "are organisations and stay named.", ""]
    for action, title in (("pseudonymise", "Pseudonymised"), ("keep", "Kept as the source has them, on purpose"),
                          ("drop", "Dropped")):
        if by_action.get(action):
            lines.append(f"- {title}: {', '.join(by_action[action])}.")
    lines.append(f"- Signatures of channel posts (the channel's byline): {record['signatures']}.")
    lines.append("- A name shown without an account id, in a source that gives none (a web-preview dump), cannot be "
                 "tied to a person, and is kept as shown.")
    lines.append(f"- Post texts are kept as written; user ids written out in them are masked "
                 f"({record['userIdsMaskedInText']} found)" + ("; phone numbers and e-mail addresses are masked "
                                                               "with •." if record["redactText"] else "."))
    if record["personalChatRecordsExcluded"]:
        lines.append(f"- {record['personalChatRecordsExcluded']} messages of personal chats in full-account exports "
                     "were left out.")
    return lines + [""]


def rai_fields(record: dict[str, Any] | None, descriptor: dict[str, Any]) -> dict[str, Any]:
    """Croissant's Responsible-AI properties, from the record and the descriptor."""
    sources = "; ".join(s.get("title", "") for s in descriptor.get("sources", []))
    fields = {"rai:dataCollection": f"Telegram posts converted by corpus-tools from: {sources}." if sources else None,
              "rai:dataCollectionType": "Secondary data: exports and scrapes of Telegram channels and chats.",
              "rai:dataCollectionTimeframe": descriptor.get("temporalCoverage")}
    if record:
        kept = [f for f, a in record["policy"].items() if a == "keep"]
        fields["rai:personalSensitiveInformation"] = (
            f"Private persons are pseudonymised ({record['persons']} persons): {METHOD}"
            + (f" Kept as in the source: {', '.join(kept)}." if kept else "")
            + (" Phone numbers and e-mail addresses in texts are masked." if record["redactText"] else
               " Post texts are kept as written, user ids in them masked."))
    return {key: value for key, value in fields.items() if value}
