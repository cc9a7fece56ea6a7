"""Peer of bench/workloads/meanfield.ts: one explicit Euler step of the mean-field particle flow
(theory/meanfield.md#model; Mei, Montanari, Nguyen 2018, arXiv 1804.06561; Chizat, Bach 2018, arXiv
1805.09545) on the exact population risk for x ~ N(0, v I_d), phi = ReLU, teacher
f*(x) = sum_t c_t relu(u_t . x), vectorized NumPy with m x m arc-cosine kernels:

  K(w, w')    = v |w||w'| (sin t + (pi - t) cos t) / (2 pi)
  grad_w K    = v (|w'| sin t w/|w| + (pi - t) w') / (2 pi)
  da_j/dt = -[(1/m) sum_k a_k K(w_j, w_k) - sum_t c_t K(w_j, u_t)]
  dw_j/dt = -kappa a_j [(1/m) sum_k a_k grad K(w_j, w_k) - sum_t c_t grad K(w_j, u_t)]

Also the risk R = 1/2 E (f - f*)^2 at the start of the step. kappa is the rate of w.
"""
import numpy as np

from _common import load_job, measure, emit

params, arrays, timing, threads = load_job()
a0 = arrays["a"]
W0 = arrays["W"]
c = arrays["c"]
U = arrays["U"]
v = float(params["variance"])
dt = float(params["dt"])
kappa = float(params["wRate"])
m = a0.shape[0]
TWO_PI = 2 * np.pi


def arccos_parts(A, B, na, nb):
    """(K, S, P): K(a_i, b_j), |b_j| sin t_ij and (pi - t_ij), each len(A) x len(B)."""
    G = A @ B.T
    norms = np.outer(na, nb)
    cos = np.divide(G, norms, out=np.zeros_like(G), where=norms > 0)
    np.clip(cos, -1.0, 1.0, out=cos)
    P = np.arccos(cos)
    P *= -1.0
    P += np.pi  # pi - t
    sin = cos * cos
    np.subtract(1.0, sin, out=sin)
    np.sqrt(sin, out=sin)
    K = P * cos
    K += sin
    K *= norms
    K *= v / TWO_PI
    sin *= nb[None, :]
    return K, sin, P


def step():
    a = a0
    W = W0
    nw = np.sqrt((W * W).sum(axis=1))
    nu = np.sqrt((U * U).sum(axis=1))
    K, S, P = arccos_parts(W, W, nw, nw)
    Kt, St, Pt = arccos_parts(W, U, nw, nu)
    Ka = K @ a / m
    Ktc = Kt @ c
    # risk: 1/2 [(1/m^2) a K a - (2/m) a Kt c + c Ktt c]
    Ktt, _, _ = arccos_parts(U, U, nu, nu)
    risk = 0.5 * (a @ Ka / m - 2.0 * (a @ Ktc) / m + c @ Ktt @ c)
    da = -(Ka - Ktc)
    what = W / np.where(nw > 0, nw, 1.0)[:, None]
    grad = (S @ a / m - St @ c)[:, None] * what + (P @ (a[:, None] * W)) / m - Pt @ (c[:, None] * U)
    grad *= v / TWO_PI
    dW = -kappa * a[:, None] * grad
    return a + dt * da, W + dt * dW, risk


measured = measure(step, timing)
a1, W1, risk = measured[2]
emit(measured, check=risk, a_sum=float(a1.sum()), w_sum=float(W1.sum()))
