"""Cohorts: how the programs grew, cohort by cohort."""

from analytics.summary import table_counts
from ui import shell, widgets

dataset = shell.page("pages/cohorts.py")
counts = table_counts(dataset.tables)

widgets.metric_row([
    ("Programs", counts["programs"], "Distinct programs among the alumni."),
    ("Cohorts", counts["cohorts"], "Distinct program cohorts among the alumni."),
    ("Alumni", counts["alumni"], "Alumni loaded from the data."),
])
widgets.coming_next("Alumni per cohort and over time, by country and cause, and the network's "
                    "growth year by year come next.")
