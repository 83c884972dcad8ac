"""Validation on Apache Spark (the spark engine): the local families' checks, with the same results."""
