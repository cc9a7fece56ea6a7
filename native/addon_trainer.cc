// Node-API entry points of narrow.h (registered in addon.cc):
//   rowDots(A, W, m, out, n, h, k, threads)
//   narrowBackward(dd, n, k, W, h, m, A, gw, kind, a, ba, vec, pos, below, threads)
// with Float64Array operands (A, gw, vec, below may be null; pos a Uint8Array or null). Shapes and
// lengths are checked here (a RangeError, never a read or write outside the arrays).
#include <node_api.h>

#include <cstdint>

#include "napi_args.h"
#include "narrow.h"

namespace widelimit {

using namespace napi_args;

namespace {

bool shape(napi_env env, napi_value v, long* out) {
  const double d = num(env, v);
  if (!(d >= 0 && d < 1e9) || static_cast<double>(static_cast<long>(d)) != d) return fail(env, "bad shape");
  *out = static_cast<long>(d);
  return true;
}

bool covers(napi_env env, size_t len, long need, bool nullable, const void* data) {
  if (nullable && data == nullptr) return true;
  if (len < static_cast<size_t>(need)) return fail(env, "an operand is shorter than its shape");
  return true;
}

int threadsOf(napi_env env, napi_value v) {
  const int t = static_cast<int>(num(env, v));
  return t < 1 ? 1 : t;
}

}  // namespace

napi_value RowDots(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc != 8) {
    fail(env, "rowDots: expected 8 arguments");
    return nullptr;
  }
  void *a, *w, *out;
  size_t la, lw, lo;
  long n, h, k;
  if (!typed(env, argv[0], napi_float64_array, &a, &la, false) || !typed(env, argv[1], napi_float64_array, &w, &lw, false)
      || !typed(env, argv[3], napi_float64_array, &out, &lo, false) || !shape(env, argv[4], &n) || !shape(env, argv[5], &h)
      || !shape(env, argv[6], &k) || !covers(env, la, n * h, false, a) || !covers(env, lw, k * h, false, w)
      || !covers(env, lo, n * k, false, out)) return nullptr;
  rowDots(static_cast<const double*>(a), static_cast<const double*>(w), num(env, argv[2]), static_cast<double*>(out), n, h, k,
          threadsOf(env, argv[7]));
  return nullptr;
}

napi_value NarrowBackward(napi_env env, napi_callback_info info) {
  size_t argc = 15;
  napi_value argv[15];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc != 15) {
    fail(env, "narrowBackward: expected 15 arguments");
    return nullptr;
  }
  void *dd, *w, *a, *gw, *vec, *pos, *below;
  size_t ld, lw, la, lg, lv, lp, lb;
  long n, k, h;
  if (!typed(env, argv[0], napi_float64_array, &dd, &ld, false) || !shape(env, argv[1], &n) || !shape(env, argv[2], &k)
      || !typed(env, argv[3], napi_float64_array, &w, &lw, false) || !shape(env, argv[4], &h)
      || !typed(env, argv[6], napi_float64_array, &a, &la, true) || !typed(env, argv[7], napi_float64_array, &gw, &lg, true)
      || !typed(env, argv[11], napi_float64_array, &vec, &lv, true) || !typed(env, argv[12], napi_uint8_array, &pos, &lp, true)
      || !typed(env, argv[13], napi_float64_array, &below, &lb, true)) return nullptr;
  NarrowSlope s;
  s.kind = static_cast<int>(num(env, argv[8]));
  s.a = num(env, argv[9]);
  s.ba = num(env, argv[10]);
  s.vec = static_cast<const double*>(vec);
  s.pos = static_cast<const uint8_t*>(pos);
  const bool slopeOk = s.kind == 1 ? pos != nullptr && lp >= static_cast<size_t>(n * h)
      : (s.kind == 0 || s.kind == 2) && vec != nullptr && lv >= static_cast<size_t>(n * h);
  if (k < 1 || k > 3 || (below && !slopeOk) || (gw && !a)) {
    fail(env, "narrowBackward: bad arguments");
    return nullptr;
  }
  if (!covers(env, ld, n * k, false, dd) || !covers(env, lw, k * h, false, w) || !covers(env, la, n * h, true, a)
      || !covers(env, lg, k * h, true, gw) || !covers(env, lb, n * h, true, below)) return nullptr;
  narrowBackward(static_cast<const double*>(dd), n, k, static_cast<const double*>(w), h, num(env, argv[5]),
                 static_cast<const double*>(a), static_cast<double*>(gw), s, static_cast<double*>(below), threadsOf(env, argv[14]));
  return nullptr;
}

}  // namespace widelimit
