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
hash-password [--name NAME]
    Read a staff password (twice, unseen) and print the line for .streamlit/secrets.toml:
    the shared staff_password_hash, or NAME's line for the [staff_accounts] table.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from analytics.data import contract_doc, synth
from analytics.data.loader import PROBLEM_FIELDS, Dataset, load_dataset
from analytics.data.sources import DataFolderError
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
