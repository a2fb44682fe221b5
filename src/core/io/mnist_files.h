// MNIST from a folder holding the four standard file names, each raw or gzip-compressed (`.gz`).
#pragma once

#include <string>

#include "core/data/dataset.h"
#include "core/util/status.h"

namespace bs {

enum class Split { kTrain, kTest };

// Finds `<prefix>-images-idx3-ubyte[.gz]` and `<prefix>-labels-idx1-ubyte[.gz]` in `dir` (prefix "train" or
// "t10k") and parses both. On error nothing is returned: a caller's existing dataset stays as it was.
Expected<Dataset> load_mnist_split(const std::string& dir, Split split);
Expected<Dataset> load_idx_pair(const std::string& images_path, const std::string& labels_path);

}  // namespace bs
