"""The credibility model's trial loop written the way an analyst would in vectorised NumPy.

It is the reference `cargo bench -p casus-sim` measures casus against: the same draws per
trial (a common shock, then per guarantor: an own shock, a uniform for approval, and three
normals for the decision, approval and deployment delays), the same honour rule (a Gaussian
copula with correlation rho against per-guarantor thresholds), approval, log-normal delays,
and the same per-trial outputs (any military response, first arrival, committed capability).
Guarantors decide alone here, as under NATO Art. 5 in casus's encoding.

Usage: python3 bench/credibility_numpy.py --trials 200000 --guarantors 32 [--repeat 3]
Prints one JSON line: {"trials": N, "seconds": s, "trials_per_second": r, "p_any": p}, from
the fastest of the repeats (casus's side of the benchmark is also its best of three).
"""

import argparse
import json
import time

import numpy as np
from statistics import NormalDist


def simulate(trials, p_honour, p_approve, rho, dec, app, dep, sigma, capability, attacker, rng, chunk=20_000):
    n = len(p_honour)
    threshold = np.array([NormalDist().inv_cdf(p) for p in p_honour])
    a, b = np.sqrt(rho), np.sqrt(1 - rho)
    any_mil = 0
    within_30 = 0
    ratios = []
    done = 0
    while done < trials:
        m = min(chunk, trials - done)
        common = rng.standard_normal(m)
        own = rng.standard_normal((m, n))
        u = rng.random((m, n))
        z_dec = rng.standard_normal((m, n))
        z_app = rng.standard_normal((m, n))
        z_dep = rng.standard_normal((m, n))
        honour = (a * common[:, None] + b * own) < threshold
        responds = honour & (u < p_approve)
        arrive = dec * np.exp(sigma * z_dec) + app * np.exp(sigma * z_app) + dep * np.exp(sigma * z_dep)
        arrive = np.where(responds, arrive, np.inf)
        first = arrive.min(axis=1)
        any_mil += int(responds.any(axis=1).sum())
        within_30 += int((first <= 30).sum())
        ratios.append((responds * capability).sum(axis=1) / attacker)
        done += m
    ratio = np.concatenate(ratios)
    return any_mil / trials, within_30 / trials, float(np.median(ratio))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--trials", type=int, default=200_000)
    ap.add_argument("--guarantors", type=int, default=32)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    n = args.guarantors
    p_honour = [0.35 + 0.01 * (i % 10) for i in range(n)]
    p_approve = np.full(n, 0.9)
    capability = np.full(n, 0.002)
    seconds = float("inf")
    for _ in range(max(args.repeat, 1)):
        rng = np.random.default_rng(args.seed)
        start = time.perf_counter()
        p_any, _, _ = simulate(args.trials, p_honour, p_approve, 0.5, 1.0, 3.0, 10.0, 0.8, capability, 0.03, rng)
        seconds = min(seconds, time.perf_counter() - start)
    print(json.dumps({"trials": args.trials, "seconds": seconds, "trials_per_second": args.trials / seconds, "p_any": p_any}))


if __name__ == "__main__":
    main()
