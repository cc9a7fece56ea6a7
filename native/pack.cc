// Packing of the native gemm's operands into the panels its kernels read (pack.h).
#include "pack.h"

#include <emmintrin.h>

#include <algorithm>
#include <cstring>

namespace widelimit {

namespace {

// pan[p·w + r] = src[r·ld + p] for p < kc, r < rows, and 0 for rows ≤ r < w (w even): a panel of a
// row-major operand read across its rows. Eight p at a time (one cache line of each source row),
// two rows at a time transposed by SSE2 unpacks, so the panel is written in order in 16-byte
// stores while it sits in L1 (column by column, a panel of 24 × 384 would be written 8 bytes at a
// time across 72 KiB, more than L1, once per row). A pure copy: the values are unchanged.
void transposePanel(const double* src, long ld, long rows, int w, long kc, double* pan) {
  const long pairs = rows & ~1L;
  long p = 0;
  for (; p + 8 <= kc; p += 8) {
    double* d = pan + p * w;
    long r = 0;
    for (; r < pairs; r += 2) {
      const double* s0 = src + r * ld + p;
      const double* s1 = s0 + ld;
      __builtin_prefetch(s0 + 32);
      __builtin_prefetch(s1 + 32);
      for (int u = 0; u < 8; u += 2) {
        const __m128d a = _mm_loadu_pd(s0 + u), b = _mm_loadu_pd(s1 + u);
        _mm_storeu_pd(d + u * w + r, _mm_unpacklo_pd(a, b));
        _mm_storeu_pd(d + (u + 1) * w + r, _mm_unpackhi_pd(a, b));
      }
    }
    for (; r < rows; r++) for (int u = 0; u < 8; u++) d[u * w + r] = src[r * ld + p + u];
    for (; r < w; r++) for (int u = 0; u < 8; u++) d[u * w + r] = 0;
  }
  for (; p < kc; p++) {
    long r = 0;
    for (; r < rows; r++) pan[p * w + r] = src[r * ld + p];
    for (; r < w; r++) pan[p * w + r] = 0;
  }
}

// Rows of B ahead of the one being copied that are prefetched: a short piece per row at a large
// stride, which hardware prefetch misses.
constexpr long PREFETCH_ROWS = 8;

// out[(jb·kc + p)·W + q] = src[p·ld + jb·W + q] for q < W (0 past w columns): panels of W columns,
// rows p < kc. Whole panels are fixed-size copies (vector loads and stores); a pure copy.
template <int W>
void copyRows(const double* src, long ld, long w, long kc, double* out, long ahead) {
  const long full = w / W, panels = (w + W - 1) / W, rest = w - full * W;
  for (long p = 0; p < kc; p++) {
    const double* s = src + p * ld;
    if (p + ahead < kc) {
      const double* a = s + ahead * ld;
      for (long q = 0; q < w + 8; q += 8) __builtin_prefetch(a + q);
    }
    double* d = out + p * W;
    for (long jb = 0; jb < full; jb++) std::memcpy(d + jb * kc * W, s + jb * W, W * sizeof(double));
    if (full < panels) {
      double* e = d + full * kc * W;
      long q = 0;
      for (; q < rest; q++) e[q] = s[full * W + q];
      for (; q < W; q++) e[q] = 0;
    }
  }
}

void copyRowsAny(const double* src, long ld, long w, long kc, int W, double* out) {
  const long panels = (w + W - 1) / W;
  for (long p = 0; p < kc; p++) {
    const double* s = src + p * ld;
    for (long jb = 0; jb < panels; jb++) {
      double* d = out + jb * kc * W + p * W;
      const long q1 = std::min<long>(W, w - jb * W);
      long q = 0;
      for (; q < q1; q++) d[q] = s[jb * W + q];
      for (; q < W; q++) d[q] = 0;
    }
  }
}

}  // namespace

// Panels of MR rows of op(A), rows [i0, i1), K-block [pc, pc + kc): panel ib at out + ib·kc·MR,
// out[p·MR + r] = a(i0 + ib·MR + r, pc + p); padding rows 0.
void packA(const GemmCall& c, long i0, long i1, long pc, long kc, int MR, double* out) {
  const long panels = (i1 - i0 + MR - 1) / MR;
  if (!c.tA) {
    for (long ib = 0; ib < panels; ib++) {
      const long ia = i0 + ib * MR;
      transposePanel(c.A + ia * c.k + pc, c.k, std::min<long>(MR, i1 - ia), MR, kc, out + ib * kc * MR);
    }
    return;
  }
  // a(i, p) = A[p·m + i]: rows of A read in pieces of up to 16 panels (contiguous), p by p
  for (long ib0 = 0; ib0 < panels; ib0 += 16) {
    const long ib1 = std::min(panels, ib0 + 16);
    for (long p = 0; p < kc; p++) {
      const double* src = c.A + (pc + p) * c.m + i0;
      for (long ib = ib0; ib < ib1; ib++) {
        double* dst = out + ib * kc * MR + p * MR;
        const long r1 = std::min<long>(MR, i1 - i0 - ib * MR);
        long r = 0;
        for (; r < r1; r++) dst[r] = src[ib * MR + r];
        for (; r < MR; r++) dst[r] = 0;
      }
    }
  }
}

// Panels of NR columns of op(B), columns [j0, j1), K-block [pc, pc + kc): out[(jb·kc + p)·NR + q].
void packB(const GemmCall& c, long j0, long j1, long pc, long kc, int NR, double* out) {
  const long panels = (j1 - j0 + NR - 1) / NR;
  if (!c.tB) {
    // b(p, j) = B[p·n + j]: the block's piece of each row of B read contiguously
    if (NR == 24) copyRows<24>(c.B + pc * c.n + j0, c.n, j1 - j0, kc, out, PREFETCH_ROWS);
    else if (NR == 12) copyRows<12>(c.B + pc * c.n + j0, c.n, j1 - j0, kc, out, PREFETCH_ROWS);
    else copyRowsAny(c.B + pc * c.n + j0, c.n, j1 - j0, kc, NR, out);
    return;
  }
  for (long jb = 0; jb < panels; jb++) {
    const long ja = j0 + jb * NR;
    transposePanel(c.B + ja * c.k + pc, c.k, std::min<long>(NR, j1 - ja), NR, kc, out + jb * kc * NR);
  }
}

}  // namespace widelimit
