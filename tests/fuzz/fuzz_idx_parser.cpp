// The IDX push parser fed arbitrary bytes in arbitrary chunk sizes, as a network delivers them. Invariants:
// it never crashes or over-reads, its output only ever holds whole items, it declares no more items than the
// bytes it was given can hold, and after an error it accepts nothing more.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdlib>

#include "core/data/idx_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  const bool images = in.ConsumeBool();
  const size_t item = images ? 784 : 1;
  std::vector<uint8_t> out;
  bs::IdxParser parser("fuzz.idx", images ? bs::IdxKind::kImages : bs::IdxKind::kLabels, &out);
  if (in.ConsumeBool()) parser.expect_total_bytes(in.ConsumeIntegralInRange<uint64_t>(0, 1 << 20));
  bool failed = false;
  while (in.remaining_bytes() > 0) {
    const size_t chunk = in.ConsumeIntegralInRange<size_t>(1, 4096);
    std::vector<uint8_t> bytes = in.ConsumeBytes<uint8_t>(chunk);
    bs::Status st = parser.push(bytes.data(), bytes.size());
    if (failed && st.ok()) std::abort();  // refused input must stay refused
    failed = failed || !st.ok();
    if (out.size() % item != 0) std::abort();
    if (out.size() / item > parser.declared_count()) std::abort();
  }
  (void)parser.finish();
  return 0;
}
