"""The Spark session a local-mode engine gets: the JVM settings that keep the driver small."""

import os

from corpus_tools.core.engine import Engine, session_conf


def test_the_users_conf_wins_over_local_modes():
    chosen = session_conf(Engine("spark", "local[2]", {"spark.driver.extraJavaOptions": "-XX:+UseG1GC"}), local=True)
    assert chosen["spark.driver.extraJavaOptions"] == "-XX:+UseG1GC" and chosen["spark.driver.memory"] == "768m"
    assert "spark.driver.memory" not in session_conf(Engine("spark", "spark://head:7077"), local=False)


def test_the_local_jvm_runs_the_serial_collector_with_two_malloc_arenas_and_a_fixed_mmap_threshold(spark_engine):
    from pyspark.sql import SparkSession

    jvm = SparkSession.getActiveSession().sparkContext._jvm
    beans = jvm.java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()
    assert sorted(bean.getName() for bean in beans) == ["Copy", "MarkSweepCompact"]  # G1 would say "G1 ..."
    arguments = list(jvm.java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments())
    assert "-XX:ReservedCodeCacheSize=64m" in arguments and "-Xss512k" in arguments
    assert jvm.java.lang.System.getenv("MALLOC_ARENA_MAX") == os.environ["MALLOC_ARENA_MAX"] == "2"
    assert jvm.java.lang.System.getenv("MALLOC_MMAP_THRESHOLD_") == os.environ["MALLOC_MMAP_THRESHOLD_"] == "1048576"


def test_the_drivers_arrow_allocates_with_the_c_library(spark_engine):
    import pyarrow as pa

    assert pa.default_memory_pool().backend_name == "system"  # mimalloc kept each thread's freed pages
