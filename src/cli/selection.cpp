#include "cli/selection.h"

#include <cstdlib>

#include "cli/common.h"
#include "core/analysis/attack.h"

namespace bs::cli {

NeuronId parse_neuron(const std::string& text, const Arch& arch) {
  size_t colon = text.find(':');
  char* end = nullptr;
  NeuronId n{-1, -1};
  if (colon != std::string::npos && colon > 0 && colon + 1 < text.size()) {
    long layer = std::strtol(text.c_str(), &end, 10);
    bool layer_ok = end == text.c_str() + colon;
    long index = std::strtol(text.c_str() + colon + 1, &end, 10);
    if (layer_ok && *end == '\0') n = NeuronId{int(layer), int(index)};
  }
  if (!valid_neuron(arch, n)) {
    fail("--pattern '" + text + "' is not a neuron: use layer:index with layer 1 or 2 (index 0-63) or 3 (output, 0-9)");
  }
  return n;
}

size_t choose_image(const Params& p, const Dataset& data, long long index, int digit) {
  if (index >= 0) {
    if (size_t(index) >= data.size()) {
      fail("--index " + std::to_string(index) + " is out of range (the test set has " + std::to_string(data.size()) +
           " images)");
    }
    return size_t(index);
  }
  return take(first_correct(p, data, digit));
}

}  // namespace bs::cli
