"""Build library/gazetteer/aliases.tsv: the other names people type for countries and
subdivisions (common English names, former names, codes such as "UK"), each with the
sources that give it.  Imported by generate.py, which pins the packages.

Sources, per place (see PROVENANCE.md):
  cldr          CLDR 48.2 English territory name (npm cldr-localenames-full, main/en)
  cldr-short    CLDR "alt-short" form ("UK", "US", "Myanmar")
  cldr-variant  CLDR "alt-variant" form ("Turkey", "Ivory Coast", "Czech Republic")
  iso-official  pycountry official_name ("Islamic Republic of Iran")
  iso-common    pycountry common_name ("South Korea", "Taiwan")
  iso-inverted  an ISO name "X, Y of" read as "Y of X" and as "X" ("Moldova")
  iso-former    the ISO 3166-3 name of a former entry that is the same territory under an
                earlier name (RENAMED below), pointed at the current code
  coco-short    country_converter name_short ("Vatican", "DR Congo")
  coco-official country_converter name_official
  coco-iso2     a literal code in country_converter's ISO2 pattern ("^GB$|^UK$" -> "UK")
  iso3166-2-eng an English-tagged name of a subdivision in the iso3166-2 package's
                localOtherName ("Crimea (eng)" for UA-43, "Donetsk (eng)" for UA-14)

An alias is left out when it is (after folding case, accents and punctuation) the place's
own name in the table or one of its codes.  Names that stay ambiguous (one alias, several
places) are kept: casus reports them as ambiguous, or ranks them (FORMAT.md).
Every country-level alias is also run through country_converter's name patterns; the
places it maps the alias to are reported, never silently trusted (PROVENANCE.md).
"""
from __future__ import annotations

import csv
import importlib.resources
import io
import json
import re
import unicodedata

ALIAS_HEADER = ["alias", "place", "source"]

# ISO 3166-3 entries that are the territory of a current state under a former name (the
# state was renamed, or the colony became that state at independence with the same
# borders).  Their names are aliases of the current code, so "Zaire" finds DR Congo.
# Not here: zones and dependencies merged into another entry (PZ, JT, MI, WK, PU, CT, NQ,
# FX, AN, PC, NT), and the former states casus keeps as actors (SU, DD, YU, CS, VD, YD).
RENAMED = {"BU", "DY", "HV", "ZR", "TP", "NH", "RH"}

# ISO 3166-3 entries dropped from countries.tsv (code reused) that are the whole territory
# of one current state under a former name: their name is an alias of that state.
FORMER_DROPPED = {"BYS": "BY", "AFI": "DJ"}

_EXTRA = {"ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ß": "ss", "æ": "ae",
          "Æ": "ae", "œ": "oe", "Œ": "oe", "ı": "i", "þ": "th", "ð": "d", "&": " and "}


def fold(s: str) -> str:
    """The key casus compares names by (crates/casus-model/src/lookup.rs `fold`): accents
    and case folded, dots and apostrophes dropped, other punctuation a space, a leading
    "the" dropped."""
    s = "".join(_EXTRA.get(c, c) for c in s)
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = re.sub(r"[.'\u2019\u2018\u02bb\u02bc`]", "", s)
    s = re.sub(r"[^0-9a-z]+", " ", s).strip()
    if s.startswith("the "):
        s = s[4:]
    return s


GENERIC = {"the", "of", "and", "city", "state", "region", "republic", "province", "county", "district",
           "oblast", "autonomous", "territory", "island", "islands", "north", "south", "east", "west",
           "northern", "southern", "eastern", "western", "central", "saint", "new", "great", "capital"}


def looks_like(alias: str, name: str) -> bool:
    """Whether an English name shares a word's first three letters with the ISO name (beyond
    generic words): "Donetsk" for "Donetska oblast", "Moscow City" for "Moskva", but not the
    nicknames iso3166-2 also lists ("The Aloha State", "Blighty")."""
    def stems(s: str) -> set[str]:
        return {w[:3] for w in fold(s).split() if len(w) >= 3 and w not in GENERIC}
    return bool(stems(alias) & stems(name))


def inverted(name: str) -> list[str]:
    """ "Korea, Republic of" -> ["Republic of Korea", "Korea"]."""
    if ", " not in name:
        return []
    head, tail = name.split(", ", 1)
    out = [head]
    if re.search(r"\bof( the)?$", tail):
        out.insert(0, f"{tail} {head}")
    return out


def coco_rows() -> list[dict]:
    text = (importlib.resources.files("country_converter") / "country_data.tsv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text), delimiter="\t"))


def coco_matcher(rows: list[dict]):
    """country_converter's own rule: a name maps to every row whose `regex` matches it
    (case-insensitive search).  Returns alias -> sorted ISO2 codes."""
    pats = []
    for r in rows:
        iso2 = r["ISO2"] if re.fullmatch(r"[A-Z]{2}", r["ISO2"] or "") else None
        if iso2 is None:
            m = re.findall(r"\^([A-Z]{2})\$", r["ISO2"] or "")
            iso2 = m[0] if m else None
        if iso2 and r["regex"]:
            pats.append((iso2, re.compile(r["regex"], re.IGNORECASE)))

    def match(name: str) -> list[str]:
        return sorted({c for c, p in pats if p.search(name)})

    return match


def check_hand(path) -> dict:
    """Runs the hand-kept aliases.toml entries that cite country_converter ("CC:") through its
    patterns: each must map to exactly the entry's place."""
    import tomllib

    with open(path, "rb") as f:
        entries = tomllib.load(f).get("alias", [])
    match = coco_matcher(coco_rows())
    cc = [a for a in entries if str(a.get("source", "")).startswith("CC:")]
    bad = [f"{a['name']} -> {a.get('place')}; country_converter: {','.join(match(a['name'])) or 'none'}"
           for a in cc if match(a["name"]) != [a.get("place")]]
    return {"hand_entries": len(entries), "hand_cc_checked": len(cc), "hand_cc_disagree": bad}


def build_aliases(countries: list[list[str]], subdivisions: list[list[str]], cldr: dict) -> tuple[list[list[str]], dict]:
    import pycountry

    known = {r[0] for r in countries} | {r[0] for r in subdivisions}
    historic = {r[0] for r in countries if r[9] == "historic"}
    current = {r[0] for r in countries if r[9] == "current"}
    own = {}  # place -> folded strings that need no alias (its name and codes)
    for r in countries:
        own[r[0]] = {fold(r[0]), fold(r[1]), fold(r[3])}
    for r in subdivisions:
        own[r[0]] = {fold(r[0]), fold(r[1])}
    sub_names_by_country: dict[str, set[str]] = {}
    for r in subdivisions:
        sub_names_by_country.setdefault(r[0].split("-")[0], set()).add(fold(r[1]))

    found: dict[tuple[str, str], set[str]] = {}  # (place, alias) -> sources
    spelling: dict[tuple[str, str], str] = {}    # (place, folded) -> first spelling seen

    def add(place: str, alias: str, source: str) -> None:
        alias = re.sub(r"\s+", " ", alias).strip()
        if not alias or place not in known:
            return
        key = fold(alias)
        if not key or key in own[place]:
            return
        # A country-level name that is a subdivision's name (country_converter maps
        # "England" to GB) names the part, not the whole: left to the subdivision.
        if "-" not in place and key in sub_names_by_country.get(place, set()):
            return
        spelling.setdefault((place, key), alias)
        found.setdefault((place, spelling[(place, key)]), set()).add(source)

    # CLDR English names.
    for k, v in cldr.items():
        code, _, alt = k.partition("-alt-")
        if code not in current:
            continue
        add(code, v, "cldr" if not alt else ("cldr-short" if alt == "short" else "cldr-variant"))

    # pycountry ISO 3166-1.
    for c in pycountry.countries:
        for attr, src in (("official_name", "iso-official"), ("common_name", "iso-common")):
            v = getattr(c, attr, None)
            if v:
                add(c.alpha_2, v, src)
        for v in inverted(c.name):
            add(c.alpha_2, v, "iso-inverted")
        if getattr(c, "official_name", None):
            for v in inverted(c.official_name):
                add(c.alpha_2, v, "iso-inverted")

    # ISO 3166-3 former entries.
    current_names = {fold(r[3]) for r in countries if r[9] == "current"}
    kept3 = {r[1] for r in countries}
    for h in pycountry.historic_countries:
        names = [h.name] + inverted(h.name)
        if h.alpha_2 in historic and h.alpha_3 in kept3:
            target = h.alpha_4[2:] if h.alpha_2 in RENAMED else h.alpha_2
            src = "iso-former" if h.alpha_2 in RENAMED else "iso-inverted"
        elif h.alpha_3 in FORMER_DROPPED:
            target, src = FORMER_DROPPED[h.alpha_3], "iso-former"
        else:
            continue
        for v in names:
            # "Yemen" (from "Yemen, Democratic") and "France" (from "France, Metropolitan")
            # are current countries' names: not aliases of the former entry.
            if fold(v) in current_names and v != h.name:
                continue
            add(target, v, src)

    # country_converter names and literal codes.
    coco = coco_rows()
    alpha2_of = {r[1]: r[0] for r in countries}  # ISO3 -> alpha-2, former entries included
    for r in coco:
        a2 = alpha2_of.get(r["ISO3"])
        if a2 is None:
            continue
        add(a2, re.sub(r"\s*\(former\)$", "", r["name_short"]), "coco-short")
        add(a2, re.sub(r"\s*\(former\)$", "", r["name_official"]), "coco-official")
        for code in re.findall(r"\^([A-Z]{2})\$", r["ISO2"] or ""):
            add(a2, code, "coco-iso2")

    # iso3166-2: English-tagged other names of subdivisions that look like the ISO name.
    iso_name = {r[0]: r[1] for r in subdivisions}
    data = json.loads((importlib.resources.files("iso3166_2") / "iso3166-2.json").read_text(encoding="utf-8"))
    for country in data.values():
        for code, entry in country.items():
            other = entry.get("localOtherName") or ""
            for part in other.split(", "):
                m = re.fullmatch(r"(.+?) \(eng\)", part.strip())
                if m and code in iso_name and looks_like(m.group(1), iso_name[code]):
                    add(code, m.group(1), "iso3166-2-eng")

    # The English names of subdivisions in iso3166-2 include nicknames ("Sunshine State",
    # "Second City") that several places share.  Such a name is kept only when it names
    # one place and is no other place's name or alias: "Crimea" stays, "Capital Region" and
    # "Taiwan" (CN-TW, against the country TW) go.
    taken: dict[str, set[str]] = {}
    for place, keys in own.items():
        for k in keys:
            taken.setdefault(k, set()).add(place)
    eng: dict[str, set[str]] = {}
    for (place, alias), srcs in found.items():
        if srcs == {"iso3166-2-eng"}:
            eng.setdefault(fold(alias), set()).add(place)
        else:
            taken.setdefault(fold(alias), set()).add(place)
    dropped_eng = 0
    for (place, alias), srcs in list(found.items()):
        k = fold(alias)
        if srcs == {"iso3166-2-eng"} and (len(eng[k]) > 1 or taken.get(k, set()) - {place}):
            del found[(place, alias)]
            dropped_eng += 1

    rows = sorted(
        ([alias, place, ",".join(sorted(srcs))] for (place, alias), srcs in found.items()),
        key=lambda r: (fold(r[0]), r[1], r[0]),
    )

    # Report: names that name several places, and country_converter's view of each
    # country-level alias.
    by_key: dict[str, set[str]] = {}
    for alias, place, _ in rows:
        by_key.setdefault(fold(alias), set()).add(place)
    match = coco_matcher(coco)
    agree = disagree = 0
    disagreements = []
    for alias, place, _ in rows:
        if "-" in place:
            continue
        got = match(alias)
        if got == [place]:
            agree += 1
        else:
            disagree += 1
            disagreements.append(f"{alias} -> {place}; country_converter: {','.join(got) or 'none'}")
    report = {
        "rows": len(rows),
        "countries": sum("-" not in r[1] for r in rows),
        "subdivisions": sum("-" in r[1] for r in rows),
        "sources": {s: sum(s in r[2].split(",") for r in rows) for s in sorted({s for r in rows for s in r[2].split(",")})},
        "ambiguous": sorted(f"{k}: {' '.join(sorted(v))}" for k, v in by_key.items() if len(v) > 1),
        "subdivision_names_dropped_as_shared": dropped_eng,
        "coco_agree": agree,
        "coco_disagree": disagreements,
    }
    return rows, report
