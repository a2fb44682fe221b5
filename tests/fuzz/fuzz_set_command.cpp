// The text of a set() call or a postMessage command's changes, as the page hands it to bs_set(): parsed
// without exceptions, applied field by field; never a crash, always a valid state afterwards.
#include <string>

#include "app/state_api.h"
#include "tests/fuzz/fuzz_state.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto state = bs::fuzz::fresh_state();
  bs::app::AppState& s = *state;
  auto changes = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (!changes.is_discarded()) (void)bs::app::apply_changes(s, changes);
  bs::fuzz::check_state(s);
  return 0;
}
