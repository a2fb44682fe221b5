// Naming the network's 138 neurons: layer 1 (hidden, 64), layer 2 (hidden, 64), layer 3 (output, 10).
#pragma once

#include <cstdlib>
#include <string>

#include "core/nn/params.h"
#include "core/util/status.h"

namespace bs {

struct NeuronId {
  int layer = 3;  // 1, 2 or 3 (output)
  int index = 0;
  bool operator==(const NeuronId& o) const { return layer == o.layer && index == o.index; }
};

inline int layer_width(const Arch& a, int layer) {
  return layer == 1 ? a.h1 : layer == 2 ? a.h2 : a.out;
}
inline bool valid_neuron(const Arch& a, NeuronId n) {
  return n.layer >= 1 && n.layer <= 3 && n.index >= 0 && n.index < layer_width(a, n.layer);
}
// "1:5", "2:17", "3:0" — the notation the CLI and the page's URL use.
inline std::string neuron_name(NeuronId n) {
  return std::to_string(n.layer) + ":" + std::to_string(n.index);
}

// The inverse of neuron_name, strict: exactly "<layer>:<index>" in decimal, naming a neuron of `arch`.
inline Expected<NeuronId> parse_neuron(const std::string& text, const Arch& arch) {
  size_t colon = text.find(':');
  NeuronId n{-1, -1};
  auto digits = [](const std::string& s) {
    return !s.empty() && s.size() <= 4 && s.find_first_not_of("0123456789") == std::string::npos;
  };
  if (colon != std::string::npos && digits(text.substr(0, colon)) && digits(text.substr(colon + 1))) {
    n = NeuronId{std::atoi(text.substr(0, colon).c_str()), std::atoi(text.substr(colon + 1).c_str())};
  }
  if (!valid_neuron(arch, n)) {
    return Error{"'" + text +
                 "' is not a neuron: use layer:index with layer 1 or 2 (index 0-63) or 3 (output, 0-9)"};
  }
  return n;
}

}  // namespace bs
