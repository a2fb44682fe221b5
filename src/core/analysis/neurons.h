// Naming the network's 138 neurons: layer 1 (hidden, 64), layer 2 (hidden, 64), layer 3 (output, 10).
#pragma once

#include <string>

#include "core/nn/params.h"

namespace bs {

struct NeuronId {
  int layer = 3;  // 1, 2 or 3 (output)
  int index = 0;
  bool operator==(const NeuronId& o) const { return layer == o.layer && index == o.index; }
};

inline int layer_width(const Arch& a, int layer) { return layer == 1 ? a.h1 : layer == 2 ? a.h2 : a.out; }
inline bool valid_neuron(const Arch& a, NeuronId n) {
  return n.layer >= 1 && n.layer <= 3 && n.index >= 0 && n.index < layer_width(a, n.layer);
}
// "1:5", "2:17", "3:0" — the notation the CLI and the page's URL use.
inline std::string neuron_name(NeuronId n) { return std::to_string(n.layer) + ":" + std::to_string(n.index); }

}  // namespace bs
