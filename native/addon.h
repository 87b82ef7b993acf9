// Shared by the native addon's sources: N-API argument checks and the entry points module.cc exports.
#pragma once
#include <node_api.h>

#include <cstddef>

namespace deblurbench {

// The call's arguments, when there are exactly `count`.
inline bool callArguments(napi_env env, napi_callback_info info, size_t count, napi_value* args) {
  size_t argc = count;
  return napi_get_cb_info(env, info, &argc, args, nullptr, nullptr) == napi_ok && argc == count;
}

// The length and data of a typed array of type `want`, or false.
inline bool typedArray(napi_env env, napi_value v, napi_typedarray_type want, size_t* length, void** data) {
  napi_typedarray_type type;
  return napi_get_typedarray_info(env, v, &type, length, data, nullptr, nullptr) == napi_ok && type == want;
}

// The data of a Float32Array holding at least `need` floats, or false.
inline bool floatView(napi_env env, napi_value v, size_t need, float** data) {
  size_t length;
  void* raw;
  if (!typedArray(env, v, napi_float32_array, &length, &raw) || length < need) return false;
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
