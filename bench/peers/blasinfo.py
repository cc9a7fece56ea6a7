"""One line describing the BLAS behind numpy (and torch, when importable), for the bench report.

On Linux the loaded BLAS/LAPACK libraries are read from /proc/self/maps after a product has run,
which tells reference BLAS (Debian ``blas/libblas.so.3``) from OpenBLAS, BLIS or MKL. For
OpenBLAS, the kernel it chose for this CPU (``openblas_get_corename``) and its build config; for
torch, the BLAS and CPU capability of its build (``torch.__config__``); and OPENBLAS_CORETYPE when
set (it forces a kernel).
"""
import ctypes
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
for lib in sorted(libs):
    if "openblas" in os.path.basename(lib):
        try:
            ob = ctypes.CDLL(lib)
            ob.openblas_get_corename.restype = ctypes.c_char_p
            ob.openblas_get_config.restype = ctypes.c_char_p
            parts.append("OpenBLAS kernel %s (%s)" % (ob.openblas_get_corename().decode(), ob.openblas_get_config().decode().strip()))
        except (OSError, AttributeError):
            pass
try:
    import torch
    cfg = torch.__config__.show()
    for line in cfg.splitlines():
        line = line.strip()
        if line.startswith("- CPU capability usage"):
            parts.append("torch " + line[2:])
    if "BLAS_INFO=" in cfg:
        parts.append("torch BLAS_INFO=" + cfg.split("BLAS_INFO=")[1].split(",")[0])
except Exception:
    pass
parts.append("OPENBLAS_CORETYPE=" + os.environ.get("OPENBLAS_CORETYPE", "(unset)"))
print("; ".join(parts))
