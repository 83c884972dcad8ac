"""Privacy: no private person's user id or name is published outside free text.

Pseudonymisation (``convert.steps.privacy``) replaces them as posts are converted. These checks
hold every published table to it, so that a later change of the code cannot leak in silence. They
are derived from the fields the schemas mark ``"personal"``:

- ``TABLE.FIELD.pseudonymised`` for an id field (and ``links.url``): no value is a raw user id
  (``user123456789``; a bare number in ``mentions.user_id``; ``tg://user?id=123`` in a link).
- ``TABLE.FIELD.no_private_names`` for a name field: no value is one of the persons' ids or names
  that the inputs held. Only a build knows them (it reads the inputs), so a ``validate`` of a
  published package reports this check as skipped, unless its descriptor says the inputs held none
  (``privacy.privateTermsInInputs`` is 0).

A field the dataset's policy keeps (``[privacy.fields]``, recorded in the descriptor) is skipped,
with that reason.

>>> from corpus_tools.core.schema import load_schemas
>>> from corpus_tools.validate.config import load_config
>>> sorted(s.id for s in Privacy(load_schemas(), load_config()).specs())[:3]
['links.url.pseudonymised', 'mentions.shown_as.no_private_names', 'mentions.user_id.pseudonymised']
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from ..base import Family, Spec, Store

# What a raw user id looks like, per field; any other id field takes 'user' and the number.
RAW_IDS = {("mentions", "user_id"): r"^\d+$", ("links", "url"): r"tg://user\?id=\d"}
USER_ID = r"^user\d+$"


def personal_fields(schemas) -> list[tuple[str, str, str]]:
    """(table, field, kind) of every personal field these checks cover (free text aside)."""
    return [(table, column, kind) for table, schema in schemas.items() for column, kind in schema.personal.items()
            if kind in ("id", "name", "link")]


class Privacy(Family):
    name = "privacy"

    def specs(self) -> list[Spec]:
        specs = []
        for table, column, kind in personal_fields(self.schemas):
            if kind == "name":
                specs.append(self.spec(f"{table}.{column}.no_private_names", table, "ExpectColumnValuesToBeNull",
                                       {"column": f"{column}__private_name"},
                                       f"no {column} is a private person's id or name from the inputs",
                                       field=f"{table}.{column}"))
            else:
                specs.append(self.spec(f"{table}.{column}.pseudonymised", table, "ExpectColumnValuesToBeNull",
                                       {"column": f"{column}__raw_user_id"},
                                       f"no {column} is a private person's raw user id", field=f"{table}.{column}"))
        return specs

    def columns(self, store: Store) -> dict[str, dict[str, pa.Array]]:
        columns: dict[str, dict[str, pa.Array]] = {}
        terms = pa.array(sorted(store.private_terms or ()), pa.string())
        for table, column, kind in personal_fields(self.schemas):
            if not store.has(table, column):  # its table is of another schema: its checks are skipped
                continue
            values = store.column(table, column)
            if kind == "name":
                found = pc.fill_null(pc.is_in(values, value_set=terms), False)
                columns.setdefault(table, {})[f"{column}__private_name"] = pc.if_else(found, values, pa.scalar(None, values.type))
            else:
                raw = pc.fill_null(pc.match_substring_regex(values, RAW_IDS.get((table, column), USER_ID)), False)
                columns.setdefault(table, {})[f"{column}__raw_user_id"] = pc.if_else(raw, values, pa.scalar(None, values.type))
        return columns
