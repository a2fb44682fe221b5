// URL parameters from anyone's link: apply_query must refuse bad values with a notice, apply good ones, never
// crash, and leave a state whose JSON form is valid and whose values are in range. The input is cut into
// [name, value] pairs at '&' and '=' the way the page's URLSearchParams hands them over (already decoded).
#include <cstdlib>
#include <string>

#include "app/state_api.h"
#include "tests/fuzz/fuzz_state.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto state = bs::fuzz::fresh_state();
  bs::app::AppState& s = *state;
  const std::string query(reinterpret_cast<const char*>(data), size);
  nlohmann::json pairs = nlohmann::json::array();
  for (size_t pos = 0; pos <= query.size();) {
    size_t amp = query.find('&', pos);
    if (amp == std::string::npos) amp = query.size();
    const std::string pair = query.substr(pos, amp - pos);
    const size_t eq = pair.find('=');
    // Invalid UTF-8 cannot come out of URLSearchParams; JSON strings keep the bytes as they are.
    pairs.push_back({pair.substr(0, eq), eq == std::string::npos ? "" : pair.substr(eq + 1)});
    pos = amp + 1;
  }
  (void)bs::app::apply_query(s, pairs);
  bs::fuzz::check_state(s);
  return 0;
}
