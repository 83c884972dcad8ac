"""Required fields and declared constraints: every expectation here is derived from the Table Schemas.

For each table: each required field is non-null, and each ``enum``, ``minimum``/``maximum`` and
``pattern`` constraint holds. Each becomes the GX expectation that says exactly that
(``ExpectColumnValuesToNotBeNull``, ``ExpectColumnValuesToBeInSet``, ``ExpectColumnValuesToBeBetween``,
``ExpectColumnValuesToMatchRegex``), so a constraint added to a schema is checked without code. The
posts table must also have a row: a dataset of no posts is no dataset. (``unique`` and primary keys
are duplicates: see ``duplicates``; types are the file check ``TABLE.file.schema``: see ``source``.)

The posts' ``text`` is not handed to GX (see ``textscan``); its not-null check reads
``text__visible_chars``, which is null exactly when the text is.

>>> from corpus_tools.core.schema import load_schemas
>>> from corpus_tools.validate.config import load_config
>>> [s.id for s in Required(load_schemas(), load_config()).specs() if s.table == "hashtags"]
['hashtags.post_id.not_null', 'hashtags.offset.not_null', 'hashtags.offset.minimum', 'hashtags.hashtag.not_null']
"""

from __future__ import annotations

from ..base import Family, Spec

# Long text columns GX never sees, and the computed column standing in for their nulls.
STAND_INS = {("posts", "text"): "text__visible_chars"}


class Required(Family):
    name = "required"

    def _column_specs(self, table: str, field: dict) -> list[Spec]:
        column = field["name"]
        constraints = field.get("constraints", {})
        specs = []
        if constraints.get("required"):
            specs.append(self.spec(f"{table}.{column}.not_null", table, "ExpectColumnValuesToNotBeNull",
                                   {"column": STAND_INS.get((table, column), column)},
                                   f"{column} is required: never null"))
        if "enum" in constraints:
            values = list(constraints["enum"])
            specs.append(self.spec(f"{table}.{column}.enum", table, "ExpectColumnValuesToBeInSet",
                                   {"column": column, "value_set": values},
                                   f"{column} is one of {', '.join(map(str, values))}"))
        bounds = {k: constraints[c] for k, c in (("min_value", "minimum"), ("max_value", "maximum"))
                  if c in constraints}
        if bounds:
            words = ", ".join(f"{c} {constraints[c]}" for c in ("minimum", "maximum") if c in constraints)
            specs.append(self.spec(f"{table}.{column}.{'minimum' if 'min_value' in bounds else 'maximum'}", table,
                                   "ExpectColumnValuesToBeBetween", {"column": column, **bounds},
                                   f"{column} within {words}"))
        if "pattern" in constraints:
            # Table Schema patterns match the whole value; GX's regex searches, so anchor it.
            specs.append(self.spec(f"{table}.{column}.pattern", table, "ExpectColumnValuesToMatchRegex",
                                   {"column": column, "regex": f"^(?:{constraints['pattern']})$"},
                                   f"{column} matches {constraints['pattern']}"))
        return specs

    def specs(self) -> list[Spec]:
        specs = [self.spec("posts.rows.not_empty", "posts", "ExpectTableRowCountToBeBetween", {"min_value": 1},
                           "the posts table has at least one row")]
        for table, schema in self.schemas.items():
            specs += [s for f in schema.fields for s in self._column_specs(table, f)]
        return specs
