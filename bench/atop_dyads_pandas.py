"""ATOP 5.1 directed dyad-year obligations from the member-level file, written in pandas the
way a researcher would: a self-merge of members within each alliance phase, a year range
exploded per pair, the same rules casus uses (pairs that never overlap dropped, the later
phase speaks for a year two phases share, ATOP's directed corrections for OBVARY alliances),
then the flags OR-ed (max) over alliances.

It is the reference `cargo bench -p casus-history` measures casus against.
Usage: python3 bench/atop_dyads_pandas.py MEMBERS.csv CORRECTIONS.tsv [OUT.csv]
Prints one JSON line: {"rows": N, "seconds": s}.
"""

import json
import sys
import time

import pandas as pd

OB = ["defense", "offense", "neutral", "nonagg", "consul"]


def derive(members_csv, corrections_tsv):
    m = pd.read_csv(members_csv)
    m = m[m["member"] < 1000].copy()
    m["ent"] = m["yrent"] * 10000 + m["moent"] * 100 + m["dayent"].fillna(1)
    open_ = m["yrexit"] == 0
    m["ext"] = m["yrexit"] * 10000 + m["moexit"] * 100 + m["dayexit"].fillna(31)
    m.loc[open_, "ext"] = 99999999
    m["y0"] = m["yrent"]
    m["y1"] = m["yrexit"].where(~open_, 2018)
    cols = ["atopid", "phase", "member", "ent", "ext", "y0", "y1"] + OB
    p = m[cols].merge(m[cols], on=["atopid", "phase"], suffixes=("_a", "_b"))
    p = p[p["member_a"] != p["member_b"]]
    p = p[~((p["ent_b"] >= p["ext_a"]) | (p["ent_a"] >= p["ext_b"]))]
    p["lo"] = p[["y0_a", "y0_b"]].max(axis=1)
    p["hi"] = p[["y1_a", "y1_b"]].min(axis=1)
    p = p[p["lo"] <= p["hi"]]
    # Directed corrections.
    c = pd.read_csv(corrections_tsv, sep="\t", comment="#", header=None, names=["atopid", "phase", "member_a", "member_b", "withheld", "note"])
    c = c.assign(withheld=c["withheld"].str.split(",")).explode("withheld")
    for o in OB:
        w = c[c["withheld"] == o][["atopid", "phase", "member_a", "member_b"]].assign(**{"w_" + o: 1})
        p = p.merge(w, on=["atopid", "phase", "member_a", "member_b"], how="left")
        p[o + "_a"] = p[o + "_a"].where(p["w_" + o].isna(), 0)
        p = p.drop(columns="w_" + o)
    p["year"] = [list(range(a, b + 1)) for a, b in zip(p["lo"], p["hi"])]
    p = p.explode("year")
    p["year"] = p["year"].astype(int)
    # The later phase speaks for a year two phases share.
    p = p.sort_values(["atopid", "member_a", "member_b", "year", "phase"])
    p = p.drop_duplicates(["atopid", "member_a", "member_b", "year"], keep="last")
    out = p.groupby(["member_a", "member_b", "year"])[[o + "_a" for o in OB]].max().reset_index()
    out.columns = ["ccode1", "ccode2", "year"] + OB
    return out


if __name__ == "__main__":
    t = time.perf_counter()
    out = derive(sys.argv[1], sys.argv[2])
    secs = time.perf_counter() - t
    if len(sys.argv) > 3:
        out.to_csv(sys.argv[3], index=False)
    print(json.dumps({"rows": len(out), "seconds": secs}))
