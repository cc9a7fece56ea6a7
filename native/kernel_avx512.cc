// AVX-512 micro-kernel (compiled with -mavx512f -mfma): an 8×24 tile in 24 zmm accumulators; per p,
// three vector loads of B and eight broadcasts of A feed 24 fused multiply-adds.
#include <immintrin.h>

#include "kernels.h"

namespace widelimit {

static void kernel8x24(long kc, const double* ap, const double* bp, double* c, long ldc, int mode, double alpha, double beta) {
  __m512d acc[8][3];
#pragma GCC unroll 8
  for (int r = 0; r < 8; r++) {
    acc[r][0] = _mm512_setzero_pd();
    acc[r][1] = _mm512_setzero_pd();
    acc[r][2] = _mm512_setzero_pd();
  }
  for (long p = 0; p < kc; p++) {
    const __m512d b0 = _mm512_loadu_pd(bp);
    const __m512d b1 = _mm512_loadu_pd(bp + 8);
    const __m512d b2 = _mm512_loadu_pd(bp + 16);
    _mm_prefetch(reinterpret_cast<const char*>(bp + 24 * 8), _MM_HINT_T0);
#pragma GCC unroll 8
    for (int r = 0; r < 8; r++) {
      const __m512d a = _mm512_set1_pd(ap[r]);
      acc[r][0] = _mm512_fmadd_pd(a, b0, acc[r][0]);
      acc[r][1] = _mm512_fmadd_pd(a, b1, acc[r][1]);
      acc[r][2] = _mm512_fmadd_pd(a, b2, acc[r][2]);
    }
    ap += 8;
    bp += 24;
  }
  const __m512d va = _mm512_set1_pd(alpha), vb = _mm512_set1_pd(beta);
#pragma GCC unroll 8
  for (int r = 0; r < 8; r++) {
#pragma GCC unroll 3
    for (int v = 0; v < 3; v++) {
      double* q = c + r * ldc + v * 8;
      const __m512d t = _mm512_mul_pd(va, acc[r][v]);
      if (mode == 0) _mm512_storeu_pd(q, t);
      else if (mode == 1) _mm512_storeu_pd(q, _mm512_add_pd(_mm512_loadu_pd(q), t));
      else _mm512_storeu_pd(q, _mm512_add_pd(_mm512_mul_pd(vb, _mm512_loadu_pd(q)), t));
    }
  }
}

KernelInfo avx512Kernel() { return {"avx512", 8, 24, kernel8x24}; }

}  // namespace widelimit
