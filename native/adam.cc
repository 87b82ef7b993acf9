// One Adam step for one weight tensor in a single pass (src/deblur/deblurgan/fused-adam.ts): reads
// the weights, gradient and both moments once and writes the three updated tensors, where tfjs runs
// about a dozen elementwise kernels over the whole tensor.
#include <cmath>

#include "addon.h"

namespace deblurbench {

namespace {

struct AdamStep {
  float learningRate, beta1, beta2, epsilon;
  float correction1, correction2;  // 1 − β₁ᵗ, 1 − β₂ᵗ
};

// m' = β₁m + (1−β₁)g, v' = β₂v + (1−β₂)g², x' = x − lr·(m'/c₁) / (√(v'/c₂) + ε)
void update(size_t n, const float* x, const float* g, const float* m, const float* v, float* xo, float* mo, float* vo, const AdamStep& s) {
  const float a1 = 1.f - s.beta1, a2 = 1.f - s.beta2;
  const float rate = s.learningRate / s.correction1, invC2 = 1.f / s.correction2;
  for (size_t i = 0; i < n; i++) {
    const float gi = g[i];
    const float mi = s.beta1 * m[i] + a1 * gi;
    const float vi = s.beta2 * v[i] + a2 * gi * gi;
    mo[i] = mi;
    vo[i] = vi;
    xo[i] = x[i] - rate * mi / (std::sqrt(vi * invC2) + s.epsilon);
  }
}

}  // namespace

// (x, g, m, v, xOut, mOut, vOut: Float32Array of one length; step: Float64Array [lr, β₁, β₂, ε, c₁, c₂])
napi_value adamUpdate(napi_env env, napi_callback_info info) {
  napi_value args[8];
  if (!callArguments(env, info, 8, args)) return fail(env, "adam: expected 8 arguments");
  float* t[7];
  size_t n = 0;
  for (int i = 0; i < 7; i++) {
    size_t length;
    void* raw;
    if (!typedArray(env, args[i], napi_float32_array, &length, &raw) || (i > 0 && length != n)) {
      return fail(env, "adam: every tensor must be a Float32Array exactly as long as the weights");
    }
    n = length;
    t[i] = static_cast<float*>(raw);
  }
  size_t count;
  void* p;
  if (!typedArray(env, args[7], napi_float64_array, &count, &p) || count != 6) return fail(env, "adam: step must be a Float64Array of 6");
  const double* d = static_cast<const double*>(p);
  const AdamStep s{float(d[0]), float(d[1]), float(d[2]), float(d[3]), float(d[4]), float(d[5])};
  update(n, t[0], t[1], t[2], t[3], t[4], t[5], t[6], s);
  return nullptr;
}

}  // namespace deblurbench
