// Streaming gzip decoding behind a small interface. Natively it is zlib (io/gunzip_zlib.cpp); the page uses
// the browser's own DecompressionStream instead and never links this implementation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/util/status.h"

namespace bs {

class Gunzip {
 public:
  using Sink = std::function<Status(const uint8_t* data, size_t size)>;
  virtual ~Gunzip() = default;
  // Decodes a chunk of compressed bytes and hands every decoded byte to `sink`. Concatenated gzip members
  // decode as one stream, as gunzip does.
  virtual Status push(const uint8_t* data, size_t size, const Sink& sink) = 0;
  // Call at end of input: a stream that stops inside a member is an error.
  virtual Status finish() = 0;
};

}  // namespace bs
