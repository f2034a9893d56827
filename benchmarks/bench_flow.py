"""Benchmarks of ``dlnlib.gradient_flow`` (run: ``python benchmarks/bench_flow.py [--quick]``).

Three cases; every ratio is measured within one run of this script, so that a busy machine
slows both sides alike. Medians over seeds are reported, with the worst seed.

(a) **Flow against plain gradient descent at equal accuracy.** ``sparse_regression(100, 1000, 5,
    noise=0)`` (seeds 0-9), alpha = 1e-6, accelerated clock up to t = 3 (past the last jump).
    *Equal accuracy* means: both trajectories are within ``ACCURACY`` = 1e-3 of a reference
    flow (Radau, ``rtol=1e-11``, ``atol=1e-13``), measured as
    ``max_t |beta(t) - beta_ref(t)| / max |beta_ref|`` over every recorded GD step (at most
    ``RECORD_SPACING`` apart in accelerated time) and, for the flow, over 3001 equally spaced
    times. Each side gets its cheapest setting that passes, found by the same search: GD's step
    ``eta`` and the flow's ``rtol`` (with ``atol = rtol / 100``) start at a loose value and are
    halved until the error passes, then bisected (log scale) ``BISECTION_ROUNDS`` times between
    the last failing and the first passing value. GD is plain vectorised numpy on (u, v)
    (written below, not ``dlnlib.gradient_descent``, so that it pays no recording or
    precision-check overhead). Timing alternates ``REPEATS`` flow calls with ``REPEATS`` runs of
    ``GD_TIMING_STEPS`` GD steps, so that both meet the same load; GD's time is its median
    time per step times its number of steps (every step does the same work). Target: GD time /
    flow time >= 500 (median over seeds).
(b) **Noisy data at research size.** ``sparse_regression(n, d, 10, noise=0.1)`` at alpha = 1e-100
    up to t = 3, for (n, d) = (200, 5000) and (500, 20000): time of ``gradient_flow`` (the call)
    and, separately, of reading ``path.beta`` at every step afterwards. Targets: under 2 s and
    under 15 s for the call.
(c) ``import dlnlib`` in a fresh interpreter (median of 5), and whether it loaded matplotlib.

The script imports whatever ``dlnlib`` is on the path, so the same file times an older
checkout: ``PYTHONPATH=/path/to/old/checkout python benchmarks/bench_flow.py``.
"""

import subprocess
import sys
import time

import numpy as np

import dlnlib

#: The trajectory accuracy both methods must reach: sup_t |beta(t) - beta_ref(t)| / max|beta_ref|.
ACCURACY = 1e-3
#: Recorded GD steps are at most this far apart on the accelerated clock (jumps last ~1/log(1/alpha)).
RECORD_SPACING = 2e-3
#: Bisection rounds (log scale) after halving has bracketed the cheapest passing setting.
BISECTION_ROUNDS = 2
#: Timing rounds: each times one flow call and GD_TIMING_STEPS GD steps (medians are reported).
REPEATS = 7
GD_TIMING_STEPS = 3000
CASE_A = dict(n=100, d=1000, k=5, alpha=1e-6, t_max=3.0, seeds=range(10))
CASE_B = [dict(n=200, d=5000, seeds=range(3)), dict(n=500, d=20000, seeds=range(2))]


def plain_gd(X, y, alpha, step_size, n_steps, record_every=None):
    """Gradient descent on (u, v) for L(u v); returns beta at every record_every-th step (or None)."""
    n, d = X.shape
    u = np.full(d, np.sqrt(2.0) * alpha)
    v = np.zeros(d)
    records = []
    for k in range(n_steps + 1):
        if record_every is not None and k % record_every == 0:
            records.append(u * v)
        if k == n_steps:
            break
        step = step_size * (X.T @ (X @ (u * v) - y)) / n
        u, v = u - v * step, v - u * step
    return None if record_every is None else np.array(records)


def cheapest_passing(error_of, start):
    """Halve ``start`` until ``error_of`` passes ACCURACY, then bisect in log scale; returns the passing value."""
    failing, value = None, start
    while error_of(value) > ACCURACY:
        failing, value = value, value / 2
    passing = value
    if failing is not None:
        for _ in range(BISECTION_ROUNDS):
            middle = np.sqrt(failing * passing)
            if error_of(middle) <= ACCURACY:
                passing = middle
            else:
                failing = middle
    return passing


def case_a(seed):
    c = CASE_A
    problem = dlnlib.sparse_regression(c["n"], c["d"], c["k"], noise=0.0, random_state=seed)
    alpha, t_max = c["alpha"], c["t_max"]
    ell = np.log(1 / alpha)
    reference = dlnlib.gradient_flow(problem, alpha, t_max, method="Radau", rtol=1e-11, atol=1e-13)
    grid = np.linspace(0, t_max, 3001)
    beta_ref = reference.beta_at(grid)
    scale = np.abs(beta_ref).max()

    def gd_error(eta):
        n_steps = int(t_max * ell / eta)
        record_every = max(1, int(RECORD_SPACING * ell / eta))
        with np.errstate(over="ignore", invalid="ignore"):
            beta = plain_gd(problem.X, problem.y, alpha, eta, n_steps, record_every)
        t = np.arange(0, n_steps + 1, record_every) * eta / ell
        error = np.abs(beta - reference.beta_at(t)).max() / scale
        return error if np.isfinite(error) else np.inf

    def flow_error(rtol):
        path = dlnlib.gradient_flow(problem, alpha, t_max, rtol=rtol, atol=rtol / 100)
        return np.abs(path.beta_at(grid) - beta_ref).max() / scale

    eta = cheapest_passing(gd_error, 0.02)
    rtol = cheapest_passing(flow_error, 1e-2)
    n_steps = int(t_max * ell / eta)
    flow_times, step_times = [], []
    for _ in range(REPEATS):
        start = time.perf_counter()
        path = dlnlib.gradient_flow(problem, alpha, t_max, rtol=rtol, atol=rtol / 100)
        flow_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        plain_gd(problem.X, problem.y, alpha, eta, GD_TIMING_STEPS)
        step_times.append((time.perf_counter() - start) / GD_TIMING_STEPS)
    time_flow = float(np.median(flow_times))
    time_gd = float(np.median(step_times)) * n_steps
    row = (seed, eta, n_steps, gd_error(eta), time_gd, rtol, path.nfev, flow_error(rtol), time_flow)
    print("  seed {:2d}: GD eta={:.2e} ({} steps, err {:.1e}) {:.3f} s | flow rtol={:.1e} (nfev {}, err {:.1e}) "
          "{:.4f} s | ratio {:.0f}".format(*row, time_gd / time_flow), flush=True)
    return time_gd / time_flow


def case_b(n, d, seed):
    problem = dlnlib.sparse_regression(n, d, 10, noise=0.1, random_state=seed)
    start = time.perf_counter()
    path = dlnlib.gradient_flow(problem, 1e-100, 3.0)
    time_call = time.perf_counter() - start
    start = time.perf_counter()
    beta = path.beta
    time_beta = time.perf_counter() - start
    ok = path.success and np.all(np.isfinite(beta))
    print(f"  n={n} d={d} seed {seed}: call {time_call:.2f} s, then beta at all {path.t.size} steps {time_beta:.2f} s "
          f"(nfev {path.nfev}, success {ok})", flush=True)
    if not ok:
        raise RuntimeError(f"case (b) n={n} d={d} seed {seed}: the flow failed: {path.message}")
    return time_call, time_beta


def case_c(repeats=5):
    code = (
        "import sys, time; s = time.perf_counter(); import dlnlib; "
        "print(time.perf_counter() - s, 'matplotlib' in sys.modules)"
    )
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
            for _ in range(repeats)]
    return float(np.median([float(r[0]) for r in runs])), runs[0][1]


def main():
    quick = "--quick" in sys.argv
    print(f"dlnlib from {dlnlib.__file__}; {time.strftime('%Y-%m-%d %H:%M:%S')}")
    seeds_a = list(CASE_A["seeds"])[: 3 if quick else None]
    print(f"(a) flow vs plain GD at equal accuracy {ACCURACY}: n=100, d=1000, alpha=1e-6, seeds {seeds_a}")
    ratios = [case_a(seed) for seed in seeds_a]
    results_b = {}
    for case in CASE_B:
        seeds = list(case["seeds"])[: 1 if quick else None]
        print(f"(b) noisy, alpha=1e-100, t_max=3: n={case['n']}, d={case['d']}, seeds {seeds}")
        results_b[(case["n"], case["d"])] = [case_b(case["n"], case["d"], seed) for seed in seeds]
    import_time, loaded_matplotlib = case_c()

    print()
    print(f"{'case':<44} {'median':>10} {'worst':>10} {'target':>10}")
    print(f"{'(a) speed-up of flow over GD [x]':<44} {np.median(ratios):>10.0f} {min(ratios):>10.0f} {'>= 500':>10}")
    for (n, d), rows in results_b.items():
        calls, betas = np.array(rows).T
        target = "< 2" if d == 5000 else "< 15"
        name = f"(b) n={n} d={d}: gradient_flow [s]"
        print(f"{name:<44} {np.median(calls):>10.2f} {calls.max():>10.2f} {target:>10}")
        print(f"{f'(b) n={n} d={d}: then path.beta [s]':<44} {np.median(betas):>10.2f} {betas.max():>10.2f} {'-':>10}")
    name = f"(c) import dlnlib [s] (matplotlib loaded: {loaded_matplotlib})"
    print(f"{name:<44} {import_time:>10.2f} {'':>10} {'-':>10}")


if __name__ == "__main__":
    main()
