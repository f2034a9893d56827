"""Inside a jump: heteroclinic orbits, the arc-length view, and the flow's path during each jump."""

import numpy as np
import pytest
from scipy.integrate import solve_ivp

import dlnlib

TIGHT = dict(rtol=1e-10, atol=1e-13)  # flows whose path is accurate to ~1e-9 (beta is exp. in the dual)


@pytest.fixture(scope="module")
def three():
    problem = dlnlib.three_coordinate_example()
    path = dlnlib.saddle_to_saddle(problem)
    orbits = [dlnlib.jump_orbit(problem, path, k) for k in range(1, path.n_jumps + 1)]
    return problem, path, orbits


@pytest.fixture(scope="module")
def slow_jump():
    """A random problem whose fourth jump is driven by a small gradient (0.024): the book's slow jump."""
    problem = dlnlib.sparse_regression(10, 20, 3, random_state=61)
    return problem, dlnlib.saddle_to_saddle(problem)


def fast_dynamics(problem):
    """The right-hand side beta' = -|beta| grad L(beta), written from the definition."""
    return lambda _, beta: -np.abs(beta) * problem.grad(beta)


def relative_entropy(beta, target, face):
    """sum_i |b_i| - |t_i| - |t_i| log(|b_i| / |t_i|) over the face (0 log 0 = 0): >= 0, zero at the target."""
    b, t = np.abs(beta[..., face]), np.abs(target[face])
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.where(t > 0, t * np.log(b / np.where(t > 0, t, 1.0)), 0.0)
    return np.sum(b - t - logs, axis=-1)


# ---- the orbit ends at the next saddle --------------------------------------------------------


def test_every_orbit_of_the_worked_example_ends_at_the_next_saddle(three):
    problem, path, orbits = three
    for k, orbit in enumerate(orbits, start=1):
        assert orbit.success, orbit.message
        np.testing.assert_allclose(orbit.start, path.saddles[k - 1], atol=0)
        # scipy's NNLS on the face and Algorithm 1 agree on where the jump lands ...
        np.testing.assert_allclose(orbit.limit, path.saddles[k], atol=1e-12)
        # ... and the fast dynamics gets there (to ORBIT_TOL times the jump's scale, about 1e-9 here)
        np.testing.assert_allclose(orbit.beta[-1], path.saddles[k], atol=3e-9)


def test_orbits_end_at_the_next_saddle_on_random_problems():
    for seed in range(3):
        for n, d in [(10, 20), (20, 8)]:
            problem = dlnlib.sparse_regression(n, d, 3, noise=0.1, random_state=seed)
            path = dlnlib.saddle_to_saddle(problem)
            for k in range(1, path.n_jumps + 1):
                orbit = dlnlib.jump_orbit(problem, path, k)
                assert orbit.success, (seed, n, d, k, orbit.message)
                scale = np.abs(path.saddles[k]).max()
                np.testing.assert_allclose(orbit.beta[-1], path.saddles[k], atol=1e-8 * scale)


@pytest.mark.slow
def test_orbits_at_research_size():
    problem = dlnlib.sparse_regression(100, 1000, 10, noise=0.1, random_state=0)
    path = dlnlib.saddle_to_saddle(problem)
    for k in (1, path.n_jumps // 2, path.n_jumps):
        orbit = dlnlib.jump_orbit(problem, path, k)
        assert orbit.success, orbit.message
        assert orbit.face.size == np.count_nonzero(path.saddles[k - 1]) + len(path.entered[k - 1])
        np.testing.assert_allclose(orbit.beta[-1], path.saddles[k], atol=1e-8 * np.abs(path.saddles[k]).max())


# ---- signs and zeros are kept; the orbit is the fast dynamics' solution -----------------------


@pytest.mark.parametrize("k", [1, 2, 3, 4])
def test_the_orbit_solves_the_fast_dynamics_and_keeps_signs_and_zeros(three, k):
    problem, path, orbits = three
    orbit = orbits[k - 1]
    # An independent integration of beta' = -|beta| grad L(beta) in beta itself, all coordinates,
    # from the orbit's first point; atol is tiny so that decaying coordinates keep relative accuracy.
    direct = solve_ivp(fast_dynamics(problem), (0, orbit.tau[-1]), orbit.beta[0], method="DOP853",
                       rtol=1e-11, atol=1e-300, dense_output=True)
    beta = direct.sol(orbit.tau).T
    np.testing.assert_allclose(beta, orbit.beta, rtol=1e-6, atol=1e-9 * np.abs(path.saddles[k]).max())
    off_face = np.setdiff1d(np.arange(3), orbit.face)
    assert np.all(beta[:, off_face] == 0)  # zeros stay exactly zero
    assert np.all(np.sign(beta[:, orbit.face]) == orbit.signs)  # signs never change
    assert np.all(np.sign(orbit.beta[:, orbit.face]) == orbit.signs) and np.all(orbit.beta[:, off_face] == 0)


def test_a_leaving_coordinate_decays_only_asymptotically_at_the_rate_of_its_dual(three):
    problem, path, orbits = three
    orbit = orbits[1]  # jump 2: coordinate 2 enters, coordinate 3 leaves
    assert path.left[1].tolist() == [2]
    b3 = orbit.beta[:, 2]
    assert np.all(b3 < 0)  # never zero, never positive
    # near beta_2, beta_3' = -|beta_3| grad_3 L(beta_2): it decays like exp(-|g_3| tau), with |g_3| the
    # slope of the dual s_3 on the next plateau (s_3 crosses [-1, 1] in t_3 - t_2)
    rate = abs(problem.grad(path.saddles[2])[2])
    np.testing.assert_allclose(rate, 2 / (path.times[3] - path.times[2]), rtol=1e-12)
    tail = orbit.tau > orbit.tau[-1] - 5.0
    slope = np.polyfit(orbit.tau[tail], np.log(-b3[tail]), 1)[0]
    np.testing.assert_allclose(-slope, rate, rtol=1e-3)


# ---- the Lyapunov function --------------------------------------------------------------------


def test_relative_entropy_and_loss_decrease_along_every_orbit(three, slow_jump):
    problem, path = slow_jump
    cases = [(three[0], three[1], orbit) for orbit in three[2]]
    cases += [(problem, path, dlnlib.jump_orbit(problem, path, k)) for k in range(1, path.n_jumps + 1)]
    for problem, path, orbit in cases:
        target = path.saddles[orbit.jump]
        V = relative_entropy(orbit.beta, target, orbit.face)
        loss = problem.loss(orbit.beta)
        assert np.all(np.diff(V) <= 1e-12 * V[0])
        assert np.all(np.diff(loss) <= 1e-14)
        assert V[-1] < 1e-8 * V[0]


# ---- closed form: orthogonal design ------------------------------------------------------------


def test_orthogonal_design_orbits_are_logistic_segments():
    # X^T X / n = I: grad L = beta - beta_hat, so the entering coordinate j alone moves, along the
    # logistic b' = b (|beta_hat_j| - b) for b = |beta_j|, and the orbit is the segment to beta_hat_j.
    problem = dlnlib.orthogonal_design(30, 4, noise=0.5, random_state=2)
    beta_hat = problem.X.T @ problem.y / problem.n_samples
    path = dlnlib.saddle_to_saddle(problem)
    for k in range(1, path.n_jumps + 1):
        orbit = dlnlib.jump_orbit(problem, path, k)
        (j,) = path.entered[k - 1]
        others = np.delete(np.arange(4), j)
        np.testing.assert_allclose(orbit.beta[:, others], np.tile(path.saddles[k - 1][others], (orbit.tau.size, 1)),
                                   atol=1e-12)
        cap, b0 = abs(beta_hat[j]), abs(orbit.beta[0, j])
        logistic = cap / (1 + (cap / b0 - 1) * np.exp(-cap * orbit.tau))
        np.testing.assert_allclose(np.abs(orbit.beta[:, j]), logistic, rtol=1e-7)
        np.testing.assert_allclose(orbit.length[-1], cap, rtol=1e-8)  # a straight segment of length |beta_hat_j|


# ---- the arc-length view -----------------------------------------------------------------------


def test_the_limit_arc_length_view_stops_the_clock_in_jumps_and_beta_on_plateaus(three):
    problem, path, orbits = three
    limit = dlnlib.limit_arc_length_view(path, orbits, t_max=25.0)
    dr, dt = np.diff(limit.r), np.diff(limit.t)
    dbeta = np.linalg.norm(np.diff(limit.beta, axis=0), axis=1)
    moving = dbeta > 0
    assert np.all(dt[moving] == 0) and np.all(dbeta[~moving] == 0)  # one or the other moves
    np.testing.assert_allclose(dr, dt + dbeta, rtol=1e-12, atol=1e-12)  # at unit speed (r is rounded near 60)
    np.testing.assert_allclose(limit.total, 25.0 + sum(orbit.length[-1] for orbit in orbits), rtol=1e-8)
    # halfway through jump 2 (after t_2 of plateaus and jump 1's length), the clock reads t_2 and
    # beta is on the orbit, halfway along it
    r_half = path.times[2] + orbits[0].length[-1] + orbits[1].length[-1] / 2
    assert abs(limit.t_at(r_half) - path.times[2]) == 0
    halfway = np.array([np.interp(orbits[1].length[-1] / 2, orbits[1].length, orbits[1].beta[:, i]) for i in range(3)])
    np.testing.assert_allclose(limit.beta_at(r_half), halfway, atol=1e-8)


def test_the_flow_in_arc_length_approaches_the_limit_like_one_over_log(three):
    problem, path, orbits = three
    limit = dlnlib.limit_arc_length_view(path, orbits, t_max=25.0)
    gaps = {}
    for alpha in (1e-10, 1e-20, 1e-40):
        view = dlnlib.arc_length_view(dlnlib.gradient_flow(problem, alpha, 25.0, **TIGHT))
        # 1-Lipschitz: |dt/dr| + |dbeta/dr| = 1 along the samples
        steps = np.abs(np.diff(view.t)) + np.linalg.norm(np.diff(view.beta, axis=0), axis=1)
        np.testing.assert_allclose(steps, np.diff(view.r), rtol=1e-10, atol=1e-13)
        r = np.linspace(0, min(view.total, limit.total), 20001)
        gaps[alpha] = np.abs(view.t_at(r) - limit.t_at(r)).max() * np.log(1 / alpha)
        # the total length converges too: the flow's jumps have the orbits' lengths
        assert abs(view.total - limit.total) < 10 / np.log(1 / alpha)
    # sup |t_hat - t_hat_limit| shrinks like 1/log(1/alpha): its product with log(1/alpha) stays put
    assert max(gaps.values()) / min(gaps.values()) < 1.5


def test_jumps_last_a_fast_time_of_order_one(three):
    # In accelerated time the flow crosses the middle 80% of jump 2's length in a time ~ D / (2 log(1/alpha)),
    # D the fast time the orbit takes for the same part of its length.
    problem, path, orbits = three
    orbit = orbits[1]
    fractions = np.interp([0.1, 0.9], orbit.length / orbit.length[-1], orbit.tau)
    D = fractions[1] - fractions[0]
    for alpha in (1e-20, 1e-60):
        flow = dlnlib.gradient_flow(problem, alpha, 25.0, **TIGHT)
        view = dlnlib.arc_length_view(flow)
        window = (view.t > 6.3) & (view.t < 9.8)  # between the middles of plateaus 1 and 2
        r, t = view.r[window], view.t[window]
        length = r - t  # arc length of beta alone
        covered = (length - length[0]) / (length[-1] - length[0])
        t10, t90 = np.interp([0.1, 0.9], covered, t)
        np.testing.assert_allclose((t90 - t10) * 2 * np.log(1 / alpha), D, rtol=0.02)


# ---- the flow's path during each jump approaches the orbit -------------------------------------


def test_the_flows_path_during_each_jump_approaches_its_orbit(three):
    problem, path, orbits = three
    distances = np.array([dlnlib.jump_path_distances(dlnlib.gradient_flow(problem, alpha, 25.0, **TIGHT),
                                                     path, orbits) for alpha in (1e-5, 1e-10, 1e-20)])
    assert np.all(np.diff(distances, axis=0) < 0)  # every jump, at every step down in alpha ...
    assert np.all(distances[0] > 1e-5) and np.all(distances[-1] < 1e-7)  # ... to about the solver's accuracy


def test_jump_path_distance_of_the_first_jump_by_elementary_geometry(three):
    # The orbit of jump 1 is the segment from 0 to beta_1 = (0, 0, -15/94). From its points, the farthest from
    # the flow's path is beta_1, at the distance where the flow passes nearest to it; from the flow's
    # points (beta_3 between -15/94 and 0), the distance to the segment is |(beta_1, beta_2)|.
    problem, path, orbits = three
    for alpha in (1e-5, 1e-10):
        flow = dlnlib.gradient_flow(problem, alpha, 25.0, **TIGHT)
        crossing = dlnlib.convergence_errors(flow, path).jump_times[0]
        after = np.linspace(crossing, (path.times[1] + path.times[2]) / 2, 200_001)
        gaps = np.linalg.norm(flow.beta_at(after) - path.saddles[1], axis=1)
        nearest = after[np.argmin(gaps)]
        t = np.linspace(0.0, nearest, 200_001)
        beta = flow.beta_at(t)
        assert np.all((beta[:, 2] <= 0) & (beta[:, 2] >= path.saddles[1, 2]))
        expected = max(np.linalg.norm(beta[:, :2], axis=1).max(), gaps.min())
        np.testing.assert_allclose(dlnlib.jump_path_distances(flow, path, orbits)[0], expected, rtol=1e-3)


def test_directed_distance_is_exact_between_sparsely_sampled_curves():
    # Two concentric quarter circles, radii 1 and 1.001, sampled at 40 points: polylines through the samples
    # would be off by the chord error (1 - cos(pi / 160) ~ 2e-4); the spline-and-search gets 1e-3 to 1e-9.
    from scipy.interpolate import CubicSpline

    from dlnlib.convergence import _directed_distance

    s = np.linspace(0, np.pi / 2, 40)
    circle = np.column_stack([np.cos(s), np.sin(s), np.zeros_like(s)])
    for radius in (1.001, 0.999):
        curve = CubicSpline(s, circle)
        np.testing.assert_allclose(_directed_distance(radius * circle, curve, s), abs(radius - 1), rtol=1e-6)


def test_the_slow_jump_approaches_its_orbit_too(slow_jump):
    problem, path = slow_jump
    orbits = [dlnlib.jump_orbit(problem, path, k) for k in range(1, path.n_jumps + 1)]
    t_max = 1.2 * path.times[-1]
    distances = np.array([dlnlib.jump_path_distances(dlnlib.gradient_flow(problem, alpha, t_max, **TIGHT),
                                                     path, orbits) for alpha in (1e-20, 1e-40, 1e-80)])
    assert np.all(np.diff(distances[:, 1:], axis=0) < 0)  # (jump 1 is at the solver's accuracy from 1e-40)
    assert distances[-1, 3] < 1e-5 < 1e-2 < distances[0, 3]  # the slow jump (4) too


# ---- bad input ---------------------------------------------------------------------------------


def test_jump_orbit_refuses_bad_input(three):
    problem, path, _ = three
    for k in (0, 5, 1.0, True, "1"):
        with pytest.raises(ValueError, match="k must be an integer jump number from 1 to"):
            dlnlib.jump_orbit(problem, path, k)
    with pytest.raises(ValueError, match="path must be the SaddlePath"):
        dlnlib.jump_orbit(problem, path.saddles, 1)
    other = dlnlib.sparse_regression(5, 4, 2, random_state=0)
    with pytest.raises(ValueError, match="path must be computed on problem"):
        dlnlib.jump_orbit(other, path, 1)
    for name, value in [("nudge", 0.0), ("nudge", 0.1), ("tol", -1.0), ("rtol", np.nan)]:
        with pytest.raises(ValueError, match=name):
            dlnlib.jump_orbit(problem, path, 1, **{name: value})


def test_arc_length_views_refuse_bad_input(three):
    problem, path, orbits = three
    with pytest.raises(ValueError, match="trajectory must be a result of gradient_flow"):
        dlnlib.arc_length_view(path)
    with pytest.raises(ValueError, match="t_max must be at least the last jump time"):
        dlnlib.limit_arc_length_view(path, orbits, t_max=10.0)
    with pytest.raises(ValueError, match="orbits must be the 4 JumpOrbit"):
        dlnlib.limit_arc_length_view(path, orbits[::-1], t_max=25.0)
    limit = dlnlib.limit_arc_length_view(path, orbits, t_max=25.0)
    with pytest.raises(ValueError, match=r"r must be a scalar or a 1-D array of arc lengths in \[0, "):
        limit.beta_at(limit.total + 1.0)


def test_jump_path_distances_refuses_swapped_arguments_and_foreign_orbits(three):
    problem, path, orbits = three
    flow = dlnlib.gradient_flow(problem, 1e-10, 25.0)
    with pytest.raises(ValueError, match="the arguments are swapped"):
        dlnlib.jump_path_distances(path, flow, orbits)
    with pytest.raises(ValueError, match="orbits must be the 4 results of jump_orbit"):
        dlnlib.jump_path_distances(flow, path, orbits[:3])
