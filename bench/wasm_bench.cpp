// Booksmart's side of the benchmark in the browser: the same core and trainer the page runs, compiled to
// WebAssembly SIMD, behind four exported functions that bench/web/bench.js calls. Also this browser's
// SIMD128 peak (independent f32x4 multiply and add chains), for the share-of-peak figure.
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

// Seven multiply chains and seven add chains, each in a named variable (not an array, which may live in
// memory): a multiply never waits for an add or the other way round, and each chain waits only for its own
// last step, so with 14 chains in flight the two vector units stay busy and throughput, not latency, bounds
// the time. (A chain of a = a * m + c makes every add wait for its multiply and every multiply for the add
// before it: that measures latency.) Each iteration is 14 f32x4 operations, 56 flops. A separate, repeatedly
// called function: V8 first runs WebAssembly with its baseline compiler and swaps in the optimised code only
// for later calls, so a single long call would time the baseline code.
__attribute__((noinline)) float peak_kernel(long iters) {
  const v128_t m = wasm_f32x4_splat(0.999999f), c = wasm_f32x4_splat(1e-7f);
  v128_t p0 = wasm_f32x4_splat(0.1f), p1 = wasm_f32x4_splat(0.2f), p2 = wasm_f32x4_splat(0.3f),
         p3 = wasm_f32x4_splat(0.4f), p4 = wasm_f32x4_splat(0.5f), p5 = wasm_f32x4_splat(0.6f),
         p6 = wasm_f32x4_splat(0.7f);
  v128_t s0 = wasm_f32x4_splat(1.1f), s1 = wasm_f32x4_splat(1.2f), s2 = wasm_f32x4_splat(1.3f),
         s3 = wasm_f32x4_splat(1.4f), s4 = wasm_f32x4_splat(1.5f), s5 = wasm_f32x4_splat(1.6f),
         s6 = wasm_f32x4_splat(1.7f);
  for (long n = 0; n < iters; ++n) {
    p0 = wasm_f32x4_mul(p0, m);
    s0 = wasm_f32x4_add(s0, c);
    p1 = wasm_f32x4_mul(p1, m);
    s1 = wasm_f32x4_add(s1, c);
    p2 = wasm_f32x4_mul(p2, m);
    s2 = wasm_f32x4_add(s2, c);
    p3 = wasm_f32x4_mul(p3, m);
    s3 = wasm_f32x4_add(s3, c);
    p4 = wasm_f32x4_mul(p4, m);
    s4 = wasm_f32x4_add(s4, c);
    p5 = wasm_f32x4_mul(p5, m);
    s5 = wasm_f32x4_add(s5, c);
    p6 = wasm_f32x4_mul(p6, m);
    s6 = wasm_f32x4_add(s6, c);
  }
  const v128_t p = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_add(p0, p1), wasm_f32x4_add(p2, p3)),
                                  wasm_f32x4_add(wasm_f32x4_add(p4, p5), p6));
  const v128_t q = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_add(s0, s1), wasm_f32x4_add(s2, s3)),
                                  wasm_f32x4_add(wasm_f32x4_add(s4, s5), s6));
  return wasm_f32x4_extract_lane(wasm_f32x4_add(p, q), 0);
}

double simd128_peak_gflops() {
  constexpr long kIters = 1 << 20;
  for (int warm = 0; warm < 50; ++warm) g_sink = peak_kernel(kIters / 16);
  double best = 0;
  for (int run = 0; run < 20; ++run) {
    auto t0 = std::chrono::steady_clock::now();
    g_sink = peak_kernel(kIters);
    double dt = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    best = std::max(best, double(kIters) * 56 / dt / 1e9);
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

// PGD-5 adversarial training as the Compare view runs it, on the first `images` training images: images/s.
EMSCRIPTEN_KEEPALIVE const char* bench_pgd_train(const uint8_t* init, int size, int steps, int images) {
  auto model = bs::decode_safetensors(init, size_t(size), "init.safetensors");
  if (!model.ok()) return reply({{"error", model.error()}});
  if (!g_train.complete()) return reply({{"error", "the MNIST training set has not fully arrived"}});
  return reply({{"steps", steps},
                {"images_per_s", bs::bench_pgd_training(model.value(), g_train, steps, size_t(images))}});
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
