// What every subcommand shares: loading data and models with one-line errors, and printing results.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "core/data/dataset.h"
#include "core/io/mnist_files.h"
#include "core/model/model.h"
#include "core/util/status.h"

namespace bs::cli {

// Thrown only inside the CLI to unwind to main(), which prints "booksmart: error: <message>" and exits 1.
struct Failure {
  std::string message;
};

[[noreturn]] void fail(const std::string& message);
template <class T>
T take(Expected<T> e) {
  if (!e.ok()) fail(e.error());
  return std::move(e).value();
}
inline void check(const Status& s) {
  if (!s.ok()) fail(s.message());
}

std::string default_data_dir();
// --data DIR and its shortcut --dataset mnist|fashion (Debian's dataset-fashion-mnist files), which exclude
// each other; both set `dir`.
// `dataset`, if given, receives the --dataset name ("mnist" unless --dataset fashion).
void add_data_options(CLI::App* cmd, std::string& dir, std::string* dataset = nullptr);
Dataset load_split(const std::string& dir, Split split);
Model load_model_or_fail(const std::string& path);

// --kernels: "auto" (the fastest this CPU has), "portable" (SSE2, the page's arithmetic; the same results on
// every x86-64 machine), "avx2" or "avx512". Fails on an unknown name or a CPU without it.
void select_kernels(const std::string& name);
inline constexpr const char* kKernelsHelp =
    "Matrix kernels: auto (fastest on this CPU), portable (same results on every machine), avx2, avx512";

void print_json(const nlohmann::json& j);

// Runs `work` `repeat` times and times each run: the benchmarks' median, fastest and slowest.
struct RunTimes {
  double median = 0, min = 0, max = 0;
  nlohmann::json json() const { return {{"median", median}, {"min", min}, {"max", max}}; }
};
RunTimes time_runs(int repeat, const std::function<void()>& work);
bool stderr_is_terminal();

}  // namespace bs::cli
