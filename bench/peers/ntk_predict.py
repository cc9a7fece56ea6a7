"""Peer of bench/workloads/ntkPredict.ts: frozen-kernel MSE predictions of gradient flow
(theory/ntk.md#dynamics; Lee et al. 2019, arXiv 1902.06720, Eq. 8-9), from the infinite-width mean
f_0 = 0, at 50 times tau, with one eigendecomposition Theta = V diag(lam) V^T:

  f_t(X)  = y - V diag(exp(-lam tau / n)) V^T y
  f_t(x*) = Theta* V diag((1 - exp(-lam tau / n)) / lam) V^T y

All 50 times at once (two matrix products with 50 columns). The timed work is the
eigendecomposition, Theta* V and the predictions; the kernel matrices are given.
"""
import numpy as np

from _common import load_job, measure, emit, save_output

params, arrays, timing, threads = load_job()
K = arrays["kTrain"]
Ks = arrays["kTest"]
y = arrays["y"][:, 0]
taus = np.asarray(params["times"], dtype=np.float64)
n = K.shape[0]


def predict():
    lam, V = np.linalg.eigh(K)
    r = V.T @ y
    E = np.exp(-np.outer(lam, taus) / n)  # n x T
    lam_safe = np.where(lam > 0, lam, 1.0)
    G = np.where(lam[:, None] > 0, (1.0 - E) / lam_safe[:, None], taus[None, :] / n)
    f_train = y[:, None] - V @ (E * r[:, None])  # n x T
    f_test = (Ks @ V) @ (G * r[:, None])  # m x T
    return f_train, f_test


measured = measure(predict, timing)
f_train, f_test = measured[2]
save_output("fTrain", f_train.T)  # time-major, T x n
save_output("fTest", f_test.T)  # T x nTest
emit(measured, check=float(np.abs(f_test[:, -1]).sum()), train_last=float(np.abs(f_train[:, -1]).sum()))
