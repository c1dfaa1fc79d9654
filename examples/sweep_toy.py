# %% [markdown]
# # Sweeps from a notebook: which assumptions matter, and where a design fails
#
# A notebook-style script (cells marked `# %%`; open it in Jupyter with jupytext, or run it
# with `python examples/sweep_toy.py`). It uses the built-in `toy` scope, whose answers are
# known: the Ishigami function (Sobol indices known analytically) and a `response` that is
# low inside a planted box. The same calls run the built-in `ukraine` scope once its model
# is wired in.

# %%
import os
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor

import casus

out = sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix="casus-sweep-")

# %% [markdown]
# ## The scope: what varies, what is chosen, what is measured

# %%
scope = casus.scope("toy")
print([u["name"] for u in scope["uncertainties"]], [lv["name"] for lv in scope["levers"]])

# %% [markdown]
# ## A Saltelli design run on a process pool (any `concurrent.futures.Executor` works:
# a Dask cluster's `client.get_executor()` runs the same rows)

# %%
if __name__ == "__main__":
    with ProcessPoolExecutor(2) as pool:
        s = casus.sweep("toy", os.path.join(out, "sobol"), samples=1024, design="saltelli", executor=pool)
    print(s.run["rows"], "rows in", s.results_path)

    # %% [markdown]
    # ## Which uncertainties matter? First-order and total Sobol indices

    # %%
    for ix in s.sobol("ishigami", resamples=200)["groups"][0]["indices"]:
        print(f"{ix['factor']}: S1 {ix['first']:.2f} [{ix['first_low']:.2f}, {ix['first_high']:.2f}]"
              f"  ST {ix['total']:.2f} [{ix['total_low']:.2f}, {ix['total_high']:.2f}]")

    # %% [markdown]
    # ## Where does each design's response fall below 0.5? (PRIM)

    # %%
    with ProcessPoolExecutor(2) as pool:
        d = casus.sweep("toy", os.path.join(out, "lhs"), samples=2000, executor=pool)
    for g in d.discover("response", below=0.5)["groups"]:
        box = g["trajectory"][g["chosen"]]
        ranges = ", ".join(f"{lim['factor']} in [{lim['low']:.2f}, {lim['high']:.2f}]" for lim in box["limits"])
        print(f"{g['levers']['design']}: {ranges} (coverage {box['coverage']:.2f}, density {box['density']:.2f})")

    # %% [markdown]
    # ## The rows as a DataFrame (levers by name), when pandas is installed

    # %%
    try:
        df = d.to_pandas()
        print(df.groupby("design")["response"].mean())
    except ImportError:
        print("pandas not installed")
