"""Projects: the alumni's change projects."""

from analytics.summary import table_counts
from ui import shell, widgets

dataset = shell.page("pages/projects.py")
counts = table_counts(dataset.tables)

widgets.metric_row([
    ("Projects", counts["projects"], "Alumni change projects loaded from the data."),
    ("Alumni", counts["alumni"], "Alumni who may lead them."),
    ("Countries", counts["countries"], "Countries of alumni, organizations and projects."),
])
widgets.coming_next("The project table with its filters, totals, map, stories and CSV export "
                    "come next.")
