"""Time per control change of the explorers in dlnlib.widgets (run: ``python benchmarks/bench_widgets.py``).

A *control change* is what the live widget does when a control moves: ``explorer.set(...)``
(validate, recompute what depends on the control, update the drawing) followed by rendering
the PNG that the ``ipywidgets.Image`` displays (only what changed is re-rendered: see
``dlnlib.widgets._render.Blitter``). Targets (issue 9): every control under 100 ms median at
n = 50, d = 100, and under 300 ms at the largest values the sliders allow.

Each row moves one control through values not seen before (the explorers cache results, so
moving back to a value already seen is faster; two-valued controls are toggled, and only their
first change is new) and reports the median and the maximum over the changes (at least
``MIN_CHANGES`` of them: a control with fewer values goes through them again on fresh
explorers), as wall time and as CPU time of this process. On a shared machine the wall time includes waiting for a core;
the CPU time is what the change costs on a quiet one. The baseline column is the same change
with a full redraw of the figure instead of the blitted one, measured in the same run.

``--quick`` times fewer changes per control (for a smoke run).
"""

import argparse
import time
import warnings

import numpy as np

from dlnlib.widgets import DynamicsExplorer, ImplicitBiasExplorer, LassoExplorer

#: The issue's budgets for one control change, in seconds.
TARGET_TYPICAL = 0.100
TARGET_LARGEST = 0.300


#: Every row pools at least this many changes: a control with fewer values (the three data sets
#: of the Lasso explorer) goes through them again on fresh explorers (whose caches are empty).
MIN_CHANGES = 7


def time_changes(factory, changes, *, full_redraw=False):
    """Median and max of wall and CPU time of ``explorer.set(**change)`` plus the render, over ``changes``.

    On ``ceil(MIN_CHANGES / len(changes))`` fresh explorers from ``factory``, pooled.
    """
    wall, cpu = [], []
    for _ in range(-(-MIN_CHANGES // len(changes))):
        explorer = factory()
        explorer._png()  # the live widget has rendered the figure once before the first change
        for change in changes:
            start, start_cpu = time.perf_counter(), time.process_time()
            explorer.set(**change)
            explorer._blitter.full_png() if full_redraw else explorer._png()
            wall.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
    return float(np.median(wall)), float(np.max(wall)), float(np.median(cpu)), float(np.max(cpu))


def dynamics_rows(data, largest, quick):
    """(label, factory, changes) for every control of DynamicsExplorer."""
    n = 3 if quick else 7
    alphas = list(np.geomspace(1e-2, 1e-100, n + 2))[1:]
    rows = [("alpha", {}, [{"alpha": a} for a in alphas]),
            ("other_alphas", {}, [{"other_alphas": (a,)} for a in alphas[:n]]),
            ("clock (raw <-> accelerated)", {}, [{"clock": c} for c in ["raw", "accelerated"] * (n // 2 + 1)]),
            ("log_time", {}, [{"log_time": v} for v in [True, False] * (n // 2 + 1)]),
            ("log_loss", {}, [{"log_loss": v} for v in [True, False] * (n // 2 + 1)]),
            ("gd (on/off)", {}, [{"gd": v} for v in [True, False] * (n // 2 + 1)]),
            ("step_size (gd on)", {"gd": True}, [{"step_size": e} for e in np.geomspace(0.3, 0.02, n)]),
            ("alpha (gd on)", {"gd": True}, [{"alpha": a} for a in alphas]),
            ("t_max", {}, [{"t_max": t} for t in np.linspace(0.5, 2.5, n)])]
    if largest:
        top = data
        rows += [("n_samples", {}, [{"n_samples": top["n_samples"] - k} for k in range(1, n + 1)]),
                 ("n_features", {}, [{"n_features": top["n_features"] - k} for k in range(1, n + 1)]),
                 ("n_nonzero", {}, [{"n_nonzero": top["n_nonzero"] - k} for k in range(1, n + 1)]),
                 ("noise", {}, [{"noise": top["noise"] - 0.05 * k} for k in range(1, n + 1)])]
    else:
        rows += [("n_samples", {}, [{"n_samples": data["n_samples"] + k} for k in range(1, n + 1)]),
                 ("n_features", {}, [{"n_features": data["n_features"] + k} for k in range(1, n + 1)]),
                 ("n_nonzero", {}, [{"n_nonzero": data["n_nonzero"] + k} for k in range(1, n + 1)]),
                 ("noise", {}, [{"noise": 0.05 * k} for k in range(1, n + 1)])]
    rows.append(("random_state", {}, [{"random_state": s} for s in range(1, n + 1)]))
    return [(f"dynamics: {label}", lambda extra=extra: DynamicsExplorer(**data, **extra), changes)
            for label, extra, changes in rows]


def implicit_bias_rows(data, largest, quick):
    n = 3 if quick else 7
    alphas = list(np.geomspace(3e2, 3e-6, n))
    step = -1 if largest else 1
    rows = [("alpha", [{"alpha": a} for a in alphas]),
            ("n_samples", [{"n_samples": data["n_samples"] + step * k} for k in range(1, n + 1)]),
            ("n_features", [{"n_features": data["n_features"] + step * k} for k in range(1, n + 1)]),
            ("noise", [{"noise": abs(data["noise"] + step * 0.05 * k)} for k in range(1, n + 1)]),
            ("random_state", [{"random_state": s} for s in range(1, n + 1)])]
    return [(f"implicit bias: {label}", lambda: ImplicitBiasExplorer(**data), changes) for label, changes in rows]


def lasso_rows(data, quick):
    n = 3 if quick else 7
    sizes = {k: data[k] for k in ("n_samples", "n_features", "n_nonzero", "noise")}

    def factory():
        return LassoExplorer(data="random", random_state=0, **sizes)

    t_max = factory().state["t_max"]
    return [("lasso: t (cursor)", factory, [{"t": t} for t in np.linspace(0.05, 0.95, n) * t_max]),
            ("lasso: random_state", factory, [{"random_state": s} for s in range(1, n + 1)]),
            ("lasso: data", factory, [{"data": d} for d in ["coordinates leave", "no coordinate leaves", "random"]])]


def report(title, rows, target):
    print(f"\n{title}  (target: median < {1e3 * target:.0f} ms)")
    print(f"{'control':<36} {'median':>8} {'max':>8} {'cpu med':>8} {'cpu max':>8} {'full redraw':>12} "
          f"{'median/target':>14}")
    for label, factory, changes in rows:
        median, worst, cpu_median, cpu_worst = time_changes(factory, changes)
        baseline = time_changes(factory, changes, full_redraw=True)[0]
        print(f"{label:<36} {1e3 * median:>8.1f} {1e3 * worst:>8.1f} {1e3 * cpu_median:>8.1f} "
              f"{1e3 * cpu_worst:>8.1f} {1e3 * baseline:>12.1f} {median / target:>14.2f}")


def main(quick=False):
    typical = {"n_samples": 50, "n_features": 100, "n_nonzero": 5, "noise": 0.0}
    spec = {c.name: c for c in DynamicsExplorer.CONTROLS}
    largest = {name: spec[name].high for name in ("n_samples", "n_features", "n_nonzero", "noise")}
    ib_spec = {c.name: c for c in ImplicitBiasExplorer.CONTROLS}
    ib_largest = {name: ib_spec[name].high for name in ("n_samples", "n_features", "n_nonzero", "noise")}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # general-position warnings on some random seeds
        print("dlnlib.widgets: one control change = set + PNG render (ms); wall and CPU time of this process")
        report("n = 50, d = 100 (5 non-zeros, no noise)",
               dynamics_rows(typical, False, quick) + implicit_bias_rows(typical, False, quick)
               + lasso_rows(typical, quick), TARGET_TYPICAL)
        report(f"largest slider values: dynamics {largest}, implicit bias {ib_largest}",
               dynamics_rows(largest, True, quick) + implicit_bias_rows(ib_largest, True, quick), TARGET_LARGEST)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer changes per control")
    main(parser.parse_args().quick)
