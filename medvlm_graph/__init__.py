"""medvlm-graph: map the field of vision-language models in medical image analysis.

The Python API mirrors the command line: every stage is a function from
tables to tables, graphs or figures.
"""

from __future__ import annotations

__version__ = "0.1.0"
