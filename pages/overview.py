"""Impact overview: the funder's first screen."""

from analytics.summary import table_counts
from ui import shell, widgets

dataset = shell.page("pages/overview.py")
counts = table_counts(dataset.tables)

widgets.metric_row([
    ("Alumni trained", counts["alumni"], "Alumni loaded from the data (IRIS+ PI2998)."),
    ("Organizations", counts["organizations"], "Organizations loaded from the data."),
    ("Countries", counts["countries"], "Countries of alumni, organizations and projects."),
    ("Projects", counts["projects"], "Alumni change projects loaded from the data."),
    ("Partnerships", counts["partnerships"], "Ties between alumni and organizations."),
])
widgets.coming_next("Impact KPIs with their change on the year before, the funder filters and "
                    "the take-away report are built on these counts next.")
