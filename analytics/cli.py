"""Kizuna's command line: ``python -m analytics [--lang ja|en] COMMAND ...``.

Every command speaks English or Japanese: ``--lang`` (before or after the
command), else ``KIZUNA_LANG``, else the locale (``LC_ALL``, ``LC_MESSAGES``,
``LANG``) when it is Japanese, else English. JSON output keeps its keys and
the data's values; its messages are in the language.

Commands
--------
validate DIR [--json]
    Check a data folder. Exit 0 when there are no errors (warnings allowed),
    1 when there are errors, 2 when DIR cannot be used.
synth --out DIR [--alumni N] [--seed S]
    Write a synthetic dataset; the defaults make the bundled sample.
docs [--out FILE]
    Write the data contract's reference (docs/data.md) from the schema.
template [--out FILE]
    Write the Excel template to fill in, in the language.
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

from analytics import i18n
from analytics.curation import changes
from analytics.data import contract_doc, store, synth, template, uploads
from analytics.data.loader import PROBLEM_FIELDS, Dataset, Problem, load_dataset
from analytics.data.schema import TABLES
from analytics.data.sources import DataFolderError
from analytics.i18n import _, ngettext
from analytics.impact.kpis import format_value
from analytics.network import drawing
from analytics.network.analysis import analyze
from analytics.network.model import LEVELS
from analytics.outputs import forum_pack, report
from analytics.privacy import Audience, redact_dataset
from analytics.selection import US_JAPAN, Selection

EXIT_OK, EXIT_ERRORS, EXIT_UNUSABLE = 0, 1, 2
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")  # POSIX's order: the first set one counts


def language(requested: str | None = None) -> str:
    """The language the command speaks: ``--lang``, else ``KIZUNA_LANG``, else the locale's
    when Kizuna speaks it, else English.

    >>> language("ja"), language("en")
    ('ja', 'en')
    """
    locale = next((os.environ[v] for v in LOCALE_VARIABLES if os.environ.get(v)), None)
    return i18n.choose(requested, i18n.server_default(), locale)


def _cell(text, width: int, right: bool = False) -> str:
    """``text`` padded to ``width`` terminal columns (at least one space after it)."""
    text = str(text)
    pad = " " * max(1, width - i18n.text_width(text))
    return pad + text if right else text + pad


def _where(origin: str, row, column: str | None) -> str:
    """Where a problem is, as staff find it: file or table, row as the sheet shows it, column."""
    found = row is not None and not pd.isna(row)
    return " ".join(x for x in (origin, _("row {row}", row=int(row)) if found else "",
                                column or "") if x)


def _problem_line(severity: str, where: str, value: str, message) -> str:
    return _("{severity}: {where}{value}: {problem}", severity=_(severity), where=where,
             value=f" [{value}]" if value else "", problem=message)


def _problem_record(problem: Problem) -> dict:
    return {k: str(problem.message) if k == "message" else getattr(problem, k)
            for k in PROBLEM_FIELDS}


def _validate(args) -> int:
    dataset = load_dataset(args.folder)
    if args.json:
        print(json.dumps({
            "tables": {name: {"rows_read": r.rows_read, "rows_loaded": r.rows_loaded,
                              "rows_rejected": r.rows_rejected}
                       for name, r in dataset.report.items()},
            "problems": [_problem_record(p) for p in dataset.problems],
        }, ensure_ascii=False, indent=2))
    else:
        print(_cell(_("table"), 14) + _cell(_("source"), 28) + _cell(_("read"), 8, True)
              + _cell(_("loaded"), 8, True) + _cell(_("set aside"), 11, True))
        for r in dataset.report.values():
            print(_cell(TABLES[r.table].label, 14) + _cell(r.source or "-", 28)
                  + _cell(i18n.number(r.rows_read), 8, True)
                  + _cell(i18n.number(r.rows_loaded), 8, True)
                  + _cell(i18n.number(r.rows_rejected), 11, True))
        for p in dataset.problems:
            origin = p.file or (str(TABLES[p.table].label) if p.table else "")
            print(_problem_line(p.severity, _where(origin, p.row, p.column), p.value, p.message))
        errors = len(dataset.errors)
        print(_("{errors} error(s), {warnings} warning(s), {rows} row(s) set aside.",
                errors=i18n.number(errors), warnings=i18n.number(len(dataset.problems) - errors),
                rows=i18n.number(dataset.rows_set_aside)))
    return EXIT_ERRORS if dataset.errors else EXIT_OK


def _synth(args) -> int:
    tables = synth.generate(args.alumni, seed=args.seed)
    for path in synth.write(tables, args.out):
        rows = len(tables[path.stem])
        print(ngettext("wrote {path} ({n} row)", "wrote {path} ({n} rows)", rows, path=path))
    return EXIT_OK


def _audience(args) -> Audience:
    """--audience, else KIZUNA_AUDIENCE, else public."""
    return Audience.parse(args.audience or os.environ.get("KIZUNA_AUDIENCE"))


def _load_for(args) -> Dataset:
    """The folder's dataset as the command's audience may see it, saying on stderr for whom,
    and when rows were set aside (the file leaves them out)."""
    audience = _audience(args)
    dataset = redact_dataset(load_dataset(args.folder), audience)
    print(_("for the {audience} audience: {rules}", audience=audience.label,
            rules=audience.may.describe()), file=sys.stderr)
    if dataset.rows_set_aside:
        print(ngettext("note: {n} row with errors was set aside; run '{command}' to see it.",
                       "note: {n} rows with errors were set aside; run '{command}' to see them.",
                       dataset.rows_set_aside,
                       command=f"python -m analytics validate {args.folder}"), file=sys.stderr)
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
    print(_("wrote {file}: {contents}", file=args.out, contents=drawing.describe(analysis)))
    return EXIT_OK


def _report(args) -> int:
    dataset = _load_for(args)
    selection = _selection(args)
    Path(args.out).write_text(report.build_report(dataset, selection), encoding="utf-8")
    print(_("wrote {file}: {contents}", file=args.out,
            contents=report.describe_selection(selection, dataset.tables)))
    return EXIT_OK


def _forum_pack(args) -> int:
    dataset = _load_for(args)
    selection = _selection(args)
    Path(args.out).write_bytes(forum_pack.build_forum_pack(dataset, selection, dataset.audience))
    print(_("wrote {file}: {contents}", file=args.out,
            contents=report.describe_selection(selection, dataset.tables)))
    return EXIT_OK


def _add_for_others(p) -> None:
    """The arguments of a command that writes a file for other people: audience and selection."""
    p.add_argument("folder", type=Path)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--audience", choices=[str(a) for a in Audience], default=None,
                   help=_("whom the file is for (default: KIZUNA_AUDIENCE, else public)"))
    p.add_argument("--program", action="append", default=[], help=_("repeat for several"))
    p.add_argument("--funder", default=None, help=_("an org_id from the funding table"))
    p.add_argument("--years", type=int, nargs=2, metavar=("FIRST", "LAST"))
    p.add_argument("--country", action="append", default=[],
                   help=_("ISO code; repeat for several"))
    p.add_argument("--cause", action="append", default=[], help=_("repeat for several"))


def _who(args) -> str:
    """Who makes a change from the command line: --who, else the login name."""
    import getpass

    # Kept in the history as data, read in either language: not translated.
    return args.who or f"{getpass.getuser()} (command line)"


def _import(args) -> int:
    if not Path(args.folder).is_dir():
        raise DataFolderError(_("Data folder {folder} does not exist or is not a folder.",
                                folder=args.folder))
    try:
        upload = uploads.read_source_path(args.source)
    except uploads.UploadError as exc:
        _say_error(exc)
        return EXIT_UNUSABLE
    if args.apply and (reason := store.read_only_reason(args.folder)):
        _say_error(reason)
        return EXIT_UNUSABLE
    # Prepared aside, and staged in the folder only once it can be applied: an upload with
    # errors leaves the folder exactly as it was, even with --apply.
    preview = changes.prepare(args.folder, upload.files, action="import",
                              description=i18n.lazy("Import of {file}",
                                                    file=Path(args.source).name),
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
                _say_error(exc)
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
        print(_("read {table} from {origin}", table=TABLES[name].label, origin=origin))
    for note in preview.notes:
        print(_("note: {note}", note=note))
    for name, d in preview.diffs.items():
        if d.empty:
            continue
        c = d.counts
        print(_("{table}: {added} added, {removed} removed, {changed} changed",
                table=TABLES[name].label, added=c["added"], removed=c["removed"],
                changed=c["changed"]))
        for label in changes.row_labels(name, d.added):
            print(f"  + {label}")
        for label in changes.row_labels(name, d.removed):
            print(f"  - {label}")
        for row in d.changed.itertuples(index=False):
            print(f"  ~ {row.id} {row.column}: {row.old!r} -> {row.new!r}")
    for p in preview.new_problems.to_dict(orient="records"):
        print(_problem_line(p["severity"], _where(_origin(p, upload), p["row"], p["column"]),
                            p["value"], p["message"]))
    for key, r in figures.iterrows():
        unit = "share" if key == "cross_border_share" else "count"
        print(f"{r.figure}: {format_value(r.before, unit)} -> {format_value(r.after, unit)}")
    if applied:
        print(_("applied as version {version}; the version before it is kept ({command}).",
                version=applied.id, command=f"python -m analytics history {preview.folder}"))
    else:
        print(preview.blocked or _("previewed only: nothing changed. Add --apply to apply it."))


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
        raise DataFolderError(_("Data folder {folder} does not exist or is not a folder.",
                                folder=args.folder))
    versions = store.history(args.folder)
    edited = bool(versions) and store.current_version(args.folder) is None
    if args.json:
        print(json.dumps({"edited_outside_kizuna": edited, "versions": [
            {"id": v.id, "time": v.time, "who": v.who, "action": v.action, "summary": v.summary,
             "counts": v.counts} for v in versions]}, ensure_ascii=False, indent=2))
        return EXIT_OK
    if edited:
        print(_("note: the folder's files were changed outside Kizuna after the newest version; "
                "they are the current data and become a version at the next change."))
    if not versions:
        print(_("No versions yet: the first change keeps the current files as version 1."))
    for v in versions:
        print(f"{v.id:>4}  {v.when:%Y-%m-%d %H:%M} UTC  {_cell(v.who, 24)}  {v.translated_summary}")
    return EXIT_OK


def _restore(args) -> int:
    if not Path(args.folder).is_dir():
        raise DataFolderError(_("Data folder {folder} does not exist or is not a folder.",
                                folder=args.folder))
    try:
        version = store.restore(args.folder, args.version, who=_who(args))
    except store.StoreError as exc:
        _say_error(exc)
        return EXIT_UNUSABLE if isinstance(exc, store.ReadOnlyError) else EXIT_ERRORS
    print(_("version {old} is current again, as version {new}.", old=args.version,
            new=version.id))
    return EXIT_OK


def _hash_password(args) -> int:
    import getpass

    from analytics.access import hash_password

    password = getpass.getpass(_("Staff password: "))
    if len(password) < 10:
        _say_error(_("use at least 10 characters."))
        return EXIT_ERRORS
    if getpass.getpass(_("Again: ")) != password:
        _say_error(_("the two entries differ."))
        return EXIT_ERRORS
    stored = hash_password(password)
    if args.name is None:
        print(f'staff_password_hash = "{stored}"')
    else:  # a line for the [staff_accounts] table; json quotes the name as TOML needs
        print(f"{json.dumps(args.name, ensure_ascii=False)} = \"{stored}\"")
    return EXIT_OK


def _docs(args) -> int:
    Path(args.out).write_text(contract_doc.data_contract_markdown(), encoding="utf-8")
    print(_("wrote {file}", file=args.out))
    return EXIT_OK


def _template(args) -> int:
    Path(args.out).write_bytes(template.template_xlsx())
    print(_("wrote {file}", file=args.out))
    return EXIT_OK


def _say_error(error) -> None:
    print(_("error: {reason}", reason=error), file=sys.stderr)


def _parser() -> argparse.ArgumentParser:
    """The command line's arguments, their help in the current language."""
    lang = argparse.ArgumentParser(add_help=False)  # --lang after the command, too
    lang.add_argument("--lang", choices=list(i18n.LANGUAGES), default=argparse.SUPPRESS,
                      help=_("the language to speak (default: KIZUNA_LANG, then the locale, "
                             "then English)"))
    parser = argparse.ArgumentParser(prog="python -m analytics", parents=[lang],
                                     description=_("Kizuna's command line."))
    commands = parser.add_subparsers(dest="command", required=True)

    def command(name: str, help: str, run) -> argparse.ArgumentParser:
        p = commands.add_parser(name, help=help, parents=[lang])
        p.set_defaults(run=run)
        return p

    p = command("validate", _("check a data folder"), _validate)
    p.add_argument("folder", type=Path)
    p.add_argument("--json", action="store_true", help=_("print tables and problems as JSON"))
    p = command("synth", _("write a synthetic dataset"), _synth)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--alumni", type=int, default=None,
                   help=_("number of alumni (default: the sample's {count})",
                          count=synth.DEFAULT_ALUMNI))
    p.add_argument("--seed", type=int, default=synth.DEFAULT_SEED)
    p = command("export-graph", _("write the network as offline HTML"), _export_graph)
    _add_for_others(p)
    p.add_argument("--scope", choices=["asia-pacific", "us-japan"], default="asia-pacific")
    p.add_argument("--as-of", type=int, default=None, help=_("only ties begun by this year"))
    p.add_argument("--level", choices=LEVELS, default=LEVELS[0])
    p.add_argument("--color-by", choices=drawing.COLOR_BY, default="country")
    p.add_argument("--size-by", choices=drawing.SIZE_BY, default="degree")
    p = command("report", _("write the funder's impact report as offline HTML"), _report)
    _add_for_others(p)
    p = command("forum-pack", _("write the presenter's forum pack as a zip"), _forum_pack)
    _add_for_others(p)
    p = command("import", _("preview an import, or apply it as a new version"), _import)
    p.add_argument("folder", type=Path)
    p.add_argument("source", type=Path,
                   help=_("a folder of CSV files, a .zip or an .xlsx workbook"))
    p.add_argument("--apply", action="store_true", help=_("apply it (default: preview only)"))
    p.add_argument("--json", action="store_true", help=_("print the preview as JSON"))
    p.add_argument("--who", default=None, help=_("who makes the change (default: your login)"))
    p = command("history", _("list the data folder's versions"), _history)
    p.add_argument("folder", type=Path)
    p.add_argument("--json", action="store_true", help=_("print the versions as JSON"))
    p = command("restore", _("make an earlier version current, as a new version"), _restore)
    p.add_argument("folder", type=Path)
    p.add_argument("version", type=int)
    p.add_argument("--who", default=None, help=_("who makes the change (default: your login)"))
    p = command("hash-password", _("make a staff password hash for secrets.toml"),
                _hash_password)
    p.add_argument("--name", default=None,
                   help=_("a staff member's name (or email): print their line for "
                          "[staff_accounts]"))
    p = command("docs", _("write the data contract reference"), _docs)
    p.add_argument("--out", type=Path, default=Path("docs/data.md"))
    p = command("template", _("write the Excel template to fill in, in the language"),
                _template)
    p.add_argument("--out", type=Path, default=Path("kizuna-template.xlsx"))
    return parser


def main(argv: list[str] | None = None) -> int:
    wanted = argparse.ArgumentParser(add_help=False)
    wanted.add_argument("--lang", default=None)
    requested = wanted.parse_known_args(argv)[0].lang
    with i18n.speaking(language(requested)):
        args = _parser().parse_args(argv)
        try:
            return args.run(args)
        except DataFolderError as exc:
            _say_error(exc)
            return EXIT_UNUSABLE
        except KeyboardInterrupt:
            return 130
        except Exception as exc:  # never a traceback: say what failed and exit as unusable
            _say_error(f"{type(exc).__name__}: {exc}")
            return EXIT_UNUSABLE
