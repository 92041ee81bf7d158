"""Kizuna's command line: ``python -m analytics COMMAND ...``.

Commands
--------
validate DIR [--json]
    Check a data folder. Exit 0 when there are no errors (warnings allowed),
    1 when there are errors, 2 when DIR cannot be used.
synth --out DIR [--alumni N] [--seed S]
    Write a synthetic dataset; the defaults make the bundled sample.
docs [--out FILE]
    Write the data contract's reference (docs/data.md) from the schema.
export-graph DIR --out FILE.html [--audience A] [--scope us-japan|asia-pacific] [--as-of YEAR]
             [SELECTION]
    Write the collaboration network as one HTML file that works offline.
report DIR --out FILE.html [--audience A] [SELECTION]
    Write the funder's impact report as one HTML file that works offline.
forum-pack DIR --out FILE.zip [--audience A] [SELECTION]
    Write the presenter's forum pack: charts as PNG and SVG, the network, a legend.

SELECTION is any of --program P, --funder ORG_ID, --years FIRST LAST,
--country CODE and --cause C (repeat --program, --country and --cause for
several). Every file for other people is made for one audience (staff,
funder or public): --audience, else KIZUNA_AUDIENCE, else public. Staff
output, with everyone named, is made only when asked for; the file's footer
says whom it was made for.
import DIR SOURCE [--apply] [--json] [--who NAME]
    Preview an import: SOURCE is a folder, a zip or an .xlsx workbook, for some or all
    tables. With --apply, make it the current data as a new version (the old one is kept).
    Exit 0 when previewed or applied, 1 when the upload has errors (nothing applied), 2
    when DIR or SOURCE cannot be used.
history DIR [--json]
    The folder's versions, newest first: id, time, who and what changed.
restore DIR VERSION [--who NAME]
    Make an earlier version current again, as a new version.
hash-password [--name NAME]
    Read a staff password (twice, unseen) and print the line for .streamlit/secrets.toml:
    the shared staff_password_hash, or NAME's line for the [staff_accounts] table.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path

import pandas as pd

from analytics.curation import changes
from analytics.data import contract_doc, store, synth, uploads
from analytics.data.loader import PROBLEM_FIELDS, Dataset, load_dataset
from analytics.data.sources import DataFolderError
from analytics.impact.kpis import format_value
from analytics.network import drawing
from analytics.network.analysis import analyze
from analytics.network.model import LEVELS
from analytics.outputs import forum_pack, report
from analytics.privacy import Audience, redact_dataset
from analytics.selection import US_JAPAN, Selection

EXIT_OK, EXIT_ERRORS, EXIT_UNUSABLE = 0, 1, 2


def _validate(args) -> int:
    dataset = load_dataset(args.folder)
    if args.json:
        print(json.dumps({
            "tables": {name: {"rows_read": r.rows_read, "rows_loaded": r.rows_loaded,
                              "rows_rejected": r.rows_rejected}
                       for name, r in dataset.report.items()},
            "problems": [{k: getattr(p, k) for k in PROBLEM_FIELDS} for p in dataset.problems],
        }, ensure_ascii=False, indent=2))
    else:
        print(f"{'table':<14}{'source':<28}{'read':>8}{'loaded':>8}{'set aside':>11}")
        for r in dataset.report.values():
            print(f"{r.table:<14}{(r.source or '-'):<28}{r.rows_read:>8}{r.rows_loaded:>8}"
                  f"{r.rows_rejected:>11}")
        for p in dataset.problems:
            where = " ".join(x for x in (p.file or p.table or "", f"row {p.row}" if p.row else "",
                                         p.column or "") if x)
            value = f" [{p.value}]" if p.value else ""
            print(f"{p.severity}: {where}{value}: {p.message}")
        errors = len(dataset.errors)
        print(f"{errors} error(s), {len(dataset.problems) - errors} warning(s), "
              f"{dataset.rows_set_aside} row(s) set aside.")
    return EXIT_ERRORS if dataset.errors else EXIT_OK


def _synth(args) -> int:
    tables = synth.generate(args.alumni, seed=args.seed)
    for path in synth.write(tables, args.out):
        print(f"wrote {path} ({len(tables[path.stem])} rows)")
    return EXIT_OK


def _audience(args) -> Audience:
    """--audience, else KIZUNA_AUDIENCE, else public."""
    return Audience.parse(args.audience or os.environ.get("KIZUNA_AUDIENCE"))


def _load_for(args) -> Dataset:
    """The folder's dataset as the command's audience may see it, saying on stderr for whom,
    and when rows were set aside (the file leaves them out)."""
    audience = _audience(args)
    dataset = redact_dataset(load_dataset(args.folder), audience)
    print(f"for the {audience} audience: {audience.may.description}", file=sys.stderr)
    if dataset.rows_set_aside:
        print(f"note: {dataset.rows_set_aside} row(s) with errors were set aside; run "
              f"'python -m analytics validate {args.folder}' to see them.", file=sys.stderr)
    return dataset


def _selection(args, countries: tuple[str, ...] = ()) -> Selection:
    return Selection(programs=tuple(args.program), funder=args.funder,
                     years=tuple(args.years) if args.years else None,
                     countries=tuple(args.country) or countries, causes=tuple(args.cause),
                     as_of=getattr(args, "as_of", None))


def _export_graph(args) -> int:
    dataset = _load_for(args)
    selection = _selection(args, US_JAPAN if args.scope == "us-japan" else ())
    analysis = analyze(dataset.tables, selection, args.level)
    html = drawing.standalone_html(analysis, dataset.audience,
                                   drawing.Style(args.color_by, args.size_by))
    Path(args.out).write_text(html, encoding="utf-8")
    print(f"wrote {args.out}: {drawing.describe(analysis)}")
    return EXIT_OK


def _report(args) -> int:
    dataset = _load_for(args)
    selection = _selection(args)
    Path(args.out).write_text(report.build_report(dataset, selection), encoding="utf-8")
    print(f"wrote {args.out}: {report.describe_selection(selection, dataset.tables)}")
    return EXIT_OK


def _forum_pack(args) -> int:
    dataset = _load_for(args)
    selection = _selection(args)
    Path(args.out).write_bytes(forum_pack.build_forum_pack(dataset, selection, dataset.audience))
    print(f"wrote {args.out}: {report.describe_selection(selection, dataset.tables)}")
    return EXIT_OK


def _add_for_others(p) -> None:
    """The arguments of a command that writes a file for other people: audience and selection."""
    p.add_argument("folder", type=Path)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--audience", choices=[str(a) for a in Audience], default=None,
                   help="whom the file is for (default: KIZUNA_AUDIENCE, else public)")
    p.add_argument("--program", action="append", default=[], help="repeat for several")
    p.add_argument("--funder", default=None, help="an org_id from the funding table")
    p.add_argument("--years", type=int, nargs=2, metavar=("FIRST", "LAST"))
    p.add_argument("--country", action="append", default=[], help="ISO code; repeat for several")
    p.add_argument("--cause", action="append", default=[], help="repeat for several")


def _who(args) -> str:
    """Who makes a change from the command line: --who, else the login name."""
    import getpass

    return args.who or f"{getpass.getuser()} (command line)"


def _import(args) -> int:
    if not Path(args.folder).is_dir():
        raise DataFolderError(f"Data folder {args.folder} does not exist or is not a folder.")
    try:
        upload = uploads.read_source_path(args.source)
    except uploads.UploadError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    if args.apply and (reason := store.read_only_reason(args.folder)):
        print(f"error: {reason}", file=sys.stderr)
        return EXIT_UNUSABLE
    # Prepared aside, and staged in the folder only once it can be applied: an upload with
    # errors leaves the folder exactly as it was, even with --apply.
    preview = changes.prepare(args.folder, upload.files, action="import",
                              description=f"Import of {Path(args.source).name}",
                              notes=upload.notes, in_folder=False)
    applied = None
    try:
        if args.apply and not preview.blocked:
            aside = preview.staged
            preview.staged = store.stage(args.folder, store.version_files(aside))
            shutil.rmtree(aside, ignore_errors=True)
            try:
                applied = changes.apply(preview, _who(args))
            except store.StaleError as exc:
                print(f"error: {exc}", file=sys.stderr)
                return EXIT_ERRORS
        _print_preview(preview, upload, applied, args.json)
    finally:
        if applied is None:
            preview.discard()
    return EXIT_ERRORS if len(preview.new_problems) else EXIT_OK


def _print_preview(preview: changes.Preview, upload, applied, as_json: bool) -> None:
    figures = preview.figures()
    if as_json:
        print(json.dumps({
            "applied": applied.id if applied else None,
            "blocked": preview.blocked,
            "sources": upload.origins, "notes": list(preview.notes),
            "tables": {name: {**d.counts,
                              "changes": d.changed.to_dict(orient="records"),
                              "added_ids": list(changes.row_labels(name, d.added)),
                              "removed_ids": list(changes.row_labels(name, d.removed))}
                       for name, d in preview.diffs.items() if not d.empty},
            "problems": [{**p, "origin": _origin(p, upload)}
                         for p in preview.new_problems.to_dict(orient="records")],
            "figures": {k: {"before": _figure(k, r.before), "after": _figure(k, r.after)}
                        for k, r in figures.iterrows()},
        }, ensure_ascii=False, indent=2, default=_json_default))
        return
    for name, origin in upload.origins.items():
        print(f"read {name} from {origin}")
    for note in preview.notes:
        print(f"note: {note}")
    for name, d in preview.diffs.items():
        if d.empty:
            continue
        c = d.counts
        print(f"{name}: {c['added']} added, {c['removed']} removed, {c['changed']} changed")
        for label in changes.row_labels(name, d.added):
            print(f"  + {label}")
        for label in changes.row_labels(name, d.removed):
            print(f"  - {label}")
        for row in d.changed.itertuples(index=False):
            print(f"  ~ {row.id} {row.column}: {row.old!r} -> {row.new!r}")
    for p in preview.new_problems.to_dict(orient="records"):
        where = " ".join(x for x in (_origin(p, upload), f"row {p['row']}" if pd.notna(p["row"])
                                     else "", p["column"] or "") if x)
        value = f" [{p['value']}]" if p["value"] else ""
        print(f"error: {where}{value}: {p['message']}")
    for key, r in figures.iterrows():
        unit = "share" if key == "cross_border_share" else "count"
        print(f"{r.figure}: {format_value(r.before, unit)} -> {format_value(r.after, unit)}")
    if applied:
        print(f"applied as version {applied.id}; the version before it is kept "
              f"(python -m analytics history {preview.folder}).")
    else:
        print(preview.blocked or "previewed only: nothing changed. Add --apply to apply it.")


def _origin(problem: dict, upload) -> str:
    """Where a problem is, as staff find it: the upload's own file or sheet for a table it
    brought ("kizuna.xlsx [sheet Alumni]", "data.zip/alumni.csv"), else the data folder's file."""
    table, file = problem.get("table"), problem.get("file")
    if table in upload.origins and file in (None, f"{table}.csv"):
        return upload.origins[table]
    return file or table or ""


def _figure(key: str, value) -> float | int | None:
    """A headline figure for JSON: counts as whole numbers, an undefined share as null."""
    if value is None or pd.isna(value):
        return None
    return float(value) if key == "cross_border_share" else int(value)


def _json_default(value):
    return None if value is pd.NA or value != value else str(value)


def _history(args) -> int:
    if not Path(args.folder).is_dir():
        raise DataFolderError(f"Data folder {args.folder} does not exist or is not a folder.")
    versions = store.history(args.folder)
    edited = bool(versions) and store.current_version(args.folder) is None
    if args.json:
        print(json.dumps({"edited_outside_kizuna": edited, "versions": [
            {"id": v.id, "time": v.time, "who": v.who, "action": v.action, "summary": v.summary,
             "counts": v.counts} for v in versions]}, ensure_ascii=False, indent=2))
        return EXIT_OK
    if edited:
        print("note: the folder's files were changed outside Kizuna after the newest version; "
              "they are the current data and become a version at the next change.")
    if not versions:
        print("No versions yet: the first change keeps the current files as version 1.")
    for v in versions:
        print(f"{v.id:>4}  {v.when:%Y-%m-%d %H:%M} UTC  {v.who:<24}  {v.summary}")
    return EXIT_OK


def _restore(args) -> int:
    if not Path(args.folder).is_dir():
        raise DataFolderError(f"Data folder {args.folder} does not exist or is not a folder.")
    try:
        version = store.restore(args.folder, args.version, who=_who(args))
    except store.StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE if isinstance(exc, store.ReadOnlyError) else EXIT_ERRORS
    print(f"version {args.version} is current again, as version {version.id}.")
    return EXIT_OK


def _hash_password(args) -> int:
    import getpass

    from analytics.access import hash_password

    password = getpass.getpass("Staff password: ")
    if len(password) < 10:
        print("error: use at least 10 characters.", file=sys.stderr)
        return EXIT_ERRORS
    if getpass.getpass("Again: ") != password:
        print("error: the two entries differ.", file=sys.stderr)
        return EXIT_ERRORS
    stored = hash_password(password)
    if args.name is None:
        print(f'staff_password_hash = "{stored}"')
    else:  # a line for the [staff_accounts] table; json quotes the name as TOML needs
        print(f"{json.dumps(args.name, ensure_ascii=False)} = \"{stored}\"")
    return EXIT_OK


def _docs(args) -> int:
    Path(args.out).write_text(contract_doc.data_contract_markdown(), encoding="utf-8")
    print(f"wrote {args.out}")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analytics", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("validate", help="check a data folder")
    p.add_argument("folder", type=Path)
    p.add_argument("--json", action="store_true", help="print tables and problems as JSON")
    p.set_defaults(run=_validate)
    p = commands.add_parser("synth", help="write a synthetic dataset")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--alumni", type=int, default=None,
                   help=f"number of alumni (default: the sample's {synth.DEFAULT_ALUMNI})")
    p.add_argument("--seed", type=int, default=synth.DEFAULT_SEED)
    p.set_defaults(run=_synth)
    p = commands.add_parser("export-graph", help="write the network as offline HTML")
    _add_for_others(p)
    p.add_argument("--scope", choices=["asia-pacific", "us-japan"], default="asia-pacific")
    p.add_argument("--as-of", type=int, default=None, help="only ties begun by this year")
    p.add_argument("--level", choices=LEVELS, default=LEVELS[0])
    p.add_argument("--color-by", choices=drawing.COLOR_BY, default="country")
    p.add_argument("--size-by", choices=drawing.SIZE_BY, default="degree")
    p.set_defaults(run=_export_graph)
    p = commands.add_parser("report", help="write the funder's impact report as offline HTML")
    _add_for_others(p)
    p.set_defaults(run=_report)
    p = commands.add_parser("forum-pack", help="write the presenter's forum pack as a zip")
    _add_for_others(p)
    p.set_defaults(run=_forum_pack)
    p = commands.add_parser("import", help="preview an import, or apply it as a new version")
    p.add_argument("folder", type=Path)
    p.add_argument("source", type=Path, help="a folder of CSV files, a .zip or an .xlsx workbook")
    p.add_argument("--apply", action="store_true", help="apply it (default: preview only)")
    p.add_argument("--json", action="store_true", help="print the preview as JSON")
    p.add_argument("--who", default=None, help="who makes the change (default: your login)")
    p.set_defaults(run=_import)
    p = commands.add_parser("history", help="list the data folder's versions")
    p.add_argument("folder", type=Path)
    p.add_argument("--json", action="store_true", help="print the versions as JSON")
    p.set_defaults(run=_history)
    p = commands.add_parser("restore", help="make an earlier version current, as a new version")
    p.add_argument("folder", type=Path)
    p.add_argument("version", type=int)
    p.add_argument("--who", default=None, help="who makes the change (default: your login)")
    p.set_defaults(run=_restore)
    p = commands.add_parser("hash-password", help="make a staff password hash for secrets.toml")
    p.add_argument("--name", default=None,
                   help="a staff member's name (or email): print their line for [staff_accounts]")
    p.set_defaults(run=_hash_password)
    p = commands.add_parser("docs", help="write the data contract reference")
    p.add_argument("--out", type=Path, default=Path("docs/data.md"))
    p.set_defaults(run=_docs)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except DataFolderError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # never a traceback: say what failed and exit as unusable
        print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE
