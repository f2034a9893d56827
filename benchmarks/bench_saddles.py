"""Time Algorithm 1 (``dlnlib.saddle_to_saddle``) against scikit-learn's LARS-lasso path.

Both compute a whole path from 0 to the minimum-l1 point of argmin L on the same data:
``lars_path(X, y, method="lasso")`` and ``saddle_to_saddle(problem)``, which must end at the same
point (checked). Each event of either costs one product of X^T with a vector, so on large data
the ratio is about (jumps / LARS iterations) times the ratio of their costs per event. Target
(issue 11): ratio ours / lars at most 1 at n=500, d=20000 and n=1000, d=50000, median over seeds.

Run: ``python benchmarks/bench_saddles.py`` (several minutes: the largest problem holds 400 MB;
``--quick`` for a smoke test).
"""

from against_lars import compare, parse_arguments

from dlnlib import saddle_to_saddle

#: (n_samples, n_features, n_nonzero, seeds, repeats)
CASES = [
    (100, 1000, 5, range(7), 3),
    (200, 5000, 10, range(5), 3),
    (500, 20000, 10, range(5), 1),
    (1000, 50000, 20, range(3), 1),
]
QUICK = [(50, 200, 5, range(3), 2)]


def main():
    arguments = parse_arguments(__doc__)
    compare(
        "saddle_to_saddle",
        saddle_to_saddle,
        end_point=lambda path: path.saddles[-1],
        events=lambda path: path.n_jumps,
        cases=QUICK if arguments.quick else CASES,
    )


if __name__ == "__main__":
    main()
