// The trainer's passes through a layer with few outputs (k < 4, typically the output layer), on the
// native engine's threads (narrow.cc): the same arithmetic, in the same order, as the JavaScript
// loops of src/finite/fused/forward.ts (dots) and backward.ts (narrowLayer), so the same bits.
#pragma once
#include <cstdint>

namespace widelimit {

// φ'(Z) of the layer below: a + ba·[act > 0] (kind 0), a + ba·pos (kind 1) or dphi (kind 2).
struct NarrowSlope {
  int kind = 0;
  double a = 0, ba = 0;
  const double* vec = nullptr;   // act (kind 0) or dphi (kind 2), n × h
  const uint8_t* pos = nullptr;  // kind 1, n × h
};

// out[i·k + c] = 0 + m·Σ_{j<h} A[i·h + j]·W[c·h + j], each sum j ascending from 0, rows i < n.
void rowDots(const double* A, const double* W, double m, double* out, long n, long h, long k, int threads);

// Δ (n × k, k < 4) of a layer with weights W (k × h) and multiplier m, A (n × h) its input:
// gw (k × h, when not null) = m Δᵀ A in the order of gemm's JavaScript row-stream loop (samples by
// groups of four, a group's four terms summed left to right and added to the entry, groups whose
// four m·Δ are all ±0 skipped), and below (n × h) = (m Δ W) ∘ φ'.
void narrowBackward(const double* dd, long n, long k, const double* W, long h, double m, const double* A, double* gw,
                    const NarrowSlope& s, double* below, int threads);

}  // namespace widelimit
