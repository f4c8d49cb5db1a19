"""Spark jobs for what outgrows one machine (optional extra: ``pip install "medvlm-graph[spark]"``).

* :func:`spark_session`: a session for a master URL, or a one-line error
  saying what to install when pyspark or Java is missing;
* :mod:`medvlm_graph.spark.pairs`: co-citation and coupling top-k pair
  tables, with the normalisations of :mod:`medvlm_graph.graphs.matrix`;
  :mod:`medvlm_graph.graphs.stored` reads them back without Spark;
* :mod:`medvlm_graph.spark.submit`: the command line as a spark-submit application file;
* the bulk ingest on Spark is ``medvlm_graph.ingest.ingest(engine="spark")``.

This package and :mod:`~medvlm_graph.graphs.stored` import without pyspark;
:mod:`~medvlm_graph.spark.pairs` needs it.
"""

from __future__ import annotations

from .session import spark_session

__all__ = ["spark_session"]
