"""The near-duplicate stage of validation alone: MinHash signatures over the posts' text (one streamed
read), LSH candidate pairs, exact Jaccard confirmation (a second read of the candidates only), clusters.

    python benchmarks/near_duplicates_only.py TABLES_DIR
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from corpus_tools.core.schema import load_schemas
from corpus_tools.validate.base import Store
from corpus_tools.validate.config import load_config
from corpus_tools.validate.families.near_duplicates import NearDuplicates
from corpus_tools.validate.textscan import text_batches


def main(tables: Path) -> None:
    posts = tables / "posts.parquet"
    family = NearDuplicates(load_schemas(), load_config(None))
    for batch in text_batches(posts):
        family.consume(batch)
    family.columns(Store({"posts": posts}))
    print(json.dumps(family.statistics()))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
