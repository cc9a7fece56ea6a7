// Passes through a layer with few outputs (narrow.h). Compiled with -ffp-contract=off and without
// reassociation: every sum is the chain of the JavaScript loop it replaces. Threads take rows (the
// sums of rowDots, the rows of below) or columns (the entries of gw, each summed over all samples
// by one thread), never part of a sum, so the bits do not depend on the thread count.
#include "narrow.h"

#include <algorithm>

#include "pool.h"

namespace widelimit {

namespace {

// Rows or entries per chunk: enough work per chunk to outweigh taking it.
constexpr long MIN_CHUNK_WORK = 1L << 15;

long chunksFor(long work, long units, int threads) {
  if (threads <= 1) return 1;
  return std::max(1L, std::min({units, 4L * threads, work / MIN_CHUNK_WORK}));
}

// below[i·h + j], j < h, for k = 1: (c·W[j])·φ'(i, j) with c = m·Δ[i].
void belowRow1(double c, const double* __restrict w, long h, const NarrowSlope& s, long o, double* __restrict out) {
  switch (s.kind) {
    case 0: {
      const double* __restrict act = s.vec + o;
      for (long j = 0; j < h; j++) out[j] = c * w[j] * (s.a + s.ba * (act[j] > 0 ? 1.0 : 0.0));
      break;
    }
    case 1: {
      const uint8_t* __restrict pos = s.pos + o;
      for (long j = 0; j < h; j++) out[j] = c * w[j] * (s.a + s.ba * static_cast<double>(pos[j]));
      break;
    }
    default: {
      const double* __restrict d = s.vec + o;
      for (long j = 0; j < h; j++) out[j] = c * w[j] * d[j];
    }
  }
}

// below row i for k = 2, 3: (m·Σ_q Δ[i, q]·W[q, j])·φ'(i, j), the sum q ascending from 0.
void belowRowK(const double* dd, long i, long k, const double* w, long h, double m, const NarrowSlope& s, double* out) {
  const long o = i * h;
  for (long j = 0; j < h; j++) {
    double sum = 0;
    for (long q = 0; q < k; q++) sum += dd[i * k + q] * w[q * h + j];
    const double phi = s.kind == 0 ? s.a + s.ba * (s.vec[o + j] > 0 ? 1.0 : 0.0)
        : s.kind == 1 ? s.a + s.ba * static_cast<double>(s.pos[o + j]) : s.vec[o + j];
    out[j] = m * sum * phi;
  }
}

// gw[c·h + j] for j in [j0, j1): the row-stream order of narrow.h.
void gradColumns(const double* dd, long n, long k, double m, const double* A, long h, double* gw, long j0, long j1) {
  for (long c = 0; c < k; c++) std::fill(gw + c * h + j0, gw + c * h + j1, 0.0);
  const long n4 = n - n % 4;
  long p = 0;
  for (; p < n4; p += 4) {
    for (long c = 0; c < k; c++) {
      const double a0 = m * dd[p * k + c], a1 = m * dd[(p + 1) * k + c], a2 = m * dd[(p + 2) * k + c], a3 = m * dd[(p + 3) * k + c];
      if (a0 == 0 && a1 == 0 && a2 == 0 && a3 == 0) continue;
      double* __restrict g = gw + c * h;
      const double* __restrict b0 = A + p * h;
      const double* __restrict b1 = b0 + h;
      const double* __restrict b2 = b1 + h;
      const double* __restrict b3 = b2 + h;
      for (long j = j0; j < j1; j++) g[j] = g[j] + (a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j]);
    }
  }
  for (; p < n; p++) {
    for (long c = 0; c < k; c++) {
      const double a0 = m * dd[p * k + c];
      if (a0 == 0) continue;
      double* __restrict g = gw + c * h;
      const double* __restrict b0 = A + p * h;
      for (long j = j0; j < j1; j++) g[j] = g[j] + a0 * b0[j];
    }
  }
}

}  // namespace

void rowDots(const double* A, const double* W, double m, double* out, long n, long h, long k, int threads) {
  const long chunks = chunksFor(n * h * k, (n + 3) / 4, threads);
  runChunks(threads, chunks, [&](long q) {
    // groups of four rows (four independent sums), as the JavaScript loop
    const long groups = (n + 3) / 4, g0 = groups * q / chunks, g1 = groups * (q + 1) / chunks;
    for (long i = 4 * g0; i < std::min(n, 4 * g1); i += 4) {
      const long rows = std::min(4L, n - i);
      for (long c = 0; c < k; c++) {
        const double* __restrict w = W + c * h;
        double s[4] = {0, 0, 0, 0};
        if (rows == 4) {
          const double* a0 = A + i * h;
          const double *a1 = a0 + h, *a2 = a1 + h, *a3 = a2 + h;
          for (long j = 0; j < h; j++) {
            const double y = w[j];
            s[0] += a0[j] * y;
            s[1] += a1[j] * y;
            s[2] += a2[j] * y;
            s[3] += a3[j] * y;
          }
        } else {
          for (long r = 0; r < rows; r++) for (long j = 0; j < h; j++) s[r] += A[(i + r) * h + j] * w[j];
        }
        for (long r = 0; r < rows; r++) out[(i + r) * k + c] = 0.0 + m * s[r];
      }
    }
  });
}

void narrowBackward(const double* dd, long n, long k, const double* W, long h, double m, const double* A, double* gw,
                    const NarrowSlope& s, double* below, int threads) {
  const long chunks = chunksFor(n * h * k * (gw ? 2 : 1), std::max(n, h / 8), threads);
  runChunks(threads, chunks, [&](long q) {
    // gw: columns [j0, j1) (multiples of 8, whole cache lines); below: rows [i0, i1)
    if (gw && A) {
      const long blocks = (h + 7) / 8;
      gradColumns(dd, n, k, m, A, h, gw, std::min(h, 8 * (blocks * q / chunks)), std::min(h, 8 * (blocks * (q + 1) / chunks)));
    }
    if (!below) return;
    const long i0 = n * q / chunks, i1 = n * (q + 1) / chunks;
    for (long i = i0; i < i1; i++) {
      if (k == 1) belowRow1(m * dd[i], W, h, s, i * h, below + i * h);
      else belowRowK(dd, i, k, W, h, m, s, below + i * h);
    }
  });
}

}  // namespace widelimit
