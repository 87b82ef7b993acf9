// 2-D convolution (NHWC, float32) and its two gradients as im2col + BLAS sgemm, for training on
// the tfjs wasm backend: called with views into the wasm heap, so no data is copied in or out.
// The kernels of tfjs-wasm (XNNPACK, 128-bit SIMD without FMA) reach ~30 GFLOP/s on two cores
// here; OpenBLAS's AVX2/FMA sgemm reaches ~110.
#include <cblas.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "addon.h"

namespace deblurbench {

namespace {

struct Geometry {
  int n, h, w, cin;     // input
  int kh, kw, cout;     // filter [kh, kw, cin, cout]
  int sh, sw, dh, dw;   // strides, dilations
  int pt, pl;           // padding before the first row / column
  int ho, wo;           // output
  int taps() const { return kh * kw * cin; }
};

// Bound the im2col buffer: output rows per chunk so that a chunk holds at most this many floats.
constexpr size_t kChunkFloats = size_t(8) << 20;

int rowsPerChunk(const Geometry& g) {
  const size_t perRow = size_t(g.wo) * g.taps();
  return int(std::max<size_t>(1, std::min<size_t>(g.ho, kChunkFloats / std::max<size_t>(1, perRow))));
}

// col[(y - y0)·wo + x, (i·kw + j)·cin + c] = input pixel read by output (y, x) through tap (i, j); 0 in the padding.
// Without column dilation the kw taps of one kernel row are kw·cin contiguous floats of the input:
// one copy per kernel row when the row lies inside the image.
void im2col(const Geometry& g, const float* image, int y0, int y1, float* col) {
  const int taps = g.taps();
  const size_t span = size_t(g.kw) * g.cin;
  for (int y = y0; y < y1; y++) {
    for (int x = 0; x < g.wo; x++) {
      float* row = col + (size_t(y - y0) * g.wo + x) * taps;
      const int ix0 = x * g.sw - g.pl;
      const bool inside = g.dw == 1 && ix0 >= 0 && ix0 + g.kw <= g.w;
      for (int i = 0; i < g.kh; i++) {
        const int iy = y * g.sh - g.pt + i * g.dh;
        float* dst = row + size_t(i) * span;
        if (iy < 0 || iy >= g.h) {
          std::memset(dst, 0, sizeof(float) * span);
        } else if (inside) {
          std::memcpy(dst, image + (size_t(iy) * g.w + ix0) * g.cin, sizeof(float) * span);
        } else {
          for (int j = 0; j < g.kw; j++) {
            const int ix = ix0 + j * g.dw;
            if (ix < 0 || ix >= g.w) std::memset(dst + j * g.cin, 0, sizeof(float) * g.cin);
            else std::memcpy(dst + j * g.cin, image + (size_t(iy) * g.w + ix) * g.cin, sizeof(float) * g.cin);
          }
        }
      }
    }
  }
}

// The adjoint of im2col: add every column entry back onto the input pixel it was read from.
void col2imAdd(const Geometry& g, const float* col, int y0, int y1, float* image) {
  const int taps = g.taps();
  const int span = g.kw * g.cin;
  for (int y = y0; y < y1; y++) {
    for (int x = 0; x < g.wo; x++) {
      const float* row = col + (size_t(y - y0) * g.wo + x) * taps;
      const int ix0 = x * g.sw - g.pl;
      const bool inside = g.dw == 1 && ix0 >= 0 && ix0 + g.kw <= g.w;
      for (int i = 0; i < g.kh; i++) {
        const int iy = y * g.sh - g.pt + i * g.dh;
        if (iy < 0 || iy >= g.h) continue;
        const float* src = row + i * span;
        float* base = image + size_t(iy) * g.w * g.cin;
        if (inside) {
          float* dst = base + size_t(ix0) * g.cin;
          for (int c = 0; c < span; c++) dst[c] += src[c];
          continue;
        }
        for (int j = 0; j < g.kw; j++) {
          const int ix = ix0 + j * g.dw;
          if (ix < 0 || ix >= g.w) continue;
          float* dst = base + size_t(ix) * g.cin;
          for (int c = 0; c < g.cin; c++) dst[c] += src[j * g.cin + c];
        }
      }
    }
  }
}

// Visit every image b and chunk of output rows [y0, y1) with an im2col buffer big enough for a chunk.
template <typename Visit>
void forEachChunk(const Geometry& g, Visit visit) {
  const int chunk = rowsPerChunk(g);
  std::vector<float> col(size_t(chunk) * g.wo * g.taps());
  for (int b = 0; b < g.n; b++) {
    for (int y0 = 0; y0 < g.ho; y0 += chunk) visit(b, y0, std::min(g.ho, y0 + chunk), col.data());
  }
}

size_t imageSize(const Geometry& g) { return size_t(g.h) * g.w * g.cin; }
// offset of output row y0 of image b in an [n, ho, wo, cout] tensor
size_t outputOffset(const Geometry& g, int b, int y0) { return (size_t(b) * g.ho + y0) * g.wo * g.cout; }

// ---- One output channel (the critic's last layer): direct loops, no im2col ----
// im2col would copy every input value kh·kw times for a GEMM with one column (memory-bound, ~7 ms
// for the 4×4 512→1 weight gradient on 19×19); the direct loops below read each tap span once,
// with BLAS dot products and axpys over the spans.

// Calls visit(span of `len` input floats at `input`, matching span of the filter at `filter`) for
// every tap row of output pixel (y, x) of image b that lies inside the image: one span of kw·cin
// floats when the whole kernel row is inside (no column dilation), else one span of cin per tap.
template <typename Visit>
void forEachTapSpan(const Geometry& g, int y, int x, Visit visit) {
  const size_t span = size_t(g.kw) * g.cin;
  const int ix0 = x * g.sw - g.pl;
  const bool inside = g.dw == 1 && ix0 >= 0 && ix0 + g.kw <= g.w;
  for (int i = 0; i < g.kh; i++) {
    const int iy = y * g.sh - g.pt + i * g.dh;
    if (iy < 0 || iy >= g.h) continue;
    const size_t rowOffset = size_t(iy) * g.w * g.cin;
    if (inside) {
      visit(rowOffset + size_t(ix0) * g.cin, i * span, span);
      continue;
    }
    for (int j = 0; j < g.kw; j++) {
      const int ix = ix0 + j * g.dw;
      if (ix >= 0 && ix < g.w) visit(rowOffset + size_t(ix) * g.cin, i * span + size_t(j) * g.cin, size_t(g.cin));
    }
  }
}

// Calls visit(b, oy, ox) for every output pixel.
template <typename Visit>
void forEachOutputPixel(const Geometry& g, Visit visit) {
  for (int b = 0; b < g.n; b++) {
    for (int oy = 0; oy < g.ho; oy++) {
      for (int ox = 0; ox < g.wo; ox++) visit(b, oy, ox);
    }
  }
}

void forwardOneChannel(const Geometry& g, const float* x, const float* w, float* y) {
  forEachOutputPixel(g, [&](int b, int oy, int ox) {
    const float* image = x + b * imageSize(g);
    float sum = 0.f;
    forEachTapSpan(g, oy, ox, [&](size_t at, size_t tap, size_t len) { sum += cblas_sdot(int(len), image + at, 1, w + tap, 1); });
    y[outputOffset(g, b, oy) + ox] = sum;
  });
}

void inputGradientOneChannel(const Geometry& g, const float* dy, const float* w, float* dx) {
  std::memset(dx, 0, sizeof(float) * g.n * imageSize(g));
  forEachOutputPixel(g, [&](int b, int oy, int ox) {
    float* image = dx + b * imageSize(g);
    const float d = dy[outputOffset(g, b, oy) + ox];
    forEachTapSpan(g, oy, ox, [&](size_t at, size_t tap, size_t len) { cblas_saxpy(int(len), d, w + tap, 1, image + at, 1); });
  });
}

void filterGradientOneChannel(const Geometry& g, const float* x, const float* dy, float* dw) {
  std::memset(dw, 0, sizeof(float) * size_t(g.taps()));
  forEachOutputPixel(g, [&](int b, int oy, int ox) {
    const float* image = x + b * imageSize(g);
    const float d = dy[outputOffset(g, b, oy) + ox];
    forEachTapSpan(g, oy, ox, [&](size_t at, size_t tap, size_t len) { cblas_saxpy(int(len), d, image + at, 1, dw + tap, 1); });
  });
}

// y = conv(x, w): per image and chunk of output rows, [rows·wo, taps] × [taps, cout].
void forward(const Geometry& g, const float* x, const float* w, float* y) {
  if (g.cout == 1) return forwardOneChannel(g, x, w, y);
  forEachChunk(g, [&](int b, int y0, int y1, float* col) {
    im2col(g, x + b * imageSize(g), y0, y1, col);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (y1 - y0) * g.wo, g.cout, g.taps(), 1.f, col, g.taps(), w, g.cout, 0.f, y + outputOffset(g, b, y0), g.cout);
  });
}

// dx = dcol folded back, dcol = dy × wᵀ.
void inputGradient(const Geometry& g, const float* dy, const float* w, float* dx) {
  if (g.cout == 1) return inputGradientOneChannel(g, dy, w, dx);
  std::memset(dx, 0, sizeof(float) * g.n * imageSize(g));
  forEachChunk(g, [&](int b, int y0, int y1, float* col) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (y1 - y0) * g.wo, g.taps(), g.cout, 1.f, dy + outputOffset(g, b, y0), g.cout, w, g.cout, 0.f, col, g.taps());
    col2imAdd(g, col, y0, y1, dx + b * imageSize(g));
  });
}

// dw = Σ over images and chunks of colᵀ × dy.
void filterGradient(const Geometry& g, const float* x, const float* dy, float* dw) {
  if (g.cout == 1) return filterGradientOneChannel(g, x, dy, dw);
  std::memset(dw, 0, sizeof(float) * size_t(g.taps()) * g.cout);
  forEachChunk(g, [&](int b, int y0, int y1, float* col) {
    im2col(g, x + b * imageSize(g), y0, y1, col);
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, g.taps(), g.cout, (y1 - y0) * g.wo, 1.f, col, g.taps(), dy + outputOffset(g, b, y0), g.cout, 1.f, dw, g.cout);
  });
}

// ---- N-API entry points: (Float32Array a, Float32Array b, Float32Array out, Int32Array geometry) ----

enum class Op { Forward, InputGradient, FilterGradient };

template <Op op>
napi_value call(napi_env env, napi_callback_info info) {
  napi_value args[4];
  if (!callArguments(env, info, 4, args)) return fail(env, "conv: expected 4 arguments");
  size_t length;
  void* raw;
  if (!typedArray(env, args[3], napi_int32_array, &length, &raw) || length != 15) return fail(env, "conv: geometry must be an Int32Array of 15");
  const int* p = static_cast<const int*>(raw);
  const Geometry g{p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11], p[12], p[13], p[14]};
  for (int i = 0; i < 15; i++) {
    const bool padding = i == 11 || i == 12;
    if (padding ? p[i] < 0 : p[i] < 1) return fail(env, "conv: invalid geometry");
  }
  const size_t xs = size_t(g.n) * g.h * g.w * g.cin, ws = size_t(g.taps()) * g.cout, ys = size_t(g.n) * g.ho * g.wo * g.cout;
  float *a, *b, *out;
  const size_t need[3][3] = {{xs, ws, ys}, {ys, ws, xs}, {xs, ys, ws}};
  const size_t* n = need[int(op)];
  if (!floatView(env, args[0], n[0], &a) || !floatView(env, args[1], n[1], &b) || !floatView(env, args[2], n[2], &out)) return fail(env, "conv: a tensor is not a Float32Array of the expected size");
  if (op == Op::Forward) forward(g, a, b, out);
  else if (op == Op::InputGradient) inputGradient(g, a, b, out);
  else filterGradient(g, a, b, out);
  return nullptr;
}

}  // namespace

napi_value conv2d(napi_env env, napi_callback_info info) { return call<Op::Forward>(env, info); }
napi_value conv2dInputGradient(napi_env env, napi_callback_info info) { return call<Op::InputGradient>(env, info); }
napi_value conv2dFilterGradient(napi_env env, napi_callback_info info) { return call<Op::FilterGradient>(env, info); }

}  // namespace deblurbench
