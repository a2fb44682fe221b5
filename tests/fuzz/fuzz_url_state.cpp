// URL queries from anyone's link: apply_query must refuse bad values with a notice, apply good ones, never
// crash, and leave a state whose JSON form is valid and whose values are in range.
#include <cstdlib>
#include <string>

#include "app/state_api.h"
#include "tests/fuzz/fuzz_state.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto state = bs::fuzz::fresh_state();
  bs::app::AppState& s = *state;
  (void)bs::app::apply_query(s, std::string(reinterpret_cast<const char*>(data), size));
  bs::fuzz::check_state(s);
  return 0;
}
