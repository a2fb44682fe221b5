#include "cli/common.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <vector>

#include "core/io/model_files.h"
#include "core/nn/matmul.h"

namespace bs::cli {

void fail(const std::string& message) {
  throw Failure{message};
}

std::string default_data_dir() {
  if (const char* env = std::getenv("BOOKSMART_DATA")) return env;
  return BOOKSMART_DEFAULT_DATA_DIR;
}

void add_data_options(CLI::App* cmd, std::string& dir, std::string* dataset) {
  CLI::Option* data = cmd->add_option("--data", dir, "Folder with the four MNIST-format files (raw or .gz)");
  cmd->add_option_function<std::string>(
         "--dataset",
         [&dir, dataset](const std::string& name) {
           dir = name == "fashion" ? std::string(BOOKSMART_FASHION_DIR) : default_data_dir();
           if (dataset) *dataset = name;
         },
         "mnist (default) or fashion (Fashion-MNIST from Debian's "
         "dataset-fashion-mnist, " BOOKSMART_FASHION_DIR ")")
      ->check(CLI::IsMember({"mnist", "fashion"}))
      ->excludes(data);
}

Dataset load_split(const std::string& dir, Split split) {
  return take(load_mnist_split(dir, split));
}

Model load_model_or_fail(const std::string& path) {
  return take(load_model(path));
}

void select_kernels(const std::string& name) {
  KernelIsa isa;
  if (name == "auto")
    isa = best_kernel_isa();
  else if (name == "portable")
    isa = KernelIsa::kPortable;
  else if (name == "avx2")
    isa = KernelIsa::kAvx2;
  else if (name == "avx512")
    isa = KernelIsa::kAvx512;
  else
    fail("--kernels '" + name + "': expected auto, portable, avx2 or avx512");
  if (!use_kernel_isa(isa)) fail("--kernels " + name + ": this CPU does not support it");
}

RunTimes time_runs(int repeat, const std::function<void()>& work) {
  std::vector<double> seconds;
  for (int r = 0; r < repeat; ++r) {
    const auto start = std::chrono::steady_clock::now();
    work();
    seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(seconds.begin(), seconds.end());
  return {seconds[seconds.size() / 2], seconds.front(), seconds.back()};
}

void print_json(const nlohmann::json& j) {
  std::cout << j.dump(2) << std::endl;
}

bool stderr_is_terminal() {
  return ::isatty(STDERR_FILENO) == 1;
}

}  // namespace bs::cli
