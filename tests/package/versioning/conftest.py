"""Two versions of a small posts table to compare, and writing columns as Parquet."""

import pyarrow as pa
import pyarrow.parquet as pq

OLD = {"post_id": ["a", "b", "c", "d"], "text": ["x", "y", None, ""], "views": [1, None, 3, 4]}
NEW = {"post_id": ["a", "c", "d", "e"], "text": ["x", "", None, ""], "views": [2, 3, 4, None]}


def write_columns(path, columns):
    """``columns`` (name -> values) as a Parquet file at ``path``."""
    pq.write_table(pa.table(columns), path)
    return path
