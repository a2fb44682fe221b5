#include "core/io/file_bytes.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

#include "core/io/gunzip_zlib.h"

namespace bs {
namespace {

struct FileCloser {
  void operator()(FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<FILE, FileCloser>;

Expected<File> open(const std::string& path, const char* mode) {
  FILE* f = std::fopen(path.c_str(), mode);
  if (!f) return Error{path + ": cannot open (" + std::strerror(errno) + ")"};
  return File(f);
}

// A path that exists and is not a regular file (/dev/null, a pipe, a terminal) is written in place: renaming
// a temporary file over it would replace the device with a file (as root, /dev/null itself).
bool special_file(const std::string& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  return !ec && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status);
}

Status write_all(const std::string& path, const char* mode, const std::vector<uint8_t>& bytes) {
  auto file = open(path, mode);
  if (!file.ok()) return file.status();
  if (!bytes.empty() && std::fwrite(bytes.data(), 1, bytes.size(), file->get()) != bytes.size()) {
    return Error{path + ": write error (" + std::strerror(errno) + ")"};
  }
  if (std::fflush(file->get()) != 0) return Error{path + ": write error (" + std::strerror(errno) + ")"};
  return Status::Ok();
}

uint64_t file_size(FILE* f) {
  if (std::fseek(f, 0, SEEK_END) != 0) return 0;
  long size = std::ftell(f);
  std::fseek(f, 0, SEEK_SET);
  return size < 0 ? 0 : uint64_t(size);
}

}  // namespace

Status stream_file(const std::string& path, const ChunkSink& sink, uint64_t* raw_size) {
  auto file = open(path, "rb");
  if (!file.ok()) return file.status();
  FILE* f = file->get();
  uint64_t size = file_size(f);
  std::vector<uint8_t> buf(1 << 16);
  std::unique_ptr<Gunzip> gunzip;
  bool first = true;
  for (;;) {
    size_t n = std::fread(buf.data(), 1, buf.size(), f);
    if (n == 0) {
      if (std::ferror(f)) return Error{path + ": read error (" + std::strerror(errno) + ")"};
      break;
    }
    if (first) {
      first = false;
      if (n >= 2 && buf[0] == 0x1f && buf[1] == 0x8b) gunzip = make_zlib_gunzip(path);
      if (raw_size) *raw_size = gunzip ? 0 : size;
    }
    Status s = gunzip ? gunzip->push(buf.data(), n, sink) : sink(buf.data(), n);
    if (!s.ok()) return s;
  }
  if (first && raw_size) *raw_size = 0;
  return gunzip ? gunzip->finish() : Status::Ok();
}

Expected<std::vector<uint8_t>> read_file(const std::string& path, uint64_t max_bytes) {
  auto file = open(path, "rb");
  if (!file.ok()) return file.status();
  uint64_t size = file_size(file->get());
  if (size > max_bytes) {
    return Error{path + ": " + std::to_string(size) + " bytes is larger than the limit of " +
                 std::to_string(max_bytes)};
  }
  std::vector<uint8_t> bytes(size);
  if (size > 0 && std::fread(bytes.data(), 1, size, file->get()) != size) {
    return Error{path + ": read error (" + std::strerror(errno) + ")"};
  }
  return bytes;
}

Status write_file(const std::string& path, const std::vector<uint8_t>& bytes) {
  if (special_file(path)) return write_all(path, "wb", bytes);
  // Write to a temporary name, then rename: an interrupted save never leaves a half-written model behind.
  const std::string tmp = path + ".tmp";
  if (Status s = write_all(tmp, "wb", bytes); !s.ok()) {
    std::remove(tmp.c_str());
    return s;
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return Error{path + ": cannot replace (" + std::strerror(errno) + ")"};
  }
  return Status::Ok();
}

Status check_writable(const std::string& path) {
  if (special_file(path)) return open(path, "ab").status();
  const std::string tmp = path + ".tmp";
  auto file = open(tmp, "wb");
  if (!file.ok()) return file.status();
  file->reset();
  std::remove(tmp.c_str());
  return Status::Ok();
}

}  // namespace bs
