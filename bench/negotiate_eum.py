"""Bueno de Mesquita's expected utility model, Scholz et al. (2011) reading ("scholz"
setting of casus-negotiate), written plainly in Python for the benchmark
`cargo bench -p casus-negotiate --bench models`.

Input (from the bench): one issue per line, `c s x;c s x;...` (salience 0-1).
Usage: python3 bench/negotiate_eum.py ISSUES.txt ROUNDS REPEATS
Prints: seconds per pass over all issues (best of REPEATS), then a checksum
(sum of final weighted medians and means) to compare with the Rust run.
"""
import sys
import time


def weighted_median(c, s, x):
    order = sorted(range(len(x)), key=lambda i: x[i])
    total = sum(c[i] * s[i] for i in range(len(x)))
    acc = 0.0
    for i in order:
        acc += c[i] * s[i]
        if acc >= total / 2.0 - 1e-12 * total:
            return x[i]
    return x[order[-1]]


def weighted_mean(c, s, x):
    num = den = 0.0
    for i in range(len(x)):
        w = c[i] * s[i]
        num += x[i] * w
        den += w
    return num / den


def run(c, s, x0, rounds, q=1.0):
    n = len(x0)
    x = list(x0)
    rng = max(x) - min(x)
    for _ in range(rounds):
        if rng <= 0 or n < 2:
            break

        def dist(r):
            return [[(abs(x[k] - x[a]) / rng) ** r[k] for a in range(n)] for k in range(n)]

        def all_pairs(d):
            total = 0.0
            for k in range(n):
                row = 0.0
                for a in range(n):
                    for b in range(n):
                        row += abs(d[k][b] - d[k][a])
                total += c[k] * s[k] * row
            return total

        def prob(i, j, d, den):
            num = 0.0
            for k in range(n):
                v = c[k] * s[k] * (d[k][j] - d[k][i])
                if v > 0:
                    num += v
            return num / den if den > 0 else 0.5

        def eu(i, j, r, p):
            dd = abs(x[i] - x[j]) / rng
            us = 2 - 4 * (0.5 - 0.5 * dd) ** r
            uf = 2 - 4 * (0.5 + 0.5 * dd) ** r
            usq = 2 - 4 * 0.5 ** r
            return s[j] * (p * us + (1 - p) * uf) + (1 - s[j]) * us - q * usq

        ones = [1.0] * n
        d1 = dist(ones)
        den1 = all_pairs(d1)
        danger = [sum(eu(j, i, 1.0, prob(j, i, d1, den1)) for j in range(n) if j != i) for i in range(n)]
        hi, lo = max(danger), min(danger)
        r = []
        for i in range(n):
            big = (2 * danger[i] - hi - lo) / (hi - lo) if hi > lo else 0.0
            r.append((1 - big / 3) / (1 + big / 3))
        d = dist(r)
        den = all_pairs(d)
        new = list(x)
        for i in range(n):
            conf = None
            comp = None
            for j in range(n):
                if j == i or x[j] == x[i]:
                    continue
                a = eu(i, j, r[i], prob(i, j, d, den))
                b = eu(j, i, r[i], prob(j, i, d, den))
                if b > a > 0:
                    key = abs(x[j] - x[i])
                    if conf is None or key < conf[0]:
                        conf = (key, x[j])
                elif a < 0 < b and b > abs(a):
                    key = (abs(a) * x[i] + abs(b) * x[j]) / (abs(a) + abs(b))
                    if comp is None or key < comp[0]:
                        comp = (key, x[i] + (x[j] - x[i]) * abs(a / b))
            if conf is not None:
                new[i] = conf[1]
            elif comp is not None:
                new[i] = comp[1]
        x = new
    return weighted_median(c, s, x), weighted_mean(c, s, x)


def main():
    path, rounds, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    issues = []
    for line in open(path):
        line = line.strip()
        if not line:
            continue
        rows = [tuple(float(v) for v in a.split()) for a in line.split(";")]
        issues.append(([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]))
    best = None
    checksum = 0.0
    for _ in range(repeats):
        t = time.perf_counter()
        checksum = 0.0
        for c, s, x in issues:
            m, mu = run(c, s, x, rounds)
            checksum += m + mu
        dt = time.perf_counter() - t
        best = dt if best is None else min(best, dt)
    print(f"{best:.6f}")
    print(f"{checksum:.9f}")


if __name__ == "__main__":
    main()
