"""Peer of bench/workloads/experiment.ts: the NTK convergence experiment (a `compare` sweep,
src/harness/compare.ts) in PyTorch + NumPy, float64, for the wall-time comparison with
`widelimit experiment run ntk-relu-gaussian`.

Same work as ours, cell by cell (theory/harness.md#cells): for every width x seed, train the
finite network in the `ntk` parameterization (multipliers sw/sqrt(n_in), bias multiplier sb) by
full-batch GD on the MSE with records every `recordEvery` steps (train/test outputs and losses,
relative weight motion, and -- with recordKernel -- the rate-weighted empirical NTK on the
training inputs at every record, by per-layer sensitivities), then the frozen-kernel limit at the
record times started from that network's own f_0 (eigendecomposition of the analytic NTK, cached
per process like ours per worker thread), and the metrics of theory/harness.md#metrics. Once per sweep:
the reference limit from f_0 = 0. Fits: least squares of log metric on log width with a 1000-fold
bootstrap over seeds. Cells run on a pool of T processes (T = our worker threads), each with
one torch thread. Data come from our side (same arrays). Not done here: the HTML/Markdown report
with SVG plots, which our run writes.
"""
import json
import math
import os
import time

import numpy as np

from _common import load_job, emit

params, arrays, timing, threads = load_job()
SPEC = params["spec"]
WIDTHS = params["widths"]
SEEDS = int(params["seeds"])
X = arrays["x"]
Y = arrays["y"]
XT = arrays["xTest"]
YT = arrays["yTest"]

model = SPEC["model"]
training = SPEC["training"]
DEPTH = int(model["depth"])
SW = float(model.get("weightStd", 1.0))
SB = float(model.get("biasStd", 0.0))
ACT = model.get("activation", "relu")
LR = float(training["lr"])
STEPS = int(training["steps"])
EVERY = int(training.get("recordEvery", 1))
RECORD_KERNEL = True  # the NTK sweep records the kernel in every cell (src/harness/cell.ts cellSpec)
METHOD = training.get("method", "gd")
N = X.shape[0]
NT = XT.shape[0]
RECORD_STEPS = sorted(set(list(range(0, STEPS + 1, EVERY)) + [STEPS]))
TAUS = [LR * s for s in RECORD_STEPS]


def dual(S11, S12, S22):
    """E[phi phi], E[phi' phi'] for the activation, elementwise over arrays."""
    if ACT == "relu":
        norms = np.sqrt(S11 * S22)
        cos = np.divide(S12, norms, out=np.zeros_like(S12), where=norms > 0)
        np.clip(cos, -1.0, 1.0, out=cos)
        th = np.arccos(cos)
        e = norms * (np.sqrt(1 - cos * cos) + (np.pi - th) * cos) / (2 * np.pi)
        ed = (np.pi - th) / (2 * np.pi)
        return e, ed
    if ACT == "erf":
        a = (1 + 2 * S11) * (1 + 2 * S22)
        e = (2 / np.pi) * np.arcsin(2 * S12 / np.sqrt(a))
        ed = (4 / np.pi) / np.sqrt(a - 4 * S12 * S12)
        return e, ed
    raise SystemExit("experiment peer: activation %r not supported" % ACT)


def analytic_ntk(A, B):
    """Theta(A, B) of theory/ntk.md#recursion (NTK parameterization), |A| x |B|."""
    d = A.shape[1]
    S = SW ** 2 * (A @ B.T) / d + SB ** 2
    sa = SW ** 2 * (A * A).sum(1) / d + SB ** 2
    sb = SW ** 2 * (B * B).sum(1) / d + SB ** 2
    T = S.copy()
    for _ in range(DEPTH):
        e, ed = dual(sa[:, None], S, sb[None, :])
        ea, _ = dual(sa, sa, sa)
        eb, _ = dual(sb, sb, sb)
        S = SW ** 2 * e + SB ** 2
        T = S + T * (SW ** 2 * ed)
        sa = SW ** 2 * ea + SB ** 2
        sb = SW ** 2 * eb + SB ** 2
    return T


_LIMIT = {}


def limit_model():
    """Cached per process: eigendecomposition of Theta(X, X) and Theta(X*, X) V."""
    if not _LIMIT:
        K = analytic_ntk(X, X)
        lam, V = np.linalg.eigh(K)
        _LIMIT.update(K=K, lam=np.maximum(lam, 0.0), V=V, A=analytic_ntk(XT, X) @ V)
    return _LIMIT


def limit_outputs(f0, f0t):
    """Frozen-kernel outputs at the record times from (f0, f0t): lists of arrays (n,), (nT,)."""
    m = limit_model()
    lam, V, A = m["lam"], m["V"], m["A"]
    r = V.T @ (f0 - Y[:, 0])
    thr = lam.max() * N * 1e-15
    ftr, fte = [], []
    for s, tau in zip(RECORD_STEPS, TAUS):
        if METHOD == "gd":
            rho = (1.0 - LR * lam / N) ** s
        else:
            rho = np.exp(-lam * tau / N)
        g = np.where(lam > thr, (1.0 - rho) / np.where(lam > thr, lam, 1.0), tau / N)
        ftr.append(Y[:, 0] + V @ (rho * r))
        fte.append(f0t - A @ (g * r))
    return ftr, fte


def run_cell(task):
    width, seed = task
    import torch
    torch.set_num_threads(1)
    torch.set_default_dtype(torch.float64)
    t0 = time.perf_counter()
    gen = torch.Generator().manual_seed(1000003 * seed + width)
    dims = [X.shape[1]] + [width] * DEPTH + [1]
    Ws = [torch.randn(dims[l + 1], dims[l], generator=gen).requires_grad_() for l in range(DEPTH + 1)]
    bs = [torch.randn(dims[l + 1], generator=gen).requires_grad_() if SB > 0 else None for l in range(DEPTH + 1)]
    mult = [SW / math.sqrt(dims[l]) for l in range(DEPTH + 1)]
    phi = torch.relu if ACT == "relu" else torch.erf
    x = torch.from_numpy(X)
    y = torch.from_numpy(Y)
    xt = torch.from_numpy(XT)
    yt = torch.from_numpy(YT)
    params = [p for p in Ws + bs if p is not None]
    theta0 = torch.cat([p.detach().reshape(-1) for p in params]).clone()
    norm0 = theta0.norm().item()

    def forward(a):
        for l in range(DEPTH + 1):
            z = (a @ Ws[l].T) * mult[l]
            if bs[l] is not None:
                z = z + SB * bs[l]
            a = phi(z) if l < DEPTH else z
        return a

    def empirical_ntk():
        inputs, zs = [], []
        a = x
        for l in range(DEPTH + 1):
            inputs.append(a.detach())
            z = (a @ Ws[l].T) * mult[l]
            if bs[l] is not None:
                z = z + SB * bs[l]
            zs.append(z)
            a = phi(z) if l < DEPTH else z
        deltas = torch.autograd.grad(a.sum(), zs)
        K = torch.zeros(N, N)
        for l in range(DEPTH + 1):
            G = (inputs[l] @ inputs[l].T) * mult[l] ** 2
            if bs[l] is not None:
                G += SB ** 2
            K += G * (deltas[l] @ deltas[l].T)
        return K

    def mse(f, t):
        return 0.5 * ((f - t) ** 2).sum().item() / t.shape[0]

    rec = {"trainLoss": [], "testLoss": [], "fTrain": [], "fTest": [], "weightMotion": [], "kernelMotion": []}
    K0 = None
    Klast = None
    records = set(RECORD_STEPS)
    for step in range(STEPS + 1):
        if step in records:
            with torch.no_grad():
                ftr = forward(x)
                fte = forward(xt)
                rec["trainLoss"].append(mse(ftr, y))
                rec["testLoss"].append(mse(fte, yt))
                rec["fTrain"].append(ftr[:, 0].numpy().copy())
                rec["fTest"].append(fte[:, 0].numpy().copy())
                th = torch.cat([p.detach().reshape(-1) for p in params])
                rec["weightMotion"].append((th - theta0).norm().item() / norm0)
            if RECORD_KERNEL:
                K = empirical_ntk()
                if K0 is None:
                    K0 = K
                Klast = K
                rec["kernelMotion"].append(((K - K0).norm() / K0.norm()).item())
        if step == STEPS:
            break
        f = forward(x)
        loss = 0.5 * ((f - y) ** 2).sum() / N
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= LR * p.grad
                p.grad = None

    ltr, lte = limit_outputs(rec["fTrain"][0], rec["fTest"][0])
    ftr_dev = [np.linalg.norm(f - g) / math.sqrt(N) for f, g in zip(rec["fTrain"], ltr)]
    fte_dev = [np.linalg.norm(f - g) / math.sqrt(NT) for f, g in zip(rec["fTest"], lte)]
    lim_loss = [0.5 * ((g - Y[:, 0]) ** 2).mean() for g in ltr]
    m = limit_model()
    kinit = float(np.linalg.norm(K0.numpy() - m["K"]) / np.linalg.norm(m["K"])) if K0 is not None else float("nan")
    metrics = {
        "fTrainSup": max(ftr_dev),
        "fTestSup": max(fte_dev),
        "lossSup": max(abs(a - b) for a, b in zip(rec["trainLoss"], lim_loss)),
        "kernelInit": kinit,
        "kernelMotion": rec["kernelMotion"][-1] if rec["kernelMotion"] else float("nan"),
        "weightMotion": rec["weightMotion"][-1],
    }
    centred = rec["fTest"][-1] - lte[-1]
    return {"width": width, "seed": seed, "metrics": metrics, "centred": centred.tolist(),
            "fTestFinal": rec["fTest"][-1].tolist(), "seconds": time.perf_counter() - t0}


def fit(widths, table, rng, nboot=1000):
    """Exponent of log(mean over seeds) on log width, and a percentile bootstrap CI over seeds."""
    lw = np.log(np.asarray(widths, dtype=float))

    def slope(tab):
        mean = np.nanmean(tab, axis=0)
        ok = np.isfinite(mean) & (mean > 0)
        if ok.sum() < 2:
            return float("nan")
        return float(np.polyfit(lw[ok], np.log(mean[ok]), 1)[0])

    p = slope(table)
    S = table.shape[0]
    boots = [slope(table[rng.integers(0, S, S)]) for _ in range(nboot)] if S >= 2 else []
    ci = [float(np.nanpercentile(boots, 2.5)), float(np.nanpercentile(boots, 97.5))] if boots else [float("nan")] * 2
    return p, ci


def main():
    t0 = time.perf_counter()
    tasks = [(w, s) for w in WIDTHS for s in range(SEEDS)]
    # reference: the limit from f_0 = 0 (once, in the main process)
    ref_tr, ref_te = limit_outputs(np.zeros(N), np.zeros(NT))
    if threads > 1:
        import multiprocessing as mp
        with mp.get_context("fork").Pool(threads) as pool:
            cells = pool.map(run_cell, tasks, chunksize=1)
    else:
        cells = [run_cell(t) for t in tasks]
    mu = ref_te[-1]
    rng = np.random.default_rng(0)
    fits = {}
    names = list(cells[0]["metrics"].keys())
    for name in names:
        tab = np.array([[next(c for c in cells if c["width"] == w and c["seed"] == s)["metrics"][name]
                         for w in WIDTHS] for s in range(SEEDS)])
        fits[name] = fit(WIDTHS, tab, rng)
    # seed variance of the centred learned function: per-seed terms S/(S-1) mean_i (g_si - gbar_i)^2
    # whose mean over seeds is the unbiased variance (averaged over test points), bootstrapped
    # over seeds like the other metrics; ensembleError: |mean over seeds of f_T - mu| / sqrt(nT).
    terms = np.full((SEEDS, len(WIDTHS)), np.nan)
    ens = []
    for j, w in enumerate(WIDTHS):
        g = np.array([np.asarray(c["centred"]) + mu for c in sorted(cells, key=lambda c: c["seed"]) if c["width"] == w])
        if SEEDS > 1:
            terms[:, j] = ((g - g.mean(axis=0)) ** 2).mean(axis=1) * SEEDS / (SEEDS - 1)
        fT = np.array([c["fTestFinal"] for c in cells if c["width"] == w])
        ens.append(float(np.linalg.norm(fT.mean(axis=0) - mu) / math.sqrt(NT)))
    fits["seedVariance"] = fit(WIDTHS, terms, rng)
    fits["ensembleError"] = fit(WIDTHS, np.array([ens]), rng, nboot=0)
    seconds = time.perf_counter() - t0
    return {"fits": fits, "cells": len(cells), "seconds": seconds}


if __name__ == "__main__":
    t0 = time.perf_counter()
    out = main()
    wall = time.perf_counter() - t0
    emit((wall, [wall], out, 0, 1), check=out["fits"]["fTrainSup"][0],
         fits={k: {"exponent": v[0], "ci": v[1]} for k, v in out["fits"].items()}, cells=out["cells"])
