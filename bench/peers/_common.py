"""Shared plumbing of the widelimit benchmark peers.

A peer is run as ``python3 bench/peers/<name>.py JOB_DIR`` by ``bench/lib/python.ts``, with
OMP/MKL/OPENBLAS_NUM_THREADS already set to the thread count of our side. ``JOB_DIR/job.json``
holds ``params``, ``arrays`` (raw little-endian float64 files with shapes), ``timing``
(``warmup``, ``reps``) and ``threads``. The peer prints one JSON line as its last output:
``{"best": s, "all": [s, ...], "check": number or null, "info": {...}}``.
"""
import json
import os
import sys
import time

import numpy as np


def load_job():
    """(params, arrays, timing, threads) of the job in sys.argv[1]."""
    job_dir = sys.argv[1]
    with open(os.path.join(job_dir, "job.json")) as f:
        job = json.load(f)
    arrays = {}
    for name, spec in job["arrays"].items():
        a = np.fromfile(os.path.join(job_dir, spec["file"]), dtype="<f8")
        arrays[name] = a.reshape(spec["shape"])
    return job["params"], arrays, job["timing"], int(job["threads"])


def save_output(name, array):
    """Save an array (float64) for the runner to compare with our result."""
    np.ascontiguousarray(array, dtype="<f8").tofile(os.path.join(sys.argv[1], "out_%s.f64" % name))


def set_torch_threads(threads):
    import torch
    torch.set_num_threads(threads)
    try:
        torch.set_num_interop_threads(threads)
    except RuntimeError:
        pass  # already set once in this process
    torch.set_default_dtype(torch.float64)
    return torch


def measure(fn, timing):
    """Warm-up runs, then the timed repetitions; returns (best, all, last result, warmup, reps).

    With ``longSeconds``, the first run is timed: if it took at least that long it is the result
    (one run); otherwise it served as the warm-up. Same rule as bench/lib/timing.ts.
    """
    result = None
    warmup = int(timing["warmup"])
    if timing.get("longSeconds") is not None:
        t0 = time.perf_counter()
        result = fn()
        t = time.perf_counter() - t0
        if t >= float(timing["longSeconds"]):
            return t, [t], result, 0, 1
        warmup -= 1
    for _ in range(warmup):
        result = fn()
    times = []
    for _ in range(int(timing["reps"])):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times), times, result, int(timing["warmup"]), int(timing["reps"])


def _finite(v):
    """JSON has no NaN: non-finite floats become null, recursively."""
    if isinstance(v, float):
        return v if v == v and abs(v) != float("inf") else None
    if isinstance(v, dict):
        return {k: _finite(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_finite(x) for x in v]
    return v


def emit(measured, check=None, **info):
    """Print the result line from the tuple returned by ``measure``."""
    best, times, _, warmup, reps = measured
    out = {"best": best, "all": times, "warmup": warmup, "reps": reps,
           "check": None if check is None else float(check), "info": info}
    print(json.dumps(_finite(out)))
    sys.stdout.flush()
