// Booksmart's side of the benchmark in the browser: the same core and trainer the page runs, compiled to
// WebAssembly SIMD, behind three exported functions that bench/web/bench.js calls. Also this browser's SIMD128
// peak (independent f32x4 multiply-add chains), for the share-of-peak figure.
#include <emscripten.h>
#include <wasm_simd128.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "core/data/split_stream.h"
#include "core/model/safetensors.h"
#include "core/nn/matmul.h"
#include "core/train/bench.h"

namespace {

bs::Dataset g_train, g_test;
bs::SplitStream g_train_stream("train-images-idx3-ubyte", "train-labels-idx1-ubyte", &g_train);
bs::SplitStream g_test_stream("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", &g_test);
std::string g_out;

const char* reply(const nlohmann::json& j) {
  g_out = j.dump();
  return g_out.c_str();
}

constexpr int kChains = 12;
volatile float g_sink;

double simd128_peak_gflops() {
  long iters = 1 << 16;
  for (;;) {
    v128_t acc[kChains];
    for (int i = 0; i < kChains; ++i) acc[i] = wasm_f32x4_splat(float(i) * 1e-3f);
    const v128_t a = wasm_f32x4_splat(0.999999f), b = wasm_f32x4_splat(1e-7f);
    auto t0 = std::chrono::steady_clock::now();
    for (long n = 0; n < iters; ++n)
      for (int i = 0; i < kChains; ++i) acc[i] = wasm_f32x4_add(wasm_f32x4_mul(acc[i], a), b);
    double dt = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    v128_t s = acc[0];
    for (int i = 1; i < kChains; ++i) s = wasm_f32x4_add(s, acc[i]);
    g_sink = wasm_f32x4_extract_lane(s, 0);
    if (dt >= 0.3) return double(iters) * kChains * 4 * 2 / dt / 1e9;
    iters *= 2;
  }
}

}  // namespace

extern "C" {

// file: 0 train images, 1 train labels, 2 test images, 3 test labels (decompressed IDX bytes, any chunking).
EMSCRIPTEN_KEEPALIVE const char* bench_push(int file, const uint8_t* data, int size) {
  bs::SplitStream& s = file < 2 ? g_train_stream : g_test_stream;
  bs::Status st = file % 2 == 0 ? s.push_images(data, size_t(size)) : s.push_labels(data, size_t(size));
  return reply({{"error", st.message()}});
}

// Validation losses and throughput from the initial model in `init` (safetensors bytes).
EMSCRIPTEN_KEEPALIVE const char* bench_run(const uint8_t* init, int size, int repeat, int steps) {
  auto model = bs::decode_safetensors(init, size_t(size), "init.safetensors");
  if (!model.ok()) return reply({{"error", model.error()}});
  if (!g_train.complete() || !g_test.complete()) return reply({{"error", "MNIST has not fully arrived"}});
  nlohmann::json train = nlohmann::json::array(), infer = nlohmann::json::array();
  std::vector<float> losses = bs::bench_validation_losses(model.value(), g_train, steps);
  bs::BenchTiming last;
  for (int r = 0; r < repeat; ++r) {
    last = bs::bench_throughput(model.value(), g_train, g_test);
    train.push_back(double(last.train_samples) / last.train_seconds);
    infer.push_back(double(last.infer_samples) / last.infer_seconds);
  }
  return reply({{"kernels", bs::kernel_isa_name(bs::kernel_isa())}, {"validation_losses", losses}, {"train_runs", train},
                {"infer_runs", infer}, {"test_accuracy_after_epoch", last.test_accuracy},
                {"flops_per_train_sample", bs::train_flops_per_sample(bs::Arch{})}});
}

EMSCRIPTEN_KEEPALIVE const char* bench_peak() { return reply({{"simd128_gflops", simd128_peak_gflops()}}); }

}  // extern "C"
