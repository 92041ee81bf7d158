"""Network: the US-Japan and Asia-Pacific collaboration graph."""

from analytics.summary import table_counts
from ui import shell, widgets

dataset = shell.page("pages/network.py")
counts = table_counts(dataset.tables)

widgets.metric_row([
    ("Alumni", counts["alumni"], "Alumni: people nodes of the graph."),
    ("Organizations", counts["organizations"], "Organizations: institution nodes of the graph."),
    ("Partnerships", counts["partnerships"], "Partnership rows: ties of the graph."),
    ("Countries", counts["countries"], "Countries of alumni, organizations and projects."),
])
widgets.coming_next("The interactive graph, its metrics (brokers, bridges, communities, "
                    "cross-border ties) and offline exports come next.")
