// Shared by the native addon's sources: N-API argument checks and the entry points module.cc exports.
#pragma once
#include <node_api.h>

#include <cstddef>

namespace deblurbench {

// The data of a Float32Array holding at least `need` floats, or false.
inline bool floatView(napi_env env, napi_value v, size_t need, float** data) {
  napi_typedarray_type type;
  size_t length;
  void* raw;
  if (napi_get_typedarray_info(env, v, &type, &length, &raw, nullptr, nullptr) != napi_ok || type != napi_float32_array || length < need) return false;
  *data = static_cast<float*>(raw);
  return true;
}

inline napi_value fail(napi_env env, const char* message) {
  napi_throw_error(env, nullptr, message);
  return nullptr;
}

// The entry points, exported by module.cc.
napi_value conv2d(napi_env env, napi_callback_info info);
napi_value conv2dInputGradient(napi_env env, napi_callback_info info);
napi_value conv2dFilterGradient(napi_env env, napi_callback_info info);
napi_value adamUpdate(napi_env env, napi_callback_info info);

}  // namespace deblurbench
