// Node-API entry points of arccos.h (registered in addon.cc), Float64Array operands:
//   arcBefore(S, T, n, i0, i1, q, first, w, bb, u, c, rho)
//   arcAfter(S, T, n, i0, i1, q, rho, pt, relu, ab, c2, degOne, degBoth, w, bb, u, c)
//   arcMirror(S, T, n, i0, i1)
// Shapes and lengths are checked here (a RangeError, never a read or write outside the arrays).
#include <node_api.h>

#include "arccos.h"
#include "napi_args.h"

namespace widelimit {

using namespace napi_args;

namespace {

// S, T (n × n), rows [i0, i1) and, when q is asked for, q (n entries); the block's entry count.
bool shapeOf(napi_env env, napi_value* argv, bool withQ, ArcShape* a, long* entries) {
  void *s, *t, *q = nullptr;
  size_t ls, lt, lq = 0;
  if (!typed(env, argv[0], napi_float64_array, &s, &ls, false) || !typed(env, argv[1], napi_float64_array, &t, &lt, false)
      || (withQ && !typed(env, argv[5], napi_float64_array, &q, &lq, false))) return false;
  const double n = num(env, argv[2]), i0 = num(env, argv[3]), i1 = num(env, argv[4]);
  if (!(n >= 0 && n < 1e5 && i0 >= 0 && i0 <= i1 && i1 <= n) || n != static_cast<double>(static_cast<long>(n))
      || i0 != static_cast<double>(static_cast<long>(i0)) || i1 != static_cast<double>(static_cast<long>(i1))) return fail(env, "arc: bad shape");
  a->n = static_cast<long>(n);
  a->i0 = static_cast<long>(i0);
  a->i1 = static_cast<long>(i1);
  const size_t nn = static_cast<size_t>(a->n * a->n);
  if (ls < nn || lt < nn || (withQ && lq < static_cast<size_t>(a->n))) return fail(env, "arc: an operand is shorter than its shape");
  a->S = static_cast<double*>(s);
  a->T = static_cast<double*>(t);
  a->q = static_cast<const double*>(q);
  // Σ_{i0 ≤ i < i1} (n − 1 − i)
  *entries = (a->i1 - a->i0) * (a->n - 1) - (a->i1 * (a->i1 - 1) - a->i0 * (a->i0 - 1)) / 2;
  return true;
}

bool buffer(napi_env env, napi_value v, long entries, double** out) {
  void* d;
  size_t len;
  if (!typed(env, v, napi_float64_array, &d, &len, false)) return false;
  if (len < static_cast<size_t>(entries)) return fail(env, "arc: a buffer is shorter than the block's entries");
  *out = static_cast<double*>(d);
  return true;
}

ArcLayer layerOf(napi_env env, napi_value* v) { return {num(env, v[0]), num(env, v[1]), num(env, v[2]), num(env, v[3])}; }

}  // namespace

napi_value ArcBefore(napi_env env, napi_callback_info info) {
  size_t argc = 12;
  napi_value argv[12];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  ArcShape a;
  long entries;
  double* rho;
  if (argc != 12) fail(env, "arcBefore: expected 12 arguments");
  else if (shapeOf(env, argv, true, &a, &entries) && buffer(env, argv[11], entries, &rho)) {
    arcBefore(a, boolean(env, argv[6]), layerOf(env, argv + 7), rho);
  }
  return nullptr;
}

napi_value ArcAfter(napi_env env, napi_callback_info info) {
  size_t argc = 17;
  napi_value argv[17];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  ArcShape a;
  long entries;
  double *rho, *pt;
  if (argc != 17) fail(env, "arcAfter: expected 17 arguments");
  else if (shapeOf(env, argv, true, &a, &entries) && buffer(env, argv[6], entries, &rho) && buffer(env, argv[7], entries, &pt)) {
    arcAfter(a, rho, pt, boolean(env, argv[8]), num(env, argv[9]), num(env, argv[10]), num(env, argv[11]), num(env, argv[12]),
             layerOf(env, argv + 13));
  }
  return nullptr;
}

napi_value ArcMirror(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  ArcShape a;
  long entries;
  if (argc != 5) fail(env, "arcMirror: expected 5 arguments");
  else if (shapeOf(env, argv, false, &a, &entries)) arcMirror(a);
  return nullptr;
}

}  // namespace widelimit
