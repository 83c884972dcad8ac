"""Integrity: references resolve, and texts are clean.

- ``TABLE.FIELD.resolves`` for every foreign key the schemas declare (side tables' ``post_id`` ->
  ``posts.post_id``, ``posts.reply_to_post_id`` -> ``posts.post_id``): the computed column
  ``FIELD__unresolved`` holds a value that resolves nowhere, and must be null.
- ``posts.text.no_interface_strings``: none of ``core.telegram.INTERFACE_STRINGS`` ("VIEW IN
  TELEGRAM", ...) is left in a text; the column ``text__interface_string`` names the one found.
- ``posts.text.nfc``: every text is Unicode NFC (``text__is_nfc``). The scan marks the texts holding a
  character that can break NFC; only those are checked exactly, with ``unicodedata.is_normalized``.
- ``posts.text.empty_only_with_media``: a text with no visible character belongs to a post that
  carries media (a photo or video without a caption is still a post). GX checks
  ``text__visible_chars`` >= 1 on the rows where ``has_media`` is false.

>>> from corpus_tools.core.schema import load_schemas
>>> from corpus_tools.validate.config import load_config
>>> [s.id for s in Integrity(load_schemas(), load_config()).specs()][:2]
['posts.reply_to_post_id.resolves', 'countries.post_id.resolves']
"""

from __future__ import annotations

import unicodedata

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ...core.telegram import INTERFACE_STRINGS
from ..base import Family, Spec, Store
from ..textscan import TextBatch

NO_MEDIA = {"column": {"name": "has_media"}, "operator": "==", "parameter": False, "type": "comparison"}


def _references(schemas) -> list[tuple[str, str, str, str]]:
    """(table, field, referenced table, referenced field) of every single-field foreign key."""
    found = []
    for table, schema in schemas.items():
        for key in schema.foreign_keys:
            if len(key.fields) != 1:
                raise NotImplementedError(f"{table}: composite foreign keys are not checked yet")
            found.append((table, key.fields[0], key.resource, key.target_fields[0]))
    return found


def text_facts(batch: TextBatch) -> tuple[np.ndarray, pa.Array, pa.Array]:
    """Per text of ``batch`` (both engines call this): its visible characters (-1 for a null text),
    the interface string it holds (or null), and whether it is NFC (null for a null text)."""
    visible = np.where(batch.nulls, -1, batch.visible_chars)
    names = np.array([None, *INTERFACE_STRINGS], dtype=object)
    interface = pa.array(names[batch.interface + 1], pa.string())
    nfc = np.ones(len(batch), bool)
    doubtful = np.flatnonzero(batch.nfc_unsafe & ~batch.nulls)
    texts = batch.array.take(pa.array(doubtful)).to_pylist()
    nfc[doubtful] = [unicodedata.is_normalized("NFC", text) for text in texts]
    return visible, interface, pa.array(nfc, mask=batch.nulls)


class Integrity(Family):
    name = "integrity"
    reads_text = True

    def __init__(self, schemas, config) -> None:
        super().__init__(schemas, config)
        self._visible: list[np.ndarray] = []
        self._interface: list[pa.Array] = []
        self._nfc: list[pa.Array] = []

    def specs(self) -> list[Spec]:
        specs = [self.spec(f"{table}.{field}.resolves", table, "ExpectColumnValuesToBeNull",
                           {"column": f"{field}__unresolved"}, f"every {field} is a {target}.{target_field}")
                 for table, field, target, target_field in _references(self.schemas)]
        return specs + [
            self.spec("posts.text.no_interface_strings", "posts", "ExpectColumnValuesToBeNull",
                      {"column": "text__interface_string"},
                      "no text holds an interface string of the platform: " + ", ".join(INTERFACE_STRINGS)),
            self.spec("posts.text.nfc", "posts", "ExpectColumnValuesToBeInSet",
                      {"column": "text__is_nfc", "value_set": [True]}, "every text is Unicode NFC"),
            self.spec("posts.text.empty_only_with_media", "posts", "ExpectColumnValuesToBeBetween",
                      {"column": "text__visible_chars", "min_value": 1, "row_condition": NO_MEDIA},
                      "a text is empty only when the post carries media"),
        ]

    def consume(self, batch: TextBatch) -> None:
        visible, interface, nfc = text_facts(batch)
        self._visible.append(visible)
        self._interface.append(interface)
        self._nfc.append(nfc)

    def _unresolved(self, store: Store) -> dict[str, dict[str, pa.Array]]:
        columns: dict[str, dict[str, pa.Array]] = {}
        for table, field, target, target_field in _references(self.schemas):
            values = store.column(table, field)
            missing = pc.and_(values.is_valid(), pc.invert(pc.is_in(values, value_set=store.column(target, target_field))))
            columns.setdefault(table, {})[f"{field}__unresolved"] = pc.if_else(missing, values,
                                                                               pa.scalar(None, values.type))
        return columns

    def columns(self, store: Store) -> dict[str, dict[str, pa.Array]]:
        columns = self._unresolved(store)
        visible = np.concatenate(self._visible) if self._visible else np.zeros(0, np.int64)
        columns.setdefault("posts", {}).update({
            "text__visible_chars": pa.array(visible, mask=visible < 0),
            "text__interface_string": pa.concat_arrays(self._interface) if self._interface else pa.array([], pa.string()),
            "text__is_nfc": pa.concat_arrays(self._nfc) if self._nfc else pa.array([], pa.bool_()),
        })
        return columns
