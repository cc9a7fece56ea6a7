// Node-API entry points of the native engine (plain node_api.h, no wrapper library):
//   isa() → "avx512" | "avx2" | null
//   gemm(tA, tB, m, n, k, alpha, A, B, beta, C, threads, kind, a, ba, bs, vec, mask)
//   syrkUpper(n, k, alpha, A, C, threads), axpy(t, g, c, offset, len, accumulate, threads), hugePages(array)
// with A, B, C, vec Float64Array (vec may be null), mask Uint8Array or null; see gemm.h.
// Lengths are checked here (a RangeError, never a write outside the arrays).
#include <node_api.h>

#include <sys/mman.h>

#include <algorithm>
#include <cstdint>
#include <string>

#include "gemm.h"
#include "napi_args.h"
#include "narrow.h"
#include "vector.h"

namespace {

using widelimit::GemmCall;
using namespace widelimit::napi_args;

napi_value Isa(napi_env env, napi_callback_info) {
  napi_value out;
  const char* isa = widelimit::gemmIsa();
  if (isa) napi_create_string_utf8(env, isa, NAPI_AUTO_LENGTH, &out);
  else napi_get_null(env, &out);
  return out;
}

napi_value Gemm(napi_env env, napi_callback_info info) {
  size_t argc = 17;
  napi_value argv[17];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc != 17) {
    fail(env, "expected 17 arguments");
    return nullptr;
  }
  if (!widelimit::gemmIsa()) {
    fail(env, "this CPU has neither AVX2 with FMA nor AVX-512");
    return nullptr;
  }
  GemmCall c;
  c.tA = boolean(env, argv[0]);
  c.tB = boolean(env, argv[1]);
  const double m = num(env, argv[2]), n = num(env, argv[3]), k = num(env, argv[4]);
  if (!(m >= 0 && n >= 0 && k >= 0 && m < 1e9 && n < 1e9 && k < 1e9)) {
    fail(env, "bad shape");
    return nullptr;
  }
  c.m = static_cast<long>(m);
  c.n = static_cast<long>(n);
  c.k = static_cast<long>(k);
  c.alpha = num(env, argv[5]);
  c.beta = num(env, argv[8]);
  void *a, *b, *cc, *vec, *mask;
  size_t la, lb, lc, lv, lm;
  if (!typed(env, argv[6], napi_float64_array, &a, &la, false) || !typed(env, argv[7], napi_float64_array, &b, &lb, false)
      || !typed(env, argv[9], napi_float64_array, &cc, &lc, false) || !typed(env, argv[15], napi_float64_array, &vec, &lv, true)
      || !typed(env, argv[16], napi_uint8_array, &mask, &lm, true)) return nullptr;
  const size_t mn = static_cast<size_t>(c.m * c.n);
  if (la < static_cast<size_t>(c.m * c.k) || lb < static_cast<size_t>(c.k * c.n) || lc < mn) {
    fail(env, "an operand is shorter than its shape");
    return nullptr;
  }
  const int threads = static_cast<int>(num(env, argv[10]));
  c.epi.kind = static_cast<int>(num(env, argv[11]));
  c.epi.a = num(env, argv[12]);
  c.epi.ba = num(env, argv[13]);
  c.epi.bs = num(env, argv[14]);
  c.epi.vec = static_cast<const double*>(vec);
  c.epi.mask = static_cast<uint8_t*>(mask);
  const int kind = c.epi.kind;
  const bool vecOk = kind == widelimit::kAbrelu ? (vec == nullptr || lv >= static_cast<size_t>(c.n))
      : (kind == widelimit::kSlopeAct || kind == widelimit::kSlopeTable) ? (vec != nullptr && lv >= mn) : true;
  const bool maskOk = kind == widelimit::kSlopeMask ? (mask != nullptr && lm >= mn)
      : kind == widelimit::kAbrelu ? (mask == nullptr || lm >= mn) : true;
  if (kind < 0 || kind > widelimit::kSlopeTable || !vecOk || !maskOk) {
    fail(env, "bad epilogue arguments");
    return nullptr;
  }
  c.A = static_cast<const double*>(a);
  c.B = static_cast<const double*>(b);
  c.C = static_cast<double*>(cc);
  widelimit::gemm(c, threads < 1 ? 1 : threads);
  return nullptr;
}

// syrkUpper(n, k, alpha, A, C, threads): C ← alpha·A Aᵀ (A n × k, C n × n, row-major) on the tiles
// holding the upper triangle (gemm.h, GemmCall::upper); each entry has the bits of gemm(false, true).
napi_value SyrkUpper(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc != 6) {
    fail(env, "syrkUpper: expected 6 arguments");
    return nullptr;
  }
  const double n = num(env, argv[0]), k = num(env, argv[1]);
  void *a, *cc;
  size_t la, lc;
  if (!(n >= 0 && k >= 0 && n < 1e9 && k < 1e9)) {
    fail(env, "bad shape");
    return nullptr;
  }
  if (!typed(env, argv[3], napi_float64_array, &a, &la, false) || !typed(env, argv[4], napi_float64_array, &cc, &lc, false)) return nullptr;
  GemmCall c;
  c.tB = true;
  c.upper = true;
  c.m = c.n = static_cast<long>(n);
  c.k = static_cast<long>(k);
  if (la < static_cast<size_t>(c.m * c.k) || lc < static_cast<size_t>(c.m * c.m)) {
    fail(env, "an operand is shorter than its shape");
    return nullptr;
  }
  c.alpha = num(env, argv[2]);
  c.A = c.B = static_cast<const double*>(a);
  c.C = static_cast<double*>(cc);
  const int threads = static_cast<int>(num(env, argv[5]));
  widelimit::gemm(c, threads < 1 ? 1 : threads);
  return nullptr;
}

// axpy(t, g, c, offset, len, accumulate, threads): t[o + i] ← (t[o + i] +) c·g[o + i], i < len (vector.h).
napi_value Axpy(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc != 7) {
    fail(env, "axpy: expected 7 arguments");
    return nullptr;
  }
  void *t, *g;
  size_t lt, lg;
  if (!typed(env, argv[0], napi_float64_array, &t, &lt, false) || !typed(env, argv[1], napi_float64_array, &g, &lg, false)) return nullptr;
  const double o = num(env, argv[3]), len = num(env, argv[4]);
  if (!(o >= 0 && len >= 0 && o + len <= static_cast<double>(std::min(lt, lg)))) {
    fail(env, "axpy: range outside the arrays");
    return nullptr;
  }
  const int threads = static_cast<int>(num(env, argv[6]));
  const long off = static_cast<long>(o);
  widelimit::axpy(static_cast<double*>(t) + off, static_cast<const double*>(g) + off, num(env, argv[2]), static_cast<long>(len),
                  boolean(env, argv[5]), threads < 1 ? 1 : threads);
  return nullptr;
}

// hugePages(array): advise the kernel to back the array's whole 2 MiB pages with huge pages (before
// they are first touched: far fewer page faults for the h × h weights). Returns whether it could.
napi_value HugePages(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  void* data = nullptr;
  size_t len = 0;
  bool ok = false;
  if (argc == 1 && typed(env, argv[0], napi_float64_array, &data, &len, false)) {
#ifdef MADV_HUGEPAGE
    const uintptr_t huge = 2u << 20;
    const uintptr_t lo = (reinterpret_cast<uintptr_t>(data) + huge - 1) & ~(huge - 1);
    const uintptr_t hi = (reinterpret_cast<uintptr_t>(data) + len * sizeof(double)) & ~(huge - 1);
    ok = hi > lo && madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_HUGEPAGE) == 0;
#endif
  }
  napi_value out;
  napi_get_boolean(env, ok, &out);
  return out;
}

}  // namespace

namespace widelimit {
napi_value RowDots(napi_env env, napi_callback_info info);        // addon_trainer.cc
napi_value NarrowBackward(napi_env env, napi_callback_info info);  // addon_trainer.cc
napi_value ArcBefore(napi_env env, napi_callback_info info);       // addon_arccos.cc
napi_value ArcAfter(napi_env env, napi_callback_info info);        // addon_arccos.cc
napi_value ArcMirror(napi_env env, napi_callback_info info);       // addon_arccos.cc
}  // namespace widelimit

NAPI_MODULE_INIT() {
  napi_value f;
  napi_create_function(env, "isa", NAPI_AUTO_LENGTH, Isa, nullptr, &f);
  napi_set_named_property(env, exports, "isa", f);
  napi_create_function(env, "gemm", NAPI_AUTO_LENGTH, Gemm, nullptr, &f);
  napi_set_named_property(env, exports, "gemm", f);
  napi_create_function(env, "syrkUpper", NAPI_AUTO_LENGTH, SyrkUpper, nullptr, &f);
  napi_set_named_property(env, exports, "syrkUpper", f);
  napi_create_function(env, "axpy", NAPI_AUTO_LENGTH, Axpy, nullptr, &f);
  napi_set_named_property(env, exports, "axpy", f);
  napi_create_function(env, "hugePages", NAPI_AUTO_LENGTH, HugePages, nullptr, &f);
  napi_set_named_property(env, exports, "hugePages", f);
  napi_create_function(env, "rowDots", NAPI_AUTO_LENGTH, widelimit::RowDots, nullptr, &f);
  napi_set_named_property(env, exports, "rowDots", f);
  napi_create_function(env, "narrowBackward", NAPI_AUTO_LENGTH, widelimit::NarrowBackward, nullptr, &f);
  napi_set_named_property(env, exports, "narrowBackward", f);
  napi_create_function(env, "arcBefore", NAPI_AUTO_LENGTH, widelimit::ArcBefore, nullptr, &f);
  napi_set_named_property(env, exports, "arcBefore", f);
  napi_create_function(env, "arcAfter", NAPI_AUTO_LENGTH, widelimit::ArcAfter, nullptr, &f);
  napi_set_named_property(env, exports, "arcAfter", f);
  napi_create_function(env, "arcMirror", NAPI_AUTO_LENGTH, widelimit::ArcMirror, nullptr, &f);
  napi_set_named_property(env, exports, "arcMirror", f);
  return exports;
}
