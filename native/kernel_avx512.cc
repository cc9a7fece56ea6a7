// AVX-512 micro-kernel (compiled with -mavx512f -mfma): an 8×24 tile in 24 zmm accumulators; per p,
// three vector loads of B and eight broadcasts of A feed 24 fused multiply-adds.
#include <immintrin.h>

#include "kernels.h"

namespace widelimit {

static void kernel8x24(long kc, const double* ap, const double* bp, double* t) {
  __m512d c[8][3];
#pragma GCC unroll 8
  for (int r = 0; r < 8; r++) {
    c[r][0] = _mm512_setzero_pd();
    c[r][1] = _mm512_setzero_pd();
    c[r][2] = _mm512_setzero_pd();
  }
  for (long p = 0; p < kc; p++) {
    const __m512d b0 = _mm512_loadu_pd(bp);
    const __m512d b1 = _mm512_loadu_pd(bp + 8);
    const __m512d b2 = _mm512_loadu_pd(bp + 16);
    _mm_prefetch(reinterpret_cast<const char*>(bp + 24 * 8), _MM_HINT_T0);
#pragma GCC unroll 8
    for (int r = 0; r < 8; r++) {
      const __m512d a = _mm512_set1_pd(ap[r]);
      c[r][0] = _mm512_fmadd_pd(a, b0, c[r][0]);
      c[r][1] = _mm512_fmadd_pd(a, b1, c[r][1]);
      c[r][2] = _mm512_fmadd_pd(a, b2, c[r][2]);
    }
    ap += 8;
    bp += 24;
  }
#pragma GCC unroll 8
  for (int r = 0; r < 8; r++) {
    _mm512_storeu_pd(t + r * 24, c[r][0]);
    _mm512_storeu_pd(t + r * 24 + 8, c[r][1]);
    _mm512_storeu_pd(t + r * 24 + 16, c[r][2]);
  }
}

KernelInfo avx512Kernel() { return {"avx512", 8, 24, kernel8x24}; }

}  // namespace widelimit
