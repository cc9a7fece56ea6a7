// Elementwise vector updates (vector.h): the gradient-descent step θ ← θ − η r ∂L/∂θ over the
// flat parameter vector, in parallel. Compiled with -ffp-contract=off: c·g is rounded before the
// add, as in JavaScript, so the thread count and the engine never change a bit.
#include "vector.h"

#include <algorithm>

#include "pool.h"

namespace widelimit {

namespace {

// Entries per chunk: large enough that a chunk outweighs taking it, small enough to balance.
constexpr long CHUNK = 1L << 16;

void range(double* __restrict t, const double* __restrict g, double c, long n, bool accumulate) {
  if (accumulate) for (long i = 0; i < n; i++) t[i] = t[i] + c * g[i];
  else for (long i = 0; i < n; i++) t[i] = c * g[i];
}

}  // namespace

void axpy(double* t, const double* g, double c, long len, bool accumulate, int threads) {
  const long chunks = std::max(1L, (len + CHUNK - 1) / CHUNK);
  runChunks(threads, chunks, [&](long q) {
    const long lo = len * q / chunks, hi = len * (q + 1) / chunks;
    range(t + lo, g + lo, c, hi - lo, accumulate);
  });
}

}  // namespace widelimit
