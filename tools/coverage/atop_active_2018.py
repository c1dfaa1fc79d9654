#!/usr/bin/env python3
"""Derive library/coverage/atop-active-2018.tsv from ATOP 5.1.

Selection: every alliance that ATOP codes as in effect on 2018-12-31 (alliance-level INEFFECT = 1)
and whose members still in it on that date (member-level rows with INEFFECT = 1) include at least
one DEFENSE = 1 or OFFENSE = 1 obligation. Members are those member-level rows, mapped from COW
codes to ISO alpha-3 through library/gazetteer/countries.tsv and the dated codes in
library/actors/actors.toml (the code held on 2018-12-31).

The hand-written columns (short name, status, casus commitment id or the reason there is none) come
from tools/coverage/atop-active-2018-notes.tsv. Every library/commitments/*.toml carrying `atop = N`
marks alliance N as encoded; the notes can also name a commitment whose file lacks `atop`. An alliance
without a note is written as not_searched.  A summary of the counts goes to standard error.

Usage (from the repository root):
    python3 tools/coverage/atop_active_2018.py --atop /work/shared/data/atop-5.1 \
        > library/coverage/atop-active-2018.tsv
"""
import argparse
import csv
import pathlib
import re
import sys
import tomllib

DAY = "2018-12-31"


def cow_to_iso(root):
    table = {}
    with open(root / "library/gazetteer/countries.tsv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if row["cow_code"] and row["status"] == "current":
                table.setdefault(int(row["cow_code"]), set()).add(row["alpha3"])
    actors = tomllib.loads((root / "library/actors/actors.toml").read_text(encoding="utf-8"))
    dated = {}
    for actor in actors.get("actor", []):
        for spell in actor.get("cow", []):
            if spell.get("from", "0000") <= DAY <= spell.get("until", "9999"):
                dated[spell["code"]] = actor["id"]
    out = {}
    for code, ids in table.items():
        out[code] = dated.get(code) or (ids.pop() if len(ids) == 1 else None)
    out.update(dated)
    return out


def encoded(root):
    found = {}
    for path in sorted((root / "library/commitments").glob("*.toml")):
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
        atop = doc.get("commitment", {}).get("atop")
        if atop is not None:
            found.setdefault(str(atop), []).append(doc["commitment"]["id"])
    return found


def notes(root):
    path = root / "tools/coverage/atop-active-2018-notes.tsv"
    out = {}
    if path.exists():
        with open(path, newline="", encoding="utf-8") as f:
            for row in csv.DictReader((l for l in f if not l.startswith("#")), delimiter="\t"):
                out[row["atopid"]] = row
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--atop", required=True, help="folder holding atop5_1a.csv and atop5_1m.csv")
    ap.add_argument("--root", default=".", help="repository root")
    args = ap.parse_args()
    root = pathlib.Path(args.root)
    atop = pathlib.Path(args.atop)
    iso = cow_to_iso(root)
    enc = encoded(root)
    note = notes(root)
    with open(atop / "atop5_1a.csv", newline="") as f:
        alliances = {r["atopid"]: r for r in csv.DictReader(f) if r["ineffect"] == "1"}
    members = {}
    with open(atop / "atop5_1m.csv", newline="") as f:
        for r in csv.DictReader(f):
            if r["atopid"] in alliances and r["ineffect"] == "1":
                members.setdefault(r["atopid"], []).append(r)
    w = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    w.writerow(["atopid", "name", "members", "defense", "offense", "begin", "status", "casus", "reason"])
    counts = {}
    for aid in sorted(alliances, key=int):
        ms = members.get(aid, [])
        d = sorted({iso.get(int(m["member"])) or "COW" + m["member"] for m in ms if m["defense"] == "1"})
        o = sorted({iso.get(int(m["member"])) or "COW" + m["member"] for m in ms if m["offense"] == "1"})
        if not d and not o:
            continue
        a = alliances[aid]
        allm = sorted({iso.get(int(m["member"])) or "COW" + m["member"] for m in ms})
        begin = f"{int(a['begyr']):04d}-{int(a['begmo'] or 0):02d}-{int(a['begday'] or 0):02d}"
        n = note.get(aid, {})
        ids = enc.get(aid, []) or [c for c in (n.get("casus") or "").split(",") if c]
        if ids:
            status, casus, reason = "encoded", ",".join(ids), n.get("reason") or ""
        else:
            status, casus = n.get("status") or "not_searched", ""
            reason = n.get("reason") or ("not yet looked for" if status == "not_searched" else "")
        counts[status] = counts.get(status, 0) + 1
        w.writerow([
            aid,
            n.get("name", ""),
            " ".join(allm),
            "all" if d == allm else (" ".join(d) if d else "none"),
            "all" if o == allm and o else (" ".join(o) if o else "none"),
            begin,
            status,
            casus,
            reason,
        ])
    total = sum(counts.values())
    print(f"{total} alliances in force on {DAY} with a defence or offence obligation: "
          + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())), file=sys.stderr)


if __name__ == "__main__":
    main()
