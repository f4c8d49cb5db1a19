"""One place that starts Spark, and turns a missing pyspark or Java into a one-line error.

The master is the ``master`` argument, else ``$MASTER``, else ``local[*]``;
an active session (a notebook's, a test's, or the one ``spark-submit``
made) is used as it is. Cluster settings (executors, memory, the
``hadoop-aws`` package for ``s3a://``) come the usual Spark ways:
``spark-submit --conf``, ``$SPARK_CONF_DIR/spark-defaults.conf`` or
``$PYSPARK_SUBMIT_ARGS``.
"""

from __future__ import annotations

import os
import shutil
import sys
from typing import TYPE_CHECKING

from ..errors import InputError

if TYPE_CHECKING:  # pyspark is optional: imported when a session is asked for
    from pyspark.sql import SparkSession

INSTALL = 'pip install "medvlm-graph[spark]"'
JAVA = "Java 17 or later: apt-get install default-jre-headless (Debian), or set JAVA_HOME"


def missing_pyspark() -> InputError:
    """The one-line error for a missing pyspark (the ``spark`` extra)."""
    return InputError(f"the Spark engine needs pyspark: {INSTALL} (and Java 17 or later)")

def _local_cores(master: str) -> int:
    """Cores of a ``local[N]`` / ``local[*]`` / ``local`` master."""
    inside = master[master.find("[") + 1:master.find("]")] if "[" in master else "1"
    return os.cpu_count() or 1 if inside.startswith("*") else int(inside.split(",")[0])


def _pyspark():
    try:
        import pyspark.sql
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in {"pyspark", "py4j"}:
            raise
        raise missing_pyspark() from None
    return pyspark.sql


def spark_session(master: str | None = None, *, app_name: str = "medvlm-graph") -> SparkSession:
    """The active Spark session, or a new one on ``master``.

    Raises
    ------
    InputError
        pyspark is not installed, no ``java`` is found, or the JVM does not
        start (e.g. a Java older than Spark needs).
    """
    sql = _pyspark()
    active = sql.SparkSession.getActiveSession()
    if active is not None:
        return active
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        raise InputError(f"the Spark engine needs {JAVA}; no java was found")
    master = master or os.environ.get("MASTER") or "local[*]"
    # Workers run this interpreter unless the user chose one.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = (sql.SparkSession.builder.appName(app_name).master(master)
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.execution.arrow.pyspark.enabled", "true"))
    if master.startswith("local"):
        # Spark's default of 200 shuffle partitions is for clusters: one per local core here.
        builder = (builder.config("spark.sql.shuffle.partitions", str(_local_cores(master)))
                   .config("spark.ui.enabled", "false"))
    from pyspark.errors import PySparkRuntimeError  # the JVM did not start

    try:
        session = builder.getOrCreate()
    except PySparkRuntimeError as exc:
        raise InputError(f"Spark did not start ({str(exc).splitlines()[0]}); it needs {JAVA}") from None
    session.sparkContext.setLogLevel("ERROR")
    return session


__all__ = ["INSTALL", "JAVA", "missing_pyspark", "spark_session"]
