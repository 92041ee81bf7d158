"""Looking after the data: changes previewed and applied as versions, duplicates, fixes."""
