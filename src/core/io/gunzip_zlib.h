#pragma once

#include <memory>
#include <string>

#include "core/data/gunzip.h"

namespace bs {

// `name` appears in error messages.
std::unique_ptr<Gunzip> make_zlib_gunzip(std::string name);

}  // namespace bs
