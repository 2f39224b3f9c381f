"""kl_knn on 10^5 points in 2-D: time, against a plain scipy reference written here.

Target: well under 3 s on this 2-core machine. The reference is the
Wang-Kulkarni-Verdu formula with two cKDTree queries and no validation or tie
handling; the ratio (klcourse / reference) is the price of those.

    python bench/bench_estimation.py
"""

from __future__ import annotations

import time

import numpy as np
from scipy.spatial import cKDTree

from klcourse.estimation import kl_knn

TARGET_S = 3.0


def reference(x: np.ndarray, y: np.ndarray, k: int) -> float:
    n, d = x.shape
    rho = cKDTree(x).query(x, k=k + 1)[0][:, k]
    nu = cKDTree(y).query(x, k=k)[0].reshape(n, -1)[:, k - 1]
    return d * np.mean(np.log(nu / rho)) + np.log(len(y) / (n - 1))


def best_of(f, repeats: int = 3) -> tuple[float, float]:
    times, value = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        value = f()
        times.append(time.perf_counter() - t0)
    return min(times), value


def main() -> None:
    rng = np.random.default_rng(0)
    n = 100_000
    x = rng.normal(size=(n, 2))
    y = rng.normal(size=(n, 2)) + [1.0, 0.0]
    print(f"kl_knn, n = m = {n:,}, d = 2 (best of 3)")
    print(f"{'k':>3} {'klcourse s':>11} {'reference s':>12} {'ratio':>7} {'x target (3 s)':>15} "
          f"{'estimate':>9} {'closed form':>12}")
    for k in (1, 5):
        t_ours, ours = best_of(lambda: kl_knn(x, y, k=k, base=np.e))
        t_ref, ref = best_of(lambda: reference(x, y, k))
        assert abs(ours - ref) < 1e-9, (ours, ref)
        print(f"{k:3d} {t_ours:11.3f} {t_ref:12.3f} {t_ours / t_ref:7.2f} {t_ours / TARGET_S:15.2f} "
              f"{ours:9.4f} {0.5:12.4f}")


if __name__ == "__main__":
    main()
