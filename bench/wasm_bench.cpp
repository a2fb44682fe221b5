// Booksmart's side of the benchmark in the browser: the same core and trainer the page runs, compiled to
// WebAssembly SIMD, behind four exported functions that bench/web/bench.js calls. Also this browser's
// SIMD128 peak (independent f32x4 multiply-add chains), for the share-of-peak figure.
#include <emscripten.h>
#include <wasm_simd128.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "core/data/split_stream.h"
#include "core/model/safetensors.h"
#include "core/nn/matmul.h"
#include "core/robust/robustness.h"
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

volatile float g_sink;

// Eight named chains (not an array, which may live in memory): each iteration is 8 f32x4 mul+add pairs, 64
// flops, and the chains are independent, so throughput rather than latency bounds it. A separate, repeatedly
// called function: V8 first runs WebAssembly with its baseline compiler and swaps in the optimised code only
// for later calls, so a single long call would time the baseline code.
__attribute__((noinline)) float peak_kernel(long iters) {
  const v128_t m = wasm_f32x4_splat(0.999999f), c = wasm_f32x4_splat(1e-7f);
  v128_t a0 = wasm_f32x4_splat(0.1f), a1 = wasm_f32x4_splat(0.2f), a2 = wasm_f32x4_splat(0.3f),
         a3 = wasm_f32x4_splat(0.4f), a4 = wasm_f32x4_splat(0.5f), a5 = wasm_f32x4_splat(0.6f),
         a6 = wasm_f32x4_splat(0.7f), a7 = wasm_f32x4_splat(0.8f);
  for (long n = 0; n < iters; ++n) {
    a0 = wasm_f32x4_add(wasm_f32x4_mul(a0, m), c);
    a1 = wasm_f32x4_add(wasm_f32x4_mul(a1, m), c);
    a2 = wasm_f32x4_add(wasm_f32x4_mul(a2, m), c);
    a3 = wasm_f32x4_add(wasm_f32x4_mul(a3, m), c);
    a4 = wasm_f32x4_add(wasm_f32x4_mul(a4, m), c);
    a5 = wasm_f32x4_add(wasm_f32x4_mul(a5, m), c);
    a6 = wasm_f32x4_add(wasm_f32x4_mul(a6, m), c);
    a7 = wasm_f32x4_add(wasm_f32x4_mul(a7, m), c);
  }
  v128_t s = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_add(a0, a1), wasm_f32x4_add(a2, a3)),
                            wasm_f32x4_add(wasm_f32x4_add(a4, a5), wasm_f32x4_add(a6, a7)));
  return wasm_f32x4_extract_lane(s, 0);
}

double simd128_peak_gflops() {
  constexpr long kIters = 1 << 20;
  for (int warm = 0; warm < 50; ++warm) g_sink = peak_kernel(kIters / 16);
  double best = 0;
  for (int run = 0; run < 20; ++run) {
    auto t0 = std::chrono::steady_clock::now();
    g_sink = peak_kernel(kIters);
    double dt = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    best = std::max(best, double(kIters) * 64 / dt / 1e9);
  }
  return best;
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
  return reply({{"kernels", bs::kernel_isa_name(bs::kernel_isa())},
                {"validation_losses", losses},
                {"train_runs", train},
                {"infer_runs", infer},
                {"test_accuracy_after_epoch", last.test_accuracy},
                {"flops_per_train_sample", bs::train_flops_per_sample(bs::Arch{})}});
}

// The robustness tools on the first `count` correctly classified test images of `model` (safetensors bytes):
// each stage's time (unsliced; the page runs the same code in frame slices), with the CLI's default settings.
EMSCRIPTEN_KEEPALIVE const char* bench_robustness(const uint8_t* model_bytes, int size, int count, int l2) {
  auto model = bs::decode_safetensors(model_bytes, size_t(size), "model.safetensors");
  if (!model.ok()) return reply({{"error", model.error()}});
  if (!g_test.complete()) return reply({{"error", "the MNIST test set has not fully arrived"}});
  bs::RobustnessSettings s;
  s.norm = l2 ? bs::Norm::kL2 : bs::Norm::kLinf;
  s.square_queries = 0;
  const auto indices = bs::first_correct_images(model->params, g_test, size_t(count));
  const bs::RobustnessReport r = bs::measure_robustness(model->params, g_test, indices, s);
  return reply({{"norm", bs::norm_name(s.norm)},
                {"images", r.images.size()},
                {"deepfool_s", r.deepfool_seconds},
                {"pgd_s", r.pgd_seconds},
                {"ibp_s", r.ibp_seconds},
                {"crown_s", r.crown_seconds},
                {"median_certified", bs::median_of(r.images, &bs::ImageRobustness::crown)},
                {"median_attack", bs::median_of(r.images, &bs::ImageRobustness::best)}});
}

EMSCRIPTEN_KEEPALIVE const char* bench_peak() {
  return reply({{"simd128_gflops", simd128_peak_gflops()}});
}

}  // extern "C"
