// Argument helpers of the Node-API entry points (addon.cc, addon_trainer.cc): a failed check
// throws a RangeError and returns false.
#pragma once
#include <node_api.h>

#include <string>

namespace widelimit::napi_args {

inline bool fail(napi_env env, const std::string& msg) {
  napi_throw_range_error(env, nullptr, ("native gemm: " + msg).c_str());
  return false;
}

inline bool typed(napi_env env, napi_value v, napi_typedarray_type want, void** data, size_t* len, bool nullable) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  if (nullable && (t == napi_null || t == napi_undefined)) {
    *data = nullptr;
    *len = 0;
    return true;
  }
  bool is = false;
  napi_is_typedarray(env, v, &is);
  if (!is) return fail(env, "expected a typed array");
  napi_typedarray_type type;
  napi_value buf;
  size_t off;
  napi_get_typedarray_info(env, v, &type, len, data, &buf, &off);
  if (type != want) return fail(env, "wrong typed array type");
  return true;
}

inline double num(napi_env env, napi_value v) {
  double d = 0;
  napi_get_value_double(env, v, &d);
  return d;
}

inline bool boolean(napi_env env, napi_value v) {
  bool b = false;
  napi_get_value_bool(env, v, &b);
  return b;
}

}  // namespace widelimit::napi_args
