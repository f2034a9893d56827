"""Time per control change of the explorers in dlnlib.widgets (run: ``python benchmarks/bench_widgets.py``).

A *control change* is what the live widget does when a slider moves: ``explorer.set(...)``
(validate, recompute what depends on the control, update the lines) followed by rendering the
figure to the PNG that the ``ipywidgets.Image`` displays. Target: under 150 ms at n = 50,
d = 100 (issue 4). Each row is the median over several changes to values not seen before (the
explorers cache results, so moving back to a value already seen is faster than this).

Rows:
- dynamics, alpha moves: alpha over 1e-2 ... 1e-100 on sparse_regression(50, 100, 5), noise 0;
- dynamics, alpha moves with noise 0.1: the flow then goes on interpolating the noise up to
  t ~ 1500 with many small late jumps, which is the expensive case;
- dynamics, seed moves: new data, Algorithm 1, the flow at alpha = 1e-10 and a full rebuild;
- implicit bias, alpha moves / seed moves (a seed move recomputes the 37-point alpha grid);
- Lasso, cursor moves / seed moves (random data, n = 50, d = 100).

The machine this runs on is shared, so the numbers vary by tens of percent between runs.
``--blas-threads 1`` limits BLAS to one thread (threadpoolctl): the matrices are small, and on a
busy two-core machine multi-threaded BLAS made an SVD of 50 x 100 take 100 ms instead of 0.1 ms.
"""

import time
import warnings

import numpy as np

from dlnlib.widgets import DynamicsExplorer, ImplicitBiasExplorer, LassoExplorer

#: The issue's budget for one control change, in seconds.
TARGET = 0.150
#: Data size of the benchmark (issue 4).
N_SAMPLES, N_FEATURES, N_NONZERO = 50, 100, 5


def time_changes(explorer, changes):
    """Median wall time of ``explorer.set(**change)`` plus the PNG render, over ``changes``."""
    explorer.widget  # the live widget renders a PNG on every change, as in Jupyter
    times = []
    for change in changes:
        start = time.perf_counter()
        explorer.set(**change)
        times.append(time.perf_counter() - start)
    return float(np.median(times)), float(np.max(times))


def main():
    data = {"n_samples": N_SAMPLES, "n_features": N_FEATURES, "n_nonzero": N_NONZERO}
    alphas = [{"alpha": a} for a in (1e-2, 1e-4, 1e-7, 1e-12, 1e-20, 1e-35, 1e-50, 1e-70, 1e-100)]
    seeds = [{"random_state": s} for s in range(1, 8)]
    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # general-position warnings on some random seeds
        explorer = DynamicsExplorer(**data, random_state=0)
        rows.append(("dynamics: alpha moves (noise 0)", *time_changes(explorer, alphas)))
        explorer = DynamicsExplorer(**data, noise=0.1, random_state=0)
        rows.append((f"dynamics: alpha moves (noise 0.1, t_max {explorer.state['t_max']:.0f})",
                     *time_changes(explorer, alphas)))
        explorer = DynamicsExplorer(**data, random_state=0)
        rows.append(("dynamics: seed moves (alpha 1e-10)", *time_changes(explorer, seeds)))
        explorer = ImplicitBiasExplorer(**data, random_state=0)
        ib_alphas = [{"alpha": a} for a in (3e2, 1e1, 1.5, 0.3, 2e-2, 1e-3, 1e-4, 3e-6)]
        rows.append(("implicit bias: alpha moves", *time_changes(explorer, ib_alphas)))
        rows.append(("implicit bias: seed moves", *time_changes(explorer, seeds)))
        explorer = LassoExplorer(data="random", n_samples=N_SAMPLES, n_features=N_FEATURES,
                                 n_nonzero=N_NONZERO, random_state=0)
        t_max = explorer.state["t_max"]
        cursor = [{"t": t} for t in np.linspace(0.05, 0.95, 9) * t_max]
        rows.append(("lasso: cursor t moves", *time_changes(explorer, cursor)))
        rows.append(("lasso: seed moves", *time_changes(explorer, seeds)))

    print(f"dlnlib.widgets: one control change (set + PNG render) at n = {N_SAMPLES}, d = {N_FEATURES}")
    print(f"{'change':<48} {'median ms':>10} {'max ms':>8} {'target ms':>10} {'median/target':>14}")
    for name, median, worst in rows:
        print(f"{name:<48} {1e3 * median:>10.1f} {1e3 * worst:>8.1f} {1e3 * TARGET:>10.0f} {median / TARGET:>14.2f}")


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blas-threads", type=int, default=None, help="limit BLAS threads (threadpoolctl)")
    args = parser.parse_args()
    if args.blas_threads is None:
        main()
    else:
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=args.blas_threads, user_api="blas"):
            print(f"(BLAS limited to {args.blas_threads} thread(s))")
            main()
