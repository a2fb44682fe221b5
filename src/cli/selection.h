// Choosing what to attack: an image by index or the first correctly classified image of a digit, and a
// pattern given as "layer:neuron".
#pragma once

#include <string>
#include <vector>

#include "core/analysis/neurons.h"
#include "core/data/dataset.h"
#include "core/nn/params.h"

namespace bs::cli {

NeuronId pattern_option(const std::string& text, const Arch& arch);  // fails with a clear message
// --index wins when given (>= 0); otherwise the first test image of `digit` that the model gets right.
size_t choose_image(const Params& p, const Dataset& data, long long index, int digit);

}  // namespace bs::cli
