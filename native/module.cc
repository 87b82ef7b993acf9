// The native addon: convolution kernels (conv.cc) and the fused Adam update (adam.cc).
#include "addon.h"

namespace {

void exportFunction(napi_env env, napi_value exports, const char* name, napi_callback cb) {
  napi_value f;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, cb, nullptr, &f);
  napi_set_named_property(env, exports, name, f);
}

}  // namespace

NAPI_MODULE_INIT() {
  exportFunction(env, exports, "conv2d", deblurbench::conv2d);
  exportFunction(env, exports, "conv2dInputGradient", deblurbench::conv2dInputGradient);
  exportFunction(env, exports, "conv2dFilterGradient", deblurbench::conv2dFilterGradient);
  exportFunction(env, exports, "adamUpdate", deblurbench::adamUpdate);
  return exports;
}
