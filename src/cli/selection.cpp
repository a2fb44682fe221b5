#include "cli/selection.h"

#include "cli/common.h"
#include "core/analysis/attack.h"

namespace bs::cli {

NeuronId pattern_option(const std::string& text, const Arch& arch) {
  auto n = bs::parse_neuron(text, arch);
  if (!n.ok()) fail("--pattern " + n.error());
  return n.value();
}

size_t choose_image(const Params& p, const Dataset& data, long long index, int digit) {
  if (index >= 0) {
    if (size_t(index) >= data.size()) {
      fail("--index " + std::to_string(index) + " is out of range (the test set has " +
           std::to_string(data.size()) + " images)");
    }
    return size_t(index);
  }
  return take(first_correct(p, data, digit));
}

}  // namespace bs::cli
