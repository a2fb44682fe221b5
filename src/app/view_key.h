// What an image on screen depends on, as one value compared with ==: a view re-uploads a texture when its key
// changes, and a cached result is recomputed when its key does. Replaces integers built by hand from
// generation counters and neuron indices.
#pragma once

#include "core/analysis/neurons.h"

namespace bs::app {

struct ViewKey {
  long model = -1;  // the analysis generation of the model on view (or another model's own counter)
  long input = 0;   // the generation of whatever else the image shows (the blend, the drawing, a survey)
  NeuronId neuron{0, 0};
  int k = 0;  // principal directions, where the image is split by the data's span

  bool operator==(const ViewKey& o) const {
    return model == o.model && input == o.input && neuron == o.neuron && k == o.k;
  }
  bool operator!=(const ViewKey& o) const { return !(*this == o); }
};

}  // namespace bs::app
