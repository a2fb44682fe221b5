// Reading files in chunks, natively. The page never links this: it gets its bytes from fetch().
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/util/status.h"

namespace bs {

using ChunkSink = std::function<Status(const uint8_t* data, size_t size)>;

// Streams a file to `sink` in chunks. Data that starts with the gzip magic (1f 8b) is decoded on the way,
// whatever the file's name. `raw_size`, if given, receives the on-disk size of an uncompressed file (0 for
// gzip).
Status stream_file(const std::string& path, const ChunkSink& sink, uint64_t* raw_size = nullptr);

Expected<std::vector<uint8_t>> read_file(const std::string& path, uint64_t max_bytes);
Status write_file(const std::string& path, const std::vector<uint8_t>& bytes);
// Fails now, with write_file's message, if `path` could not be written later: checked before long work
// (training) so that its result is not lost to a typo in the output path.
Status check_writable(const std::string& path);

}  // namespace bs
