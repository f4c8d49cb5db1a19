"""One place that starts Spark, and turns a missing pyspark or Java into a one-line error.

The master is the ``master`` argument, else ``$MASTER``, else the one
``spark-submit`` (or ``$PYSPARK_SUBMIT_ARGS``) gives, else ``local[*]``; an
active session (a notebook's, a test's) is used as it is. Cluster settings (executors, memory, the
``hadoop-aws`` package for ``s3a://``) come the usual Spark ways:
``spark-submit --conf``, ``$SPARK_CONF_DIR/spark-defaults.conf`` or
``$PYSPARK_SUBMIT_ARGS``.
"""

from __future__ import annotations

import os
import shutil
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
    """Cores of a ``local[N]`` / ``local[*]`` / ``local`` master.

    Examples
    --------
    >>> _local_cores("local[2]"), _local_cores("local"), _local_cores("local[3,2]")
    (2, 1, 3)
    """
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


def _submitted() -> bool:
    """Whether spark-submit (or ``$PYSPARK_SUBMIT_ARGS``) chose the master for this process."""
    return "PYSPARK_GATEWAY_PORT" in os.environ or "--master" in os.environ.get("PYSPARK_SUBMIT_ARGS", "")


def spark_session(master: str | None = None, *, app_name: str = "medvlm-graph") -> SparkSession:
    """The active Spark session, or a new one on ``master``.

    ``master`` (else ``$MASTER``) is set on the new session; without either,
    spark-submit's ``--master`` holds, else Spark's default ``local[*]``. A
    local session binds to the loopback address only and uses one shuffle
    partition per core (unless configured otherwise).

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
    master = master or os.environ.get("MASTER")
    builder = (sql.SparkSession.builder.appName(app_name)
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.execution.arrow.pyspark.enabled", "true"))
    if master:
        builder = builder.master(master)
    if (master or ("" if _submitted() else "local")).startswith("local"):
        # local mode talks to itself only: loopback, whatever the host name resolves to
        builder = (builder.config("spark.ui.enabled", "false")
                   .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1"))
    from pyspark.errors import PySparkRuntimeError  # the JVM did not start

    try:
        session = builder.getOrCreate()
    except PySparkRuntimeError as exc:
        raise InputError(f"Spark did not start ({str(exc).splitlines()[0]}); it needs {JAVA}") from None
    session.sparkContext.setLogLevel("ERROR")
    running = session.sparkContext.master
    if running.startswith("local") and not session.sparkContext.getConf().contains("spark.sql.shuffle.partitions"):
        # Spark's default of 200 shuffle partitions is for clusters: one per local core here.
        session.conf.set("spark.sql.shuffle.partitions", str(_local_cores(running)))
    return session


__all__ = ["INSTALL", "JAVA", "missing_pyspark", "spark_session"]
