"""Peer of bench/workloads/ntkGram.ts: NNGP and NTK Gram matrices of a ReLU network in the NTK
parameterization (theory/ntk.md#dual-activations; Jacot et al. 2018, arXiv 1806.07572; arc-cosine kernel of
Cho and Saul 2009), vectorized NumPy, float64, in place where NumPy allows:

  Sigma^1 = sw^2 X X^T / d + sb^2,  Theta^1 = Sigma^1
  Sigma^{l+1} = sw^2 sqrt(d_i d_j) (sin t + (pi - t) cos t) / (2 pi) + sb^2
  Sigmadot^{l+1} = sw^2 (pi - t) / (2 pi),  Theta^{l+1} = Sigma^{l+1} + Theta^l Sigmadot^{l+1}
with cos t = Sigma^l_ij / sqrt(Sigma^l_ii Sigma^l_jj) clipped to [-1, 1].
"""
import numpy as np

from _common import load_job, measure, emit

params, arrays, timing, threads = load_job()
X = arrays["x"]
L = int(params["depth"])
sw2 = float(params["weightStd"]) ** 2
sb2 = float(params["biasStd"]) ** 2


def relu_ntk(X):
    n, d = X.shape
    S = X @ X.T
    S *= sw2 / d
    S += sb2
    T = S.copy()
    for _ in range(L):
        diag = np.sqrt(np.diag(S))
        norms = np.outer(diag, diag)
        cos = np.divide(S, norms, out=np.zeros_like(S), where=norms > 0)
        np.clip(cos, -1.0, 1.0, out=cos)
        theta = np.arccos(cos)
        sin = np.sqrt(1.0 - cos * cos)
        pi_minus = np.pi - theta
        # Sigma <- sw2 * norms * (sin + (pi - theta) cos) / (2 pi) + sb2
        S = pi_minus * cos
        S += sin
        S *= norms
        S *= sw2 / (2 * np.pi)
        S += sb2
        # Theta <- Sigma + Theta * sw2 (pi - theta) / (2 pi)
        pi_minus *= sw2 / (2 * np.pi)
        T *= pi_minus
        T += S
    return S, T


measured = measure(lambda: relu_ntk(X), timing)
S, T = measured[2]
emit(measured, check=T.mean(), nngp_mean=S.mean())
