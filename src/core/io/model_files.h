// Model files on disk (safetensors). Saving writes a temporary file and renames it, so a failed save never
// destroys the previous model.
#pragma once

#include <string>

#include "core/model/model.h"
#include "core/util/status.h"

namespace bs {

Status save_model(const std::string& path, const Model& model);
Expected<Model> load_model(const std::string& path);

}  // namespace bs
