"""Time ``dlnlib.lasso_path`` against scikit-learn's ``lars_path(method="lasso")``.

Both follow the exact Lasso path from lambda_max to 0 on the same data (with the 1/(2n) loss
scaling the knots coincide). Target (issue 7): ratio ours / lars at most 1 at n=100, d=1000 and
n=200, d=5000 with noise 0.1, median over seeds.

Run: ``python benchmarks/bench_lasso.py`` (about a minute; ``--quick`` for a smoke test).
"""

from against_lars import compare, parse_arguments

from dlnlib import lasso_path

#: (n_samples, n_features, n_nonzero, seeds, repeats)
CASES = [(100, 1000, 5, range(10), 5), (200, 5000, 10, range(7), 3)]
QUICK = [(50, 200, 5, range(3), 2)]


def main():
    arguments = parse_arguments(__doc__)
    compare(
        "lasso_path",
        lasso_path,
        end_point=lambda path: path.coefs[-1],
        events=lambda path: len(path.lambdas) - 1,
        cases=QUICK if arguments.quick else CASES,
    )


if __name__ == "__main__":
    main()
