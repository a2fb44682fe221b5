#include "core/io/gunzip_zlib.h"

#include <zlib.h>

namespace bs {
namespace {

class ZlibGunzip final : public Gunzip {
 public:
  explicit ZlibGunzip(std::string name) : name_(std::move(name)) {
    // 16 + MAX_WBITS: gzip wrapper only, so raw deflate or zlib data is reported as "not gzip".
    ok_ = inflateInit2(&z_, 16 + MAX_WBITS) == Z_OK;
  }
  ~ZlibGunzip() override { inflateEnd(&z_); }

  Status push(const uint8_t* data, size_t size, const Sink& sink) override {
    if (!error_.empty()) return Error{error_};
    if (!ok_) return fail("zlib could not be initialised");
    z_.next_in = const_cast<Bytef*>(data);
    z_.avail_in = static_cast<uInt>(size);
    for (;;) {
      if (member_done_) {
        if (z_.avail_in == 0) break;
        // Another member follows the previous one: decode it as a continuation of the same stream.
        if (inflateReset(&z_) != Z_OK) return fail("zlib reset failed");
        member_done_ = false;
      }
      z_.next_out = out_;
      z_.avail_out = sizeof(out_);
      uInt avail_before = z_.avail_in;
      int rc = inflate(&z_, Z_NO_FLUSH);
      consumed_ += avail_before - z_.avail_in;
      size_t produced = sizeof(out_) - z_.avail_out;
      if (produced > 0) {
        Status s = sink(out_, produced);
        if (!s.ok()) {
          error_ = s.message();
          return s;
        }
      }
      if (rc == Z_STREAM_END) {
        member_done_ = true;
        ++members_;
        continue;
      }
      if (rc == Z_BUF_ERROR) break;  // no progress possible: waits for more input
      if (rc != Z_OK) {
        std::string why = z_.msg ? z_.msg : "zlib error " + std::to_string(rc);
        if (members_ == 0 && consumed_ <= 10) why += " (this is not gzip data)";
        return fail("gzip data is corrupt near compressed byte " + std::to_string(consumed_) + ": " + why);
      }
      if (z_.avail_in == 0 && z_.avail_out != 0) break;  // input used up and output flushed
    }
    return Status::Ok();
  }

  Status finish() override {
    if (!error_.empty()) return Error{error_};
    if (members_ == 0 || !member_done_) {
      return fail("gzip stream is truncated: it ends at compressed byte " + std::to_string(consumed_) +
                  " inside a member");
    }
    return Status::Ok();
  }

 private:
  Status fail(const std::string& message) {
    error_ = name_ + ": " + message;
    return Error{error_};
  }

  std::string name_;
  z_stream z_{};
  bool ok_ = false;
  bool member_done_ = false;
  int members_ = 0;
  uint64_t consumed_ = 0;
  std::string error_;
  Bytef out_[1 << 16];
};

}  // namespace

std::unique_ptr<Gunzip> make_zlib_gunzip(std::string name) {
  return std::make_unique<ZlibGunzip>(std::move(name));
}

}  // namespace bs
