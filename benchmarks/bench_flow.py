"""Benchmarks of dlnlib.gradient_flow (run: ``python benchmarks/bench_flow.py``; about a minute).

(a) gradient_flow at default settings against plain vectorised numpy gradient descent on
    (u, v) (written below, not dlnlib.gradient_descent, so that GD pays no recording or
    precision-check overhead), on sparse_regression(100, 1000, 5, noise=0, random_state=0) at
    alpha = 1e-6 on the accelerated clock up to t = 3 (the last jump is near t = 2.1). GD gets
    the largest step whose trajectory stays within 1e-3 * max|beta| of a reference flow (Radau,
    rtol 1e-11) at every recorded step: halve eta from 0.02 until it passes, then bisect (in
    log scale) between the last failing and the first passing step. Noise is 0 so that the
    path has a last jump: with label noise, d > n and the flow keeps jumping to interpolate the
    noise until t ~ 1/|grad|, hundreds of time units later.
(c) gradient_flow at alpha = 1e-150, n = 100, d = 1000 up to t = 3, where the loss has reached
    its minimum (printed and checked). Target < 1 s.

Timings: the median of several calls for the flow, one call for the (seconds-long) GD run;
both measured in the same run of this script, so their ratio is meaningful on a busy machine.
"""

import time

import numpy as np

import dlnlib

#: The trajectory accuracy both methods must reach: sup_t |beta(t) - beta_ref(t)| / max|beta_ref|.
ACCURACY = 1e-3
#: Recorded GD steps are at most this far apart on the accelerated clock (jumps last ~1/log(1/alpha)).
RECORD_SPACING = 2e-3
#: Bisection rounds (log scale) after halving has bracketed the largest acceptable GD step.
BISECTION_ROUNDS = 3
#: Flow calls timed per case (the median is reported).
FLOW_REPEATS = 7


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


def gd_error(problem, alpha, step_size, t_max, reference, scale):
    """Sup over recorded steps of |beta_GD - beta_ref| / scale, for GD run up to t_max (accelerated)."""
    ell = np.log(1 / alpha)
    n_steps = int(t_max * ell / step_size)
    record_every = max(1, int(RECORD_SPACING * ell / step_size))
    with np.errstate(over="ignore", invalid="ignore"):
        beta = plain_gd(problem.X, problem.y, alpha, step_size, n_steps, record_every)
    t = np.arange(0, n_steps + 1, record_every) * step_size / ell
    error = np.abs(beta - reference.beta_at(t)).max() / scale
    return error if np.isfinite(error) else np.inf, n_steps


def largest_accurate_step(problem, alpha, t_max, reference, scale, eta=0.02):
    """Halve eta until GD is within ACCURACY, then bisect between the failing and passing steps."""
    failing = None
    while True:
        error, _ = gd_error(problem, alpha, eta, t_max, reference, scale)
        print(f"    GD eta={eta:.3e}: trajectory error {error:.2e}")
        if error <= ACCURACY:
            break
        failing, eta = eta, eta / 2
    passing = eta
    if failing is not None:
        for _ in range(BISECTION_ROUNDS):
            middle = np.sqrt(failing * passing)
            error, _ = gd_error(problem, alpha, middle, t_max, reference, scale)
            print(f"    GD eta={middle:.3e}: trajectory error {error:.2e}")
            if error <= ACCURACY:
                passing = middle
            else:
                failing = middle
    return passing


def time_flow(problem, alpha, t_max, **tolerances):
    times = []
    for _ in range(FLOW_REPEATS):
        start = time.perf_counter()
        path = dlnlib.gradient_flow(problem, alpha, t_max, **tolerances)
        times.append(time.perf_counter() - start)
    return float(np.median(times)), path


def case_a():
    alpha, t_max = 1e-6, 3.0
    problem = dlnlib.sparse_regression(100, 1000, 5, noise=0.0, random_state=0)
    reference = dlnlib.gradient_flow(problem, alpha, t_max, method="Radau", rtol=1e-11, atol=1e-13)
    grid = np.linspace(0, t_max, 3001)
    beta_ref = reference.beta_at(grid)
    scale = np.abs(beta_ref).max()
    # The last jump: after it beta stays within 1% (of max|beta|) of its value at t_max.
    moving = np.abs(beta_ref - beta_ref[-1]).max(axis=1) > 1e-2 * scale
    print(f"(a) alpha={alpha:g}, n=100, d=1000, t_max={t_max}; last jump ends near t={grid[moving][-1]:.2f}")

    eta = largest_accurate_step(problem, alpha, t_max, reference, scale)
    error_gd, n_steps = gd_error(problem, alpha, eta, t_max, reference, scale)
    start = time.perf_counter()
    plain_gd(problem.X, problem.y, alpha, eta, n_steps)
    time_gd = time.perf_counter() - start

    time_flow_a, path = time_flow(problem, alpha, t_max)
    error_flow = np.abs(path.beta_at(grid) - beta_ref).max() / scale
    dual_error = np.abs(path.dual_at(grid) - reference.dual_at(grid)).max()
    # For information: the flow at looser tolerances, still more accurate than GD's 1e-3.
    loose = dict(rtol=1e-4, atol=1e-6)
    time_loose, loose_path = time_flow(problem, alpha, t_max, **loose)
    error_loose = np.abs(loose_path.beta_at(grid) - beta_ref).max() / scale
    return [
        ("(a) plain numpy GD", f"eta={eta:.2e}, {n_steps} steps", error_gd, time_gd),
        ("(a) gradient_flow", f"defaults, nfev={path.nfev}, dual err {dual_error:.1e}", error_flow, time_flow_a),
        ("(a) gradient_flow", f"rtol=1e-4, atol=1e-6, nfev={loose_path.nfev}", error_loose, time_loose),
    ], (time_gd / time_flow_a, time_gd / time_loose)


def case_c():
    alpha, t_max = 1e-150, 3.0
    problem = dlnlib.sparse_regression(100, 1000, 5, noise=0.0, random_state=0)
    time_flow_c, path = time_flow(problem, alpha, t_max)
    final_loss = float(path.loss[-1])
    print(
        f"(c) alpha={alpha:g}: loss at t_max={t_max}: {final_loss:.2e} (min loss {problem.min_loss:.2e}, "
        f"max|grad| {np.abs(problem.grad(path.beta[-1])).max():.1e})"
    )
    # Past the last jump the loss sits at the floor set by the solver tolerance (about 1e-16 here).
    if not final_loss < 1e-16:
        raise RuntimeError("case (c): the flow has not reached the minimum of the loss by t_max")
    return [("(c) gradient_flow", f"{path.method}, nfev={path.nfev}, {path.t.size} steps", np.nan, time_flow_c)]


def main():
    rows_a, (speedup, speedup_loose) = case_a()
    rows_c = case_c()
    print()
    print(f"{'case':<22} {'settings':<44} {'traj. err':>10} {'time [s]':>10}")
    for name, settings, error, seconds in rows_a + rows_c:
        error_text = "-" if np.isnan(error) else f"{error:.1e}"
        print(f"{name:<22} {settings:<44} {error_text:>10} {seconds:>10.4f}")
    print(f"(a) speed-up of gradient_flow (defaults) over GD at GD's best step: {speedup:.0f}x (target >= 500x)")
    print(f"(a) the same with the flow at rtol=1e-4, atol=1e-6: {speedup_loose:.0f}x")
    time_c = rows_c[0][3]
    print(f"(c) gradient_flow at alpha=1e-150: {time_c:.3f} s against a 1 s target ({1 / time_c:.0f}x under it)")


if __name__ == "__main__":
    main()
