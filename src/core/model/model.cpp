#include "core/model/model.h"

namespace bs {

Model make_model(const Arch& arch, uint64_t seed, float init_scale) {
  Model m{Params(arch), Params(arch), true, {}};
  init_params(m.params, seed, init_scale);
  m.init = m.params;
  m.metadata["init_seed"] = std::to_string(seed);
  return m;
}

}  // namespace bs
