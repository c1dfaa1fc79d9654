#!/usr/bin/env python3
"""Validate library/gazetteer/ against FORMAT.md.  Standard library only (Python >= 3.11).

  python3 tools/gazetteer/check.py [--dir library/gazetteer]

Errors make the exit status 1; warnings are printed and do not fail.
"""
from __future__ import annotations

import argparse
import collections
import datetime
import re
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
COUNTRY_HEADER = ["alpha2", "alpha3", "numeric", "name", "continent", "lat", "lon",
                  "sovereign_state", "cow_code", "status"]
SUBDIVISION_HEADER = ["code", "name", "type", "parent", "lat", "lon"]
ALIAS_HEADER = ["alias", "place", "source"]
ALIAS_SOURCES = {"cldr", "cldr-short", "cldr-variant", "iso-official", "iso-common", "iso-inverted",
                 "iso-former", "coco-short", "coco-official", "coco-iso2", "iso3166-2-eng"}
ALIAS_KEYS = {"name", "place", "actor", "source", "reason"}
CONTINENTS = {"africa", "antarctica", "asia", "europe", "north_america", "oceania", "south_america"}
OCEANS = {"north_atlantic", "south_atlantic", "caribbean", "mediterranean", "north_sea", "baltic",
          "black_sea", "arctic", "north_pacific", "south_pacific", "indian", "southern"}
KINDS = {"occupied", "annexation_claimed", "disputed", "administered_by"}
TERRITORY_KEYS = {"place", "name", "continent", "island", "ocean", "sovereign", "status", "source", "note"}
SOVEREIGN_KEYS = {"actor", "from", "until"}
STATUS_KEYS = {"kind", "by", "from", "until", "source"}
SEA_KEYS = {"id", "name", "ocean", "lat", "lon", "source"}
COORD = re.compile(r"^-?\d{1,3}\.\d{4}$")
# Codes that name the same place under two countries and share a point on purpose
# (generate.py POINT_FROM_SUBDIVISION): NL-BQ1..3 are BQ-BO/BQ-SA/BQ-SE.
SAME_PLACE = [{"NL-BQ1", "BQ-BO"}, {"NL-BQ2", "BQ-SA"}, {"NL-BQ3", "BQ-SE"}]

errors: list[str] = []
warnings: list[str] = []


def err(msg: str) -> None:
    errors.append(msg)


def warn(msg: str) -> None:
    warnings.append(msg)


def read_tsv(path: Path, header: list[str]) -> list[dict[str, str]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        err(f"{path.name}: not UTF-8 ({e})")
        return []
    if "\r" in text:
        err(f"{path.name}: contains a carriage return")
    if not text.endswith("\n"):
        err(f"{path.name}: no final newline")
    lines = text.split("\n")[:-1]
    if lines[0].split("\t") != header:
        err(f"{path.name}: header {lines[0]!r} != {header}")
    rows = []
    for n, line in enumerate(lines[1:], start=2):
        cells = line.split("\t")
        if len(cells) != len(header):
            err(f"{path.name}:{n}: {len(cells)} fields, expected {len(header)}")
            continue
        rows.append(dict(zip(header, cells)))
    return rows


def check_coords(where: str, lat: str, lon: str) -> None:
    if (lat == "") != (lon == ""):
        err(f"{where}: only one of lat/lon is set")
        return
    if lat == "":
        return
    for v, lim, label in ((lat, 90, "lat"), (lon, 180, "lon")):
        if not COORD.match(v):
            err(f"{where}: {label} {v!r} is not a 4-decimal number")
        elif abs(float(v)) > lim:
            err(f"{where}: {label} {v} out of range")


def check_countries(rows: list[dict[str, str]]) -> None:
    keys = [r["alpha2"] for r in rows]
    if keys != sorted(keys):
        err("countries.tsv: rows not sorted by alpha2")
    for col in ("alpha2", "alpha3"):
        dup = [k for k, c in collections.Counter(r[col] for r in rows).items() if c > 1]
        if dup:
            err(f"countries.tsv: duplicate {col}: {dup}")
    dupnum = [k for k, c in collections.Counter(r["numeric"] for r in rows if r["numeric"]).items() if c > 1]
    if dupnum:
        warn(f"countries.tsv: numeric codes shared by a current and a former entry: {dupnum} (numeric is not a key)")
    for r in rows:
        w = f"countries.tsv {r['alpha2']}"
        if not re.fullmatch(r"[A-Z]{2}", r["alpha2"]) or not re.fullmatch(r"[A-Z]{3}", r["alpha3"]):
            err(f"{w}: bad alpha2/alpha3")
        if r["numeric"] and not re.fullmatch(r"\d{3}", r["numeric"]):
            err(f"{w}: numeric {r['numeric']!r} is not 3 digits")
        if not r["name"]:
            err(f"{w}: empty name")
        if r["continent"] not in CONTINENTS:
            err(f"{w}: continent {r['continent']!r}")
        check_coords(w, r["lat"], r["lon"])
        if r["sovereign_state"] not in ("yes", "no"):
            err(f"{w}: sovereign_state {r['sovereign_state']!r}")
        if r["cow_code"] and not re.fullmatch(r"\d{1,3}", r["cow_code"]):
            err(f"{w}: cow_code {r['cow_code']!r}")
        if r["status"] not in ("current", "historic"):
            err(f"{w}: status {r['status']!r}")
        if r["status"] == "current" and not r["lat"]:
            warn(f"{w}: current country without lat/lon")


def check_subdivisions(rows: list[dict[str, str]], countries: dict[str, dict[str, str]]) -> None:
    codes = [r["code"] for r in rows]
    if codes != sorted(codes):
        err("subdivisions.tsv: rows not sorted by code")
    dup = [k for k, c in collections.Counter(codes).items() if c > 1]
    if dup:
        err(f"subdivisions.tsv: duplicate codes {dup}")
    known = set(codes)
    for r in rows:
        w = f"subdivisions.tsv {r['code']}"
        prefix = r["code"].split("-", 1)[0]
        if not re.fullmatch(r"[A-Z]{2}-[A-Z0-9]{1,3}", r["code"]):
            err(f"{w}: bad code")
        if countries.get(prefix, {}).get("status") != "current":
            err(f"{w}: prefix {prefix} is not a current ISO 3166-1 code")
        if not r["name"] or not r["type"]:
            err(f"{w}: empty name or type")
        if r["parent"]:
            if r["parent"] not in known:
                err(f"{w}: parent {r['parent']} not in subdivisions.tsv")
            elif not r["parent"].startswith(prefix + "-"):
                err(f"{w}: parent {r['parent']} is in another country")
        check_coords(w, r["lat"], r["lon"])
    points = collections.defaultdict(list)
    for r in rows:
        if r["lat"]:
            points[(r["lat"], r["lon"])].append(r["code"])
    shared = [v for v in points.values()
              if len({c.split("-")[0] for c in v}) > 1 and set(v) not in SAME_PLACE]
    if shared:
        err(f"subdivisions.tsv: one point shared across countries: {shared}")


def parse_date(where: str, v) -> datetime.date | None:
    if isinstance(v, datetime.date):
        err(f"{where}: write dates as quoted strings, got TOML date {v}")
        return v
    if not isinstance(v, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
        err(f"{where}: date {v!r} is not yyyy-mm-dd")
        return None
    try:
        return datetime.date.fromisoformat(v)
    except ValueError:
        err(f"{where}: {v!r} is not a calendar date")
        return None


def check_spell(where: str, spell: dict) -> None:
    start = parse_date(where + " from", spell["from"]) if "from" in spell else None
    end = parse_date(where + " until", spell["until"]) if "until" in spell else None
    if start and end and not start < end:
        err(f"{where}: from {start} is not before until {end}")


def check_territories(data: dict, names: dict[str, str], states3: set[str], nonstates: set[str]) -> None:
    entries = data.get("territory", [])
    if set(data) - {"territory"}:
        err(f"territories.toml: unexpected top-level keys {sorted(set(data) - {'territory'})}")
    seen = set()
    for i, t in enumerate(entries):
        place = t.get("place")
        w = f"territories.toml [{i}] {place}"
        if set(t) - TERRITORY_KEYS:
            err(f"{w}: unknown keys {sorted(set(t) - TERRITORY_KEYS)}")
        if place not in names:
            err(f"{w}: place is neither an alpha2 in countries.tsv nor a code in subdivisions.tsv")
            continue
        if place in seen:
            err(f"{w}: place listed twice")
        seen.add(place)
        if "name" in t and t["name"] != names[place]:
            err(f"{w}: name {t['name']!r} != table name {names[place]!r}")
        if not isinstance(t.get("source"), str) or not t["source"].strip():
            err(f"{w}: no source")
        if "continent" in t and t["continent"] not in CONTINENTS:
            err(f"{w}: continent {t['continent']!r}")
        if "ocean" in t and t["ocean"] not in OCEANS:
            err(f"{w}: ocean {t['ocean']!r}")
        if "island" in t and not isinstance(t["island"], bool):
            err(f"{w}: island must be true/false")
        for j, s in enumerate(t.get("sovereign", [])):
            sw = f"{w} sovereign[{j}]"
            if set(s) - SOVEREIGN_KEYS:
                err(f"{sw}: unknown keys {sorted(set(s) - SOVEREIGN_KEYS)}")
            if s.get("actor") not in states3:
                err(f"{sw}: actor {s.get('actor')!r} is not the alpha3 of a sovereign_state=yes row")
            check_spell(sw, s)
        spells = t.get("sovereign", [])
        dated = sorted((s.get("from", ""), s.get("until", "")) for s in spells)
        for (f1, u1), (f2, u2) in zip(dated, dated[1:]):
            if not u1 or (f2 and u1 > f2):
                err(f"{w}: sovereign spells overlap or leave the first open-ended: {dated}")
        for j, s in enumerate(t.get("status", [])):
            sw = f"{w} status[{j}]"
            if set(s) - STATUS_KEYS:
                err(f"{sw}: unknown keys {sorted(set(s) - STATUS_KEYS)}")
            if s.get("kind") not in KINDS:
                err(f"{sw}: kind {s.get('kind')!r}")
            if "by" in s and s["by"] not in states3:
                err(f"{sw}: by {s['by']!r} is not the alpha3 of a sovereign_state=yes row")
            if s.get("kind") in ("occupied", "annexation_claimed", "administered_by") and "by" not in s:
                err(f"{sw}: kind {s.get('kind')} needs `by`")
            if not isinstance(s.get("source"), str) or not s["source"].strip():
                err(f"{sw}: no source")
            check_spell(sw, s)
    missing = sorted(nonstates - seen)
    if missing:
        err(f"territories.toml: current ISO 3166-1 entries with sovereign_state=no lack an entry: {missing}")
    print(f"territories.toml: {len(entries)} entries")


def check_seas(data: dict) -> None:
    seas = data.get("sea", [])
    ids = [s.get("id") for s in seas]
    dup = [k for k, c in collections.Counter(ids).items() if c > 1]
    if dup:
        err(f"seas.toml: duplicate ids {dup}")
    for s in seas:
        w = f"seas.toml {s.get('id')}"
        if set(s) - SEA_KEYS:
            err(f"{w}: unknown keys {sorted(set(s) - SEA_KEYS)}")
        if not isinstance(s.get("id"), str) or not re.fullmatch(r"[a-z]+(-[a-z]+)*", s["id"]):
            err(f"{w}: id is not lower-case hyphenated")
        if not s.get("name"):
            err(f"{w}: no name")
        if s.get("ocean") not in OCEANS:
            err(f"{w}: ocean {s.get('ocean')!r}")
        if not isinstance(s.get("source"), str) or not s["source"].strip():
            err(f"{w}: no source")
        if ("lat" in s) != ("lon" in s):
            err(f"{w}: only one of lat/lon")
        for k, lim in (("lat", 90), ("lon", 180)):
            if k in s and (not isinstance(s[k], (int, float)) or abs(s[k]) > lim):
                err(f"{w}: {k} {s[k]!r}")
    print(f"seas.toml: {len(seas)} seas")


def states3_rows(countries: list[dict[str, str]]) -> list[dict[str, str]]:
    return [r for r in countries if r["sovereign_state"] == "yes"]


def check_aliases(rows: list[dict[str, str]], aliases: dict, places: set[str], actors: set[str]) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from aliases import fold  # standard library only

    seen = set()
    last = None
    for n, r in enumerate(rows, start=2):
        where = f"aliases.tsv:{n}"
        if r["place"] not in places:
            err(f"{where}: unknown place {r['place']!r}")
        srcs = r["source"].split(",")
        if not r["source"] or set(srcs) - ALIAS_SOURCES:
            err(f"{where}: source {r['source']!r} is not a list of {sorted(ALIAS_SOURCES)}")
        if not fold(r["alias"]):
            err(f"{where}: alias {r['alias']!r} has no letters or digits")
        key = (fold(r["alias"]), r["place"])
        if key in seen:
            err(f"{where}: {r['alias']!r} -> {r['place']} twice (after folding)")
        seen.add(key)
        order = (fold(r["alias"]), r["place"], r["alias"])
        if last is not None and order < last:
            err(f"{where}: not sorted by folded alias, place")
        last = order
    for i, a in enumerate(aliases.get("alias", [])):
        where = f"aliases.toml alias #{i + 1} ({a.get('name')!r})"
        if set(a) - ALIAS_KEYS:
            err(f"{where}: unknown keys {sorted(set(a) - ALIAS_KEYS)}")
        if ("place" in a) == ("actor" in a):
            err(f"{where}: give exactly one of place and actor")
        if a.get("place") is not None and a["place"] not in places:
            err(f"{where}: unknown place {a['place']!r}")
        if a.get("actor") is not None and a["actor"] not in actors:
            err(f"{where}: unknown actor {a['actor']!r}")
        if "source" not in a and "reason" not in a:
            err(f"{where}: needs a source or a reason")
        if (fold(a.get("name", "")), a.get("place")) in seen:
            err(f"{where}: aliases.tsv has it already")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", default=str(REPO / "library" / "gazetteer"))
    d = Path(ap.parse_args().dir)

    countries = read_tsv(d / "countries.tsv", COUNTRY_HEADER)
    check_countries(countries)
    by2 = {r["alpha2"]: r for r in countries}
    subdivisions = read_tsv(d / "subdivisions.tsv", SUBDIVISION_HEADER)
    check_subdivisions(subdivisions, by2)

    states3 = {r["alpha3"] for r in countries if r["sovereign_state"] == "yes"}
    current = [r for r in countries if r["status"] == "current"]
    nonstates = {r["alpha2"] for r in current if r["sovereign_state"] == "no"}
    names = {r["alpha2"]: r["name"] for r in countries}
    names.update({r["code"]: r["name"] for r in subdivisions})

    for fname, fn in (("territories.toml", lambda x: check_territories(x, names, states3, nonstates)),
                      ("seas.toml", check_seas)):
        try:
            with open(d / fname, "rb") as f:
                fn(tomllib.load(f))
        except (OSError, tomllib.TOMLDecodeError) as e:
            err(f"{fname}: {e}")

    alias_rows = read_tsv(d / "aliases.tsv", ALIAS_HEADER)
    try:
        with open(d / "aliases.toml", "rb") as f:
            hand = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as e:
        err(f"aliases.toml: {e}")
        hand = {}
    check_aliases(alias_rows, hand, set(names), {r["alpha3"] for r in states3_rows(countries)} | {"XKX"})

    states = [r for r in countries if r["sovereign_state"] == "yes"]
    print(f"aliases.tsv: {len(alias_rows)} rows; aliases.toml: {len(hand.get('alias', []))} entries")
    print(f"countries.tsv: {len(countries)} rows ({len(current)} current, "
          f"{len(countries) - len(current)} historic); {len(states)} sovereign_state=yes "
          f"({sum(r['status'] == 'current' for r in states)} current)")
    nocow = [r["alpha2"] for r in states if not r["cow_code"]]
    print(f"countries.tsv: sovereign states without cow_code: {len(nocow)} {nocow}")
    nopoint = [r["code"] for r in subdivisions if not r["lat"]]
    print(f"subdivisions.tsv: {len(subdivisions)} rows; without lat/lon: {len(nopoint)} {nopoint[:50]}")

    for w in warnings:
        print(f"warning: {w}")
    for e in errors:
        print(f"ERROR: {e}")
    print(f"{len(errors)} errors, {len(warnings)} warnings")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
