"""Keeping the translation catalogs in step with the code, with Babel.

``python -m analytics.catalogs update`` extracts every marked string
(``babel.cfg`` says where) into ``analytics/locale/kizuna.pot`` and updates each
language's ``.po`` from it: new strings come in untranslated (never guessed
from a similar one: no fuzzy matching), strings the code no longer has leave.
English is the code's own language, so its catalog is filled in from the
source strings. ``python -m analytics.catalogs check`` lists what a catalog
lacks (a test runs it): strings without a translation, fuzzy ones, and
translations whose ``{placeholders}`` differ from the source's.

Translations made apart (``.po`` files of the same strings, such as a
translator's pass) come in with ``update --take FILE...``.
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from analytics.i18n import DOMAIN, LANGUAGES, LOCALE_DIR, catalog_path

ROOT = LOCALE_DIR.parents[1]
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
PARTS = LOCALE_DIR / "parts"
SOURCE_LANGUAGE = "en"
KEYWORDS = {**DEFAULT_KEYWORDS, "lazy": None, "lazy_plural": (1, 2)}
# {name} in Python code; %(name)s in the report's Jinja template.
_PLACEHOLDER = re.compile(r"(?<!\{)\{([^{}]*)\}(?!\})|%\((\w+)\)s")


def extract(root: Path | None = None) -> Catalog:
    """Every string the code marks for translation, with where it is used."""
    root = root or ROOT
    with (root / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    catalog = Catalog(project="Kizuna", domain=DOMAIN, charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
            root, method_map, options_map, keywords=KEYWORDS, comment_tags=("Translators:",),
            strip_comment_tags=True):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments,
                    context=context)
    return catalog


def extract_files(files: Iterable[Path], root: Path | None = None) -> Catalog:
    """The strings marked in some files only (paths from the repository's root)."""
    root = root or ROOT
    wanted = {Path(f).resolve() for f in files}
    everything = extract(root)
    part = Catalog(project="Kizuna", domain=DOMAIN, charset="utf-8")
    for message in everything:
        places = [(f, n) for f, n in message.locations if (root / f).resolve() in wanted]
        if message.id and places:
            part.add(message.id, None, places, auto_comments=message.auto_comments)
    return part


def update_part(name: str, files: Iterable[Path]) -> Path:
    """``analytics/locale/parts/NAME.po``: the strings of some files, for a translation
    pass made apart from the catalogs; translations already in it are kept."""
    path = PARTS / f"{name}.po"
    catalog = read(path, "ja") if path.exists() else _new("ja")
    catalog.project, catalog.fuzzy = "Kizuna", False
    catalog.update(extract_files(files), no_fuzzy_matching=True)
    catalog.obsolete.clear()
    write(catalog, path)
    return path


def _new(code: str) -> Catalog:
    return Catalog(locale=code, domain=DOMAIN, project="Kizuna",
                   copyright_holder="The Kizuna contributors",
                   header_comment=f"# Kizuna's interface in {LANGUAGES[code]} ({code}): see "
                                  "docs/translations.md and docs/glossary.md.\n#")


def read(path: Path, code: str) -> Catalog:
    """A ``.po`` or ``.pot`` file as a Babel catalog."""
    with path.open("rb") as po:
        return read_po(po, locale=code, domain=DOMAIN)


def write(catalog: Catalog, path: Path) -> None:
    """Write a catalog, sorted by message, without line numbers (they churn on every edit)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as po:
        write_po(po, catalog, width=100, sort_output=True, include_lineno=False)


def update(take: Iterable[Path] = ()) -> dict[str, int]:
    """Extract the strings and update every language's catalog; returns, per language,
    how many strings still have no translation."""
    template = extract()
    write(template, TEMPLATE)
    taken = [read(path, "ja") for path in take]
    left = {}
    for code in LANGUAGES:
        path = catalog_path(code)
        catalog = read(path, code) if path.exists() else _new(code)
        catalog.project, catalog.fuzzy = "Kizuna", False
        # A copy each: the update hands the template's own new entries to the catalog.
        catalog.update(copy.deepcopy(template), no_fuzzy_matching=True)
        catalog.obsolete.clear()
        for message in catalog:
            if not message.id:
                continue
            if code == SOURCE_LANGUAGE:
                message.string = message.id
                message.flags.discard("fuzzy")
                continue
            for other in taken:
                found = other.get(message.id)
                if found is not None and found.string and "fuzzy" not in found.flags \
                        and not _has_translation(message):
                    message.string = found.string
        write(catalog, path)
        left[code] = sum(1 for m in catalog if m.id and not _has_translation(m))
    return left


def _has_translation(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(s for s in strings)


def _placeholders(text: str) -> set[str]:
    return {(brace or percent).split(":")[0].split("!")[0]
            for brace, percent in _PLACEHOLDER.findall(text)}


def problems(code: str) -> list[str]:
    """What is wrong with a language's catalog against the code, one line each:
    strings missing from it, without a translation, fuzzy, with other placeholders
    than the source's; and strings it keeps that the code no longer has."""
    path = catalog_path(code)
    if not path.exists():
        return [f"{path}: no catalog"]
    catalog, wanted = read(path, code), extract()
    found = []
    for message in wanted:
        if not message.id:
            continue
        key = message.id
        have = catalog.get(key)
        shown = key if isinstance(key, str) else key[0]
        where = ", ".join(f"{f}:{n}" for f, n in message.locations[:2])
        if have is None:
            found.append(f"missing: {shown!r} ({where})")
        elif "fuzzy" in have.flags:
            found.append(f"fuzzy: {shown!r}")
        elif not _has_translation(have):
            found.append(f"untranslated: {shown!r} ({where})")
        else:
            sources = key if isinstance(key, tuple) else (key,)
            strings = have.string if isinstance(have.string, tuple) else (have.string,)
            expected = set().union(*map(_placeholders, sources))
            for string in strings:
                if _placeholders(string) != expected:
                    found.append(f"placeholders differ: {shown!r} -> {string!r}")
    extra = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id} \
        - {m.id if isinstance(m.id, str) else m.id[0] for m in wanted if m.id}
    found += [f"no longer in the code: {m!r}" for m in sorted(extra)]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analytics.catalogs", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    updating = commands.add_parser("update", help="extract the strings, update the catalogs")
    updating.add_argument("--take", nargs="*", type=Path, default=[],
                          help="translations made apart (.po) to fill empty entries from")
    commands.add_parser("check", help="list what each catalog lacks; exit 1 if anything")
    parting = commands.add_parser("part", help="the strings of some files in parts/NAME.po")
    parting.add_argument("name")
    parting.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args(argv)
    if args.command == "part":
        path = update_part(args.name, args.files)
        left = [m.id for m in read(path, "ja") if m.id and not _has_translation(m)]
        print(f"{path}: {len(left)} string(s) without a translation")
        for message in left:
            print(f"  {message!r}")
        return 0
    if args.command == "update":
        for code, count in update(args.take).items():
            print(f"{code}: {count} string(s) without a translation")
        return 0
    wrong = {code: problems(code) for code in LANGUAGES}
    for code, lines in wrong.items():
        print(f"{code}: {len(lines)} problem(s)")
        for line in lines:
            print(f"  {line}")
    return 1 if any(wrong.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
