// The zlib gunzip behind the CLI and the desktop app, fed arbitrary bytes in arbitrary chunks: errors, never
// crashes; and a sink that fails stops the decoder with that failure.
#include <fuzzer/FuzzedDataProvider.h>

#include "core/io/gunzip_zlib.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  const size_t sink_limit = in.ConsumeIntegralInRange<size_t>(0, 1 << 22);
  auto gz = bs::make_zlib_gunzip("fuzz.gz");
  size_t produced = 0;
  auto sink = [&](const uint8_t*, size_t n) -> bs::Status {
    produced += n;
    if (produced > sink_limit) return bs::Error{"sink full"};
    return bs::Status::Ok();
  };
  while (in.remaining_bytes() > 0) {
    std::vector<uint8_t> bytes = in.ConsumeBytes<uint8_t>(in.ConsumeIntegralInRange<size_t>(1, 2048));
    if (!gz->push(bytes.data(), bytes.size(), sink).ok()) return 0;
  }
  (void)gz->finish();
  return 0;
}
