"""Time Algorithm 1 (``dlnlib.saddle_to_saddle``) against scikit-learn's LARS-lasso path.

Both compute a whole path from 0 to the minimum-l1 point of argmin L on the same data:
``sklearn.linear_model.lars_path(X, y, method="lasso")`` (its ``alphas`` are our Lasso
``lam``, with the same 1/(2n) loss scaling) and ``saddle_to_saddle(problem)``. Each is timed
as the best of several repeats; the ratio ours / lars should be at most 1. As a sanity check,
the script prints how far apart the two end points are (both should be the minimum-l1
interpolator / least-squares point, so the gap should be round-off).

Run: ``python benchmarks/bench_saddles.py``
"""

import time
import warnings

import numpy as np
from sklearn.linear_model import lars_path

from dlnlib import sparse_regression
from dlnlib.saddles import saddle_to_saddle

#: (n_samples, n_features, n_nonzero, seed)
CASES = [(100, 1000, 5, 0), (200, 5000, 10, 1)]
NOISE = 0.1
REPEATS = 7


#: The two end points agree if their relative distance is below this (round-off of two
#: different factorizations of nearly square systems, not a modelling tolerance).
END_POINT_RTOL = 1e-8


def best_times(*functions, repeats=REPEATS):
    """Smallest wall-clock time of each function over ``repeats`` rounds, and its last result.

    The functions take turns within each round, so that a slow spell of a shared machine
    hits both alike.
    """
    best = [np.inf] * len(functions)
    results = [None] * len(functions)
    for _ in range(repeats):
        for i, function in enumerate(functions):
            start = time.perf_counter()
            results[i] = function()
            best[i] = min(best[i], time.perf_counter() - start)
    return best, results


def main():
    header = (
        f"{'n':>5} {'d':>6} {'jumps':>6} {'lars it':>8} {'ours [s]':>9} {'lars [s]':>9} {'ratio':>6} {'end gap':>9}"
    )
    print(f"best of {REPEATS} runs each, wall clock; noise {NOISE}; ratio = ours / lars (target <= 1)")
    print(header)
    print("-" * len(header))
    for n, d, k, seed in CASES:
        problem = sparse_regression(n, d, k, noise=NOISE, random_state=seed)
        X, y = np.array(problem.X), np.array(problem.y)

        def lars():
            with warnings.catch_warnings():
                # lars_path may warn about dropped regressors near the end of the path
                warnings.simplefilter("ignore")
                return lars_path(X, y, method="lasso", max_iter=10 * n, return_n_iter=True)

        (ours_time, lars_time), (path, (alphas, _, coefs, lars_iter)) = best_times(
            lambda: saddle_to_saddle(problem), lars
        )
        end_ours, end_lars = path.saddles[-1], coefs[:, -1]
        gap = np.linalg.norm(end_ours - end_lars) / np.linalg.norm(end_lars)
        print(
            f"{n:>5} {d:>6} {path.n_jumps:>6} {lars_iter:>8} {ours_time:>9.4f} {lars_time:>9.4f} "
            f"{ours_time / lars_time:>6.2f} {gap:>9.1e}"
        )
        if not path.success:
            print(f"   saddle_to_saddle did not finish: {path.message}")
        # both paths end at the minimum-l1 point of argmin L
        verdict = "same end point" if gap < END_POINT_RTOL else "END POINTS DIFFER"
        print(
            f"   {verdict}: relative gap {gap:.1e}; l1 norms {np.abs(end_ours).sum():.6f} (ours) vs "
            f"{np.abs(end_lars).sum():.6f} (lars); last lars alpha {alphas[-1]:.1e}"
        )


if __name__ == "__main__":
    main()
