"""What users take away: plotly charts, the funder report and the forum pack."""
