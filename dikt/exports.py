"""Every export dikt writes, in one public module.

- The dependency graph (:func:`dikt.build_graph`) as Graphviz DOT, GraphML
  or node-link JSON: :func:`graph_dot`, :func:`graph_graphml`,
  :func:`graph_json`.
- An allocation as a FinOps FOCUS dataset: :func:`focus_csv` (the CSV file)
  and :func:`focus_rows` (its rows as dictionaries).
- The cooperation's portfolio as an ArchiMate model in the Open Group's
  exchange format: :func:`archimate_xml`.

Every writer takes the cooperation first where it needs it, and returns
text; none writes a file. User text is made safe for each format.
"""

from __future__ import annotations

from dikt._graphfile import graph_dot, graph_graphml, graph_json, xml_safe
from dikt.archimate import archimate_xml
from dikt.focus import focus_csv, focus_rows

__all__ = [
    "archimate_xml",
    "focus_csv",
    "focus_rows",
    "graph_dot",
    "graph_graphml",
    "graph_json",
    "xml_safe",
]
