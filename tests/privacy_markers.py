"""A dataset seeded with markers: every email and phone, and every name, is recognisable."""

from __future__ import annotations

from pathlib import Path

from analytics.data import synth


def marker_folder(folder: Path) -> Path:
    """The sample, with contact details and names that can be searched for."""
    tables = synth.generate()
    alumni = tables["alumni"]
    alumni["email"] = "leak-" + alumni["alum_id"] + "@marker.example"
    alumni["phone"] = "+99-" + alumni["alum_id"]
    alumni["name"] = "Person" + alumni["alum_id"] + "Marker"
    alumni["name_local"] = "秘密" + alumni["alum_id"]
    synth.write(tables, folder)
    return folder


def forbidden(folder: Path, audience: str) -> list[str]:
    """The strings an audience must never receive from the marker folder."""
    import pandas as pd

    alumni = pd.read_csv(folder / "alumni.csv", dtype=str, keep_default_na=False)
    consent = "consent_directory" if audience == "funder" else "consent_public"
    hidden = alumni[alumni[consent] != "yes"]
    return [*alumni["email"], *alumni["phone"], *hidden["name"], *hidden["name_local"]]


def leaks(blob: str | bytes, markers: list[str]) -> list[str]:
    text = blob.decode("utf-8", "replace") if isinstance(blob, bytes) else blob
    return [m for m in markers if m in text]
