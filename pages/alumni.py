"""Alumni directory: find alumni by region, cause and cohort."""

from analytics.summary import table_counts
from ui import shell, widgets

dataset = shell.page("pages/alumni.py")
counts = table_counts(dataset.tables)

widgets.metric_row([
    ("Alumni", counts["alumni"], "Alumni loaded from the data."),
    ("Programs", counts["programs"], "Distinct programs among the alumni."),
    ("Countries", counts["countries"], "Countries of alumni, organizations and projects."),
])
widgets.coming_next("Search and filters, profiles, suggested introductions and list exports "
                    "come next.")
