"""One line describing the BLAS behind numpy (and torch, when importable), for the bench report.

On Linux the loaded BLAS/LAPACK libraries are read from /proc/self/maps after a product has run,
which tells reference BLAS (Debian ``blas/libblas.so.3``) from OpenBLAS, BLIS or MKL.
"""
import os

import numpy as np

parts = ["numpy %s" % np.__version__]
try:
    import torch
    parts.append("torch %s" % torch.__version__)
    a = torch.ones(64, 64, dtype=torch.float64)
    (a @ a).sum()
except Exception:
    pass
b = np.ones((64, 64))
(b @ b).sum()
libs = set()
try:
    with open("/proc/self/maps") as f:
        for line in f:
            path = line.split()[-1] if len(line.split()) >= 6 else ""
            name = os.path.basename(path)
            if any(k in name for k in ("blas", "lapack", "mkl", "blis", "openblas")):
                libs.add(os.path.realpath(path))
except OSError:
    pass
parts.append("loaded: " + (", ".join(sorted(libs)) if libs else "unknown"))
print("; ".join(parts))
