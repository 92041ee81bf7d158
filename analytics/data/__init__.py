"""The data: its contract (schema), reading a folder (sources), checking it (loader), the
synthetic sample (synth), the reference places and countries it names, and spreadsheets written
safely (spreadsheets)."""
