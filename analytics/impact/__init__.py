"""What the programs did: headline figures, series for the charts, projects and the alumni directory."""
