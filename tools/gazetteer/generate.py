#!/usr/bin/env python3
"""Regenerate library/gazetteer/countries.tsv and subdivisions.tsv.

Inputs (all pinned, see requirements.txt and PINS below):
  * pycountry           ISO 3166-1 (current countries), ISO 3166-2 (subdivisions),
                        ISO 3166-3 (former countries)
  * iso3166-2           subdivision representative points (latLng)
  * country_converter   continent (column Continent_7) and UN membership (column UNmember)
  * countrycode         Correlates of War state codes (codelist column `cown`)
  * world-countries     (npm) country representative points (`latlng`); fetched with
                        `npm pack` unless --world-countries points at a local copy
  * cldr-localenames-full (npm) CLDR English territory names and their short and variant
                        forms, for aliases.tsv (see aliases.py); fetched with `npm pack`
                        unless --cldr points at a local copy

Usage (in a throwaway venv, never inside the repo):
  python3 -m venv /tmp/gzvenv
  /tmp/gzvenv/bin/pip install -r tools/gazetteer/requirements.txt
  /tmp/gzvenv/bin/python tools/gazetteer/generate.py [--world-countries PATH] [--cldr PATH] [--out DIR]

Output is deterministic: rows sorted by code, UTF-8, LF line ends, tab-separated,
lat/lon formatted with exactly 4 decimals.
"""
from __future__ import annotations

import argparse
import base64
import csv
import hashlib
import importlib.metadata
import importlib.resources
import io
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from aliases import ALIAS_HEADER, build_aliases, check_hand  # noqa: E402

PINS = {
    "pycountry": "26.2.16",
    "iso3166-2": "1.8.4",
    "country_converter": "1.3.2",
    "countrycode": "0.6.0",
}
WORLD_COUNTRIES = "world-countries@5.1.0"
WORLD_COUNTRIES_INTEGRITY = (
    "sha512-CXR6EBvTbArDlDDIWU3gfKb7Qk0ck2WNZ234b/A0vuecPzIfzzxH+O6Ejnvg1sT8XuiZjVlzOH0h08ZtaO7g0w=="
)

CLDR = "cldr-localenames-full@48.2.0"
CLDR_INTEGRITY = (
    "sha512-4o0paYDz0UXhfhChAVFkmVl2CP0YTSEqE6WrC0fNafaSC5u5DAXphxH3SZ1Ujczarikr8DToKZfiok6EqWLdNQ=="
)

REPO = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO / "library" / "gazetteer"

COUNTRY_HEADER = ["alpha2", "alpha3", "numeric", "name", "continent", "lat", "lon",
                  "sovereign_state", "cow_code", "status"]
SUBDIVISION_HEADER = ["code", "name", "type", "parent", "lat", "lon"]
CONTINENTS = {"africa", "antarctica", "asia", "europe", "north_america", "oceania", "south_america"}

# States that are not UN members but count as states here (FORMAT.md: UN members and
# observer states, plus TWN): the two UN General Assembly observer states and Taiwan.
EXTRA_STATES = {"VA", "PS", "TW"}

# ISO 3166-3 former countries.  Rule: a former country is kept when neither its alpha-2
# nor its alpha-3 is a current ISO 3166-1 code.  Two former countries share alpha-2 "CS"
# (Czechoslovakia CSK, withdrawn 1993; Serbia and Montenegro SCG, withdrawn 2006); the
# alpha-2 is the row key, so only one can be kept.  We keep Czechoslovakia (a state for
# the whole Cold War period that treaties such as the Warsaw Pact name) and drop SCG.
HISTORIC_DROP = {"SCG": "alpha-2 CS is also Czechoslovakia's (CSK), which is kept"}

# Former countries that were sovereign states under that ISO entry, mapped to the row of
# countrycode's codelist (column `country.name.en`) that holds their COW code.  COW keeps
# one code per state across renames (Burma/Myanmar 775, Dahomey/Benin 434, Upper Volta/
# Burkina Faso 439, Zaire/DR Congo 490, DR Vietnam/Vietnam 816) and uses 365 for both the
# USSR and Russia, so those rows are the successor's.  Entries that are only a former
# *name* of a state that still exists (Burma BU, Dahomey DY, Upper Volta HV, Zaire ZR) are
# not separate actors: casus has one actor per state, the current one, so they are kept as
# places only (sovereign_state=no).  The other former entries were
# dependencies, trust territories, zones or statistical groupings: sovereign_state=no.
HISTORIC_STATES = {
    "SU": "Russia",
    "DD": "German Democratic Republic",
    "YU": "Yugoslavia",
    "CS": "Czechoslovakia",
    "VD": "Vietnam",
    "YD": "Yemen People's Republic",
}

# Continent of a former country: that of the current code named by the last two letters
# of its ISO 3166-3 alpha-4 code (the successor) when that is a current code; otherwise:
HISTORIC_CONTINENT = {
    "AN": "north_america",  # Netherlands Antilles (Caribbean), alpha-4 ANHH
    "CS": "europe",         # Czechoslovakia, CSHH
    "NT": "asia",           # Saudi-Iraqi Neutral Zone, NTHH
    "PC": "oceania",        # Trust Territory of the Pacific Islands, PCHH
    "SU": "europe",         # USSR, SUHH (as Russia in country_converter's Continent_7)
    "YU": "europe",         # Yugoslavia, YUCS (CS is not a current code)
}


# Known-bad subdivision points in iso3166-2 1.8.4, found by tools/gazetteer/check.py-style
# review (duplicate points; points nearer another ISO 3166-1 entry than their own country):
#  * NL-BQ1/NL-BQ2/NL-BQ3 (Bonaire, Saba, Sint Eustatius) all carry one point in the
#    European Netherlands (52.7278, 5.0133).  The same islands are also listed under
#    ISO 3166-1 BQ as BQ-BO/BQ-SA/BQ-SE, whose points in the same package are correct,
#    so those are used.
#  * CN-TW carries a point in Hong Kong (22.3694, 114.1085).  The island is ISO 3166-1
#    TW; world-countries' point for TW is used instead.
POINT_FROM_SUBDIVISION = {"NL-BQ1": "BQ-BO", "NL-BQ2": "BQ-SA", "NL-BQ3": "BQ-SE"}
POINT_FROM_COUNTRY = {"CN-TW": "TW"}


def die(msg: str) -> None:
    print(f"generate.py: {msg}", file=sys.stderr)
    sys.exit(1)


def check_pins() -> None:
    for dist, want in PINS.items():
        try:
            got = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            die(f"{dist} is not installed (pip install -r tools/gazetteer/requirements.txt)")
        if got != want:
            die(f"{dist} {got} installed, {want} pinned")


def load_world_countries(path: str | None) -> list[dict]:
    """Return world-countries' countries.json as a list of dicts."""
    if path is None:
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(["npm", "pack", WORLD_COUNTRIES, "--pack-destination", tmp, "--silent"],
                           check=True, stdout=subprocess.DEVNULL)
            tgz = next(Path(tmp).glob("world-countries-*.tgz"))
            return read_world_countries_tgz(tgz.read_bytes())
    p = Path(path)
    if p.suffix == ".tgz":
        return read_world_countries_tgz(p.read_bytes())
    return json.loads(p.read_text(encoding="utf-8"))


def npm_pack(spec: str, integrity: str, path: str | None) -> bytes:
    """The npm tarball of `spec`, from `path` or `npm pack`, checked against `integrity`."""
    if path is None:
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(["npm", "pack", spec, "--pack-destination", tmp, "--silent"],
                           check=True, stdout=subprocess.DEVNULL)
            blob = next(Path(tmp).glob("*.tgz")).read_bytes()
    else:
        blob = Path(path).read_bytes()
    got = "sha512-" + base64.b64encode(hashlib.sha512(blob).digest()).decode()
    if got != integrity:
        die(f"{spec} tarball integrity {got} != pinned {integrity}")
    return blob


def load_cldr(path: str | None) -> dict:
    """CLDR's English territory names (with `-alt-short` / `-alt-variant` keys)."""
    blob = npm_pack(CLDR, CLDR_INTEGRITY, path)
    with tarfile.open(fileobj=io.BytesIO(blob), mode="r:gz") as tf:
        data = json.load(tf.extractfile("package/main/en/territories.json"))
    return data["main"]["en"]["localeDisplayNames"]["territories"]


def read_world_countries_tgz(blob: bytes) -> list[dict]:
    got = "sha512-" + base64.b64encode(hashlib.sha512(blob).digest()).decode()
    if got != WORLD_COUNTRIES_INTEGRITY:
        die(f"{WORLD_COUNTRIES} tarball integrity {got} != pinned {WORLD_COUNTRIES_INTEGRITY}")
    with tarfile.open(fileobj=io.BytesIO(blob), mode="r:gz") as tf:
        return json.load(tf.extractfile("package/countries.json"))


def fmt_coord(v) -> str:
    if v is None or v == "":
        return ""
    r = round(float(v), 4)
    if r == 0:
        r = 0.0  # no "-0.0000"
    return f"{r:.4f}"


def clean(v) -> str:
    s = "" if v is None else str(v)
    if any(c in s for c in "\t\r\n"):
        die(f"value contains a tab or line break: {s!r}")
    return s


def write_tsv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write("\t".join(header) + "\n")
        for row in rows:
            assert len(row) == len(header), row
            f.write("\t".join(clean(v) for v in row) + "\n")


def country_converter_table() -> dict[str, dict]:
    # Read the package's data file directly: country_converter's CountryConverter class
    # does not load with pandas 3, and only two columns are needed.
    text = (importlib.resources.files("country_converter") / "country_data.tsv").read_text(encoding="utf-8")
    # Keyed by ISO3: the ISO2 column holds regexes for a few rows (e.g. "^GB$|^UK$").
    out = {}
    for row in csv.DictReader(io.StringIO(text), delimiter="\t"):
        if row["ISO3"]:
            if row["ISO3"] in out:
                die(f"country_converter lists ISO3 {row['ISO3']} twice")
            out[row["ISO3"]] = row
    return out


def continent_key(label: str) -> str:
    key = label.strip().lower().replace(" ", "_")
    if key not in CONTINENTS:
        die(f"unknown continent {label!r}")
    return key


def build_countries(world: list[dict]) -> list[list[str]]:
    import pycountry
    from countrycode.countrycode import prepare_codelist

    cc = country_converter_table()
    codelist = prepare_codelist()
    cown_by_iso3 = {}
    cown_by_name = {}
    for iso3, name, cown in zip(codelist["iso3c"], codelist["country.name.en"], codelist["cown"]):
        if cown is not None:
            if iso3:
                cown_by_iso3[iso3] = str(int(cown))
            cown_by_name[name] = str(int(cown))
    latlng = {c["cca2"]: c.get("latlng") or [] for c in world}

    rows = []
    current2, current3 = set(), set()
    continent_of = {}
    for c in pycountry.countries:
        current2.add(c.alpha_2)
        current3.add(c.alpha_3)
        ccrow = cc.get(c.alpha_3)
        if ccrow is None or not ccrow["Continent_7"]:
            die(f"country_converter has no Continent_7 for {c.alpha_2}")
        continent = continent_key(ccrow["Continent_7"])
        continent_of[c.alpha_2] = continent
        state = bool(ccrow["UNmember"].strip()) or c.alpha_2 in EXTRA_STATES
        ll = latlng.get(c.alpha_2) or [None, None]
        rows.append([
            c.alpha_2, c.alpha_3, c.numeric, c.name, continent,
            fmt_coord(ll[0]), fmt_coord(ll[1]),
            "yes" if state else "no",
            cown_by_iso3.get(c.alpha_3, "") if state else "",
            "current",
        ])

    seen2 = set(current2)
    for h in sorted(pycountry.historic_countries, key=lambda h: (h.alpha_2, h.alpha_3)):
        if h.alpha_2 in current2 or h.alpha_3 in current3 or h.alpha_3 in HISTORIC_DROP:
            continue
        if h.alpha_2 in seen2:
            die(f"former country {h.alpha_3} reuses alpha-2 {h.alpha_2}; extend HISTORIC_DROP")
        seen2.add(h.alpha_2)
        successor = h.alpha_4[2:]
        continent = continent_of.get(successor) or HISTORIC_CONTINENT.get(h.alpha_2)
        if continent is None:
            die(f"no continent for former country {h.alpha_2} ({h.alpha_4})")
        state = h.alpha_2 in HISTORIC_STATES
        cow = ""
        if state:
            cow = cown_by_name.get(HISTORIC_STATES[h.alpha_2], "")
            if not cow:
                die(f"countrycode has no cown for {HISTORIC_STATES[h.alpha_2]!r}")
        rows.append([
            h.alpha_2, h.alpha_3, getattr(h, "numeric", "") or "", h.name, continent,
            "", "",  # no cited representative point for former countries
            "yes" if state else "no", cow, "historic",
        ])
    unused = set(HISTORIC_STATES) - seen2
    if unused:
        die(f"HISTORIC_STATES names codes that are not emitted: {sorted(unused)}")
    rows.sort(key=lambda r: r[0])
    return rows


def build_subdivisions(world: list[dict]) -> list[list[str]]:
    import pycountry

    data = json.loads((importlib.resources.files("iso3166_2") / "iso3166-2.json").read_text(encoding="utf-8"))
    points = {}
    for country in data.values():
        for code, entry in country.items():
            ll = entry.get("latLng")
            if ll and len(ll) == 2 and ll[0] is not None and ll[1] is not None:
                points[code] = ll
    for code, other in POINT_FROM_SUBDIVISION.items():
        points[code] = points[other]
    country_points = {c["cca2"]: c.get("latlng") for c in world}
    for code, cca2 in POINT_FROM_COUNTRY.items():
        points[code] = country_points[cca2]
    rows = []
    for s in pycountry.subdivisions:
        ll = points.get(s.code) or [None, None]
        rows.append([s.code, s.name, s.type, s.parent_code or "", fmt_coord(ll[0]), fmt_coord(ll[1])])
    rows.sort(key=lambda r: r[0])
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--world-countries", help="world-countries .tgz (integrity-checked) or countries.json")
    ap.add_argument("--cldr", help="cldr-localenames-full .tgz (integrity-checked)")
    ap.add_argument("--report", help="write the alias report (ambiguities, country_converter check) here as JSON")
    ap.add_argument("--out", default=str(DEFAULT_OUT), help="output directory (default library/gazetteer)")
    args = ap.parse_args()
    check_pins()
    world = load_world_countries(args.world_countries)
    out = Path(args.out)
    countries = build_countries(world)
    subdivisions = build_subdivisions(world)
    write_tsv(out / "countries.tsv", COUNTRY_HEADER, countries)
    write_tsv(out / "subdivisions.tsv", SUBDIVISION_HEADER, subdivisions)
    aliases, report = build_aliases(countries, subdivisions, load_cldr(args.cldr))
    write_tsv(out / "aliases.tsv", ALIAS_HEADER, aliases)
    report.update(check_hand(DEFAULT_OUT / "aliases.toml"))
    if args.report:
        Path(args.report).write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"countries.tsv: {len(countries)} rows "
          f"({sum(r[9] == 'current' for r in countries)} current, "
          f"{sum(r[9] == 'historic' for r in countries)} historic)")
    print(f"subdivisions.tsv: {len(subdivisions)} rows "
          f"({sum(not r[4] for r in subdivisions)} without lat/lon)")
    print(f"aliases.tsv: {report['rows']} rows ({report['countries']} for countries, "
          f"{report['subdivisions']} for subdivisions; {len(report['ambiguous'])} names name several places; "
          f"country_converter agrees on {report['coco_agree']} country aliases, not on "
          f"{len(report['coco_disagree'])}); aliases.toml: {report['hand_entries']} entries, "
          f"country_converter disagrees on {len(report['hand_cc_disagree'])} of the "
          f"{report['hand_cc_checked']} that cite it")


if __name__ == "__main__":
    main()
