// A trained network together with the weights it started from (the analysis compares the two) and free-form
// training metadata (seed, recipe, accuracy) that travels in the model file.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "core/nn/params.h"

namespace bs {

struct Model {
  Params params;
  Params init;
  bool has_init = true;  // files from elsewhere may lack init.* tensors
  std::map<std::string, std::string> metadata;
};

// A freshly initialised model: params == init.
Model make_model(const Arch& arch, uint64_t seed, float init_scale = 1.0f);

}  // namespace bs
