// Elementwise vector updates of the native engine (vector.cc).
#pragma once

namespace widelimit {

// t[i] ← t[i] + c·g[i] (accumulate) or t[i] ← c·g[i], i < len: one multiply and one add per entry,
// never fused (the bits of the same loop in JavaScript), split over `threads` in contiguous ranges.
void axpy(double* t, const double* g, double c, long len, bool accumulate, int threads);

}  // namespace widelimit
