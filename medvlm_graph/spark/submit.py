"""The command line as a ``spark-submit`` application file.

``spark-submit`` runs a ``.py`` file, not a console script, so::

    spark-submit --master yarn "$(python -m medvlm_graph.spark.submit --path)" \
        --data-dir data ingest --engine spark --papers 's3a://bucket/papers/*.gz' ...

runs ``medvlm-graph ingest`` inside the session spark-submit configured
(``--master``, ``--conf``, ``--packages``).
"""

from __future__ import annotations

import sys

from medvlm_graph.cli import main

if __name__ == "__main__":
    if sys.argv[1:] == ["--path"]:  # where this file is, for the spark-submit command line
        print(__file__)
    else:
        main()
