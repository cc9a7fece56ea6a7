"""Peer of bench/workloads/gemm.ts: torch float64 matmul C = op(A) op(B), m x n, inner k.

op is NN, NT or TN; the transposes are strided views, so torch passes transpose flags to BLAS.
"""
from _common import load_job, set_torch_threads, measure, emit

params, _, timing, threads = load_job()
torch = set_torch_threads(threads)
m, n, k, op = params["m"], params["n"], params["k"], params["op"]
g = torch.Generator().manual_seed(0)
A = torch.randn(k, m, generator=g).T if op[0] == "T" else torch.randn(m, k, generator=g)
B = torch.randn(n, k, generator=g).T if op[1] == "T" else torch.randn(k, n, generator=g)
C = torch.empty(m, n)


def run():
    torch.matmul(A, B, out=C)


measured = measure(run, timing)
emit(measured, gflops=2.0 * m * n * k / measured[0] / 1e9)
