#include "cli/common.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "core/io/model_files.h"

namespace bs::cli {

void fail(const std::string& message) { throw Failure{message}; }

std::string default_data_dir() {
  if (const char* env = std::getenv("BOOKSMART_DATA")) return env;
  return BOOKSMART_DEFAULT_DATA_DIR;
}

Dataset load_split(const std::string& dir, Split split) { return take(load_mnist_split(dir, split)); }

Model load_model_or_fail(const std::string& path) { return take(load_model(path)); }

void print_json(const nlohmann::json& j) { std::cout << j.dump(2) << std::endl; }

bool stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

}  // namespace bs::cli
