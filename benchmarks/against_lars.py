"""Time a dlnlib homotopy against scikit-learn's LARS-lasso path, over sizes and seeds.

Shared by ``bench_lasso.py`` (``dlnlib.lasso_path``) and ``bench_saddles.py``
(``dlnlib.saddle_to_saddle``). On each problem both solvers run in turns, ``repeats`` times,
and the best time of each is kept (turns, so that a slow spell of a shared machine hits both
alike); the table prints, per size, the median and the worst ratio ours / lars over the seeds.
Both compute a whole path down to the minimum-l1 point of argmin L, whose two copies must agree
(the script says so for every problem). LARS gets ``max_iter = 20 (n + d)`` so that it is not
stopped early by its default of 500 steps.
"""

import argparse
import functools
import time
import warnings

import numpy as np
from sklearn.linear_model import lars_path

from dlnlib import sparse_regression

#: The two end points agree if their relative distance is below this (round-off of two
#: different factorisations of nearly square systems, not a modelling tolerance).
END_POINT_RTOL = 1e-8


def lars(problem):
    """scikit-learn's LARS-lasso path on the problem's data: (alphas, coefs (d, K), n_iter)."""
    n, d = problem.X.shape
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # LARS may warn about degenerate regressors near the end
        alphas, _, coefs, n_iter = lars_path(
            np.asarray(problem.X), np.asarray(problem.y), method="lasso", max_iter=20 * (n + d), return_n_iter=True
        )
    return alphas, coefs, n_iter


def best_times(functions, repeats):
    """Smallest wall-clock time of each function over ``repeats`` rounds, and its last result."""
    best = [np.inf] * len(functions)
    results = [None] * len(functions)
    for _ in range(repeats):
        for i, function in enumerate(functions):
            start = time.perf_counter()
            results[i] = function()
            best[i] = min(best[i], time.perf_counter() - start)
    return best, results


def compare(name, solver, end_point, events, cases, *, noise=0.1):
    """Print the timing table of ``solver`` against LARS for ``cases`` = [(n, d, n_nonzero, seeds, repeats)]."""
    print(f"{name} against sklearn lars_path(method='lasso'); sparse_regression(n, d, k, noise={noise});")
    print("wall clock, best of `repeats` runs per problem; ratio = ours / lars (target <= 1)")
    header = (
        f"{'n':>5} {'d':>6} {'seeds':>5} {'events':>9} {'lars it':>9} {'ours [s]':>9} {'lars [s]':>9} "
        f"{'median':>7} {'worst':>6}"
    )
    print(header)
    print("-" * len(header))
    for n, d, k, seeds, repeats in cases:
        rows = []
        for seed in seeds:
            problem = sparse_regression(n, d, k, noise=noise, random_state=seed)
            (ours_time, lars_time), (result, (alphas, coefs, n_iter)) = best_times(
                [functools.partial(solver, problem), functools.partial(lars, problem)], repeats
            )
            gap = np.linalg.norm(end_point(result) - coefs[:, -1]) / np.linalg.norm(coefs[:, -1])
            if not (result.success and gap < END_POINT_RTOL):
                print(f"   seed {seed}: success={result.success}, end points differ by {gap:.1e} (relative)")
            rows.append((events(result), n_iter, ours_time, lars_time, ours_time / lars_time))
        rows = np.array(rows)
        median = np.median(rows, axis=0)
        print(
            f"{n:>5} {d:>6} {len(seeds):>5} {median[0]:>9.0f} {median[1]:>9.0f} {median[2]:>9.3f} {median[3]:>9.3f} "
            f"{median[4]:>7.2f} {rows[:, 4].max():>6.2f}"
        )


def parse_arguments(description):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="smaller sizes and fewer seeds (a smoke test)")
    return parser.parse_args()
