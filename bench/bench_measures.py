"""Speed and memory of klcourse.kl_divergence and klcourse.entropy against scipy.

Run:  python bench/bench_measures.py [--quick]

Baselines, measured in the same process on the same arrays:
  * scipy.stats.entropy(p, q)        (renormalises, validates little)
  * scipy.special.rel_entr(p, q).sum()  (no validation at all)
  * scipy.stats.entropy(p)            (for klcourse.entropy)

klcourse's times include its full validation (finite, non-negative, sums to 1,
same shape), done once at the boundary, followed by the plain formula (one
implementation, no chunking). Targets (issue 16, "Keep"): kl_divergence <=
0.5x scipy.stats.entropy(p, q) at 10^3 and at 10^7 elements, measured in the
same run. Peak extra memory is printed for information (the plain formula
holds a few temporaries of the input size; there is no target for it).
The script prints ratios (< 1 means klcourse is faster) and exits 1 if a
target is missed. On a shared machine, run it when the load is low: the
ratios move with memory-bandwidth contention.
"""

from __future__ import annotations

import argparse
import sys
import timeit
import tracemalloc

import numpy as np
import scipy.special
import scipy.stats

import klcourse


def best_time(func, number: int, repeat: int) -> float:
    return min(timeit.repeat(func, number=number, repeat=repeat)) / number


def peak_extra_bytes(func) -> int:
    tracemalloc.start()
    tracemalloc.reset_peak()
    base, _ = tracemalloc.get_traced_memory()
    func()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak - base


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args()
    repeat = 3 if args.quick else 7
    rng = np.random.default_rng(0)
    failures = []
    print(f"numpy {np.__version__}, scipy {scipy.__version__}, klcourse {klcourse.__version__}")
    print(f"{'n':>9}  {'function':<22} {'klcourse':>11} {'baseline':<28} {'base time':>11} {'ratio':>7}  target")
    for n in (10**3, 10**6, 10**7):
        p = rng.random(n)
        p /= p.sum()
        q = rng.random(n)
        q /= q.sum()
        number = max(1, int(2e5 // n)) if n < 10**6 else 1
        t_kl = best_time(lambda: klcourse.kl_divergence(p, q), number, repeat)
        t_h = best_time(lambda: klcourse.entropy(p), number, repeat)
        t_sp = best_time(lambda: scipy.stats.entropy(p, q), number, repeat)
        t_re = best_time(lambda: scipy.special.rel_entr(p, q).sum(), number, repeat)
        t_sh = best_time(lambda: scipy.stats.entropy(p), number, repeat)
        rows = [
            ("kl_divergence", t_kl, "scipy.stats.entropy(p, q)", t_sp,
             0.5 if n in (10**3, 10**7) else None),
            ("kl_divergence", t_kl, "rel_entr(p, q).sum()", t_re, None),
            ("entropy", t_h, "scipy.stats.entropy(p)", t_sh, None),
        ]
        for name, t, base_name, tb, target in rows:
            ratio = t / tb
            verdict = "" if target is None else (f"<= {target}  " + ("ok" if ratio <= target else "MISSED"))
            if target is not None and ratio > target:
                failures.append(f"{name} vs {base_name} at n={n}: {ratio:.2f}x > {target}x")
            print(f"{n:>9}  {name:<22} {t * 1e3:>9.3f}ms {base_name:<28} {tb * 1e3:>9.3f}ms {ratio:>6.2f}x  {verdict}")
        if n == 10**7:
            size = p.nbytes
            for name, func in (("kl_divergence", lambda: klcourse.kl_divergence(p, q)),
                               ("entropy", lambda: klcourse.entropy(p)),
                               ("rel_entr(p,q).sum()", lambda: scipy.special.rel_entr(p, q).sum())):
                extra = peak_extra_bytes(func)
                print(f"{'':>9}  peak extra memory of {name:<20} {extra / 2**20:9.2f} MiB = "
                      f"{extra / size:.3f} x input size")
    if failures:
        print("\nMISSED: " + "; ".join(failures))
        return 1
    print("\nall targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
