"""What users take away: plotly charts, the funder report, the forum pack and safe spreadsheet files."""
