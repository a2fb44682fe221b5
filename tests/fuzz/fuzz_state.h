// Shared by the state fuzzers: a state with a model and a few images, reset between inputs, and the checks
// every state must pass whatever was applied to it.
#pragma once

#include <cmath>
#include <cstdlib>
#include <memory>

#include "app/state_api.h"

namespace bs::fuzz {

// Made and destroyed within each input, so every input's allocations balance (libFuzzer's leak check stays
// quiet and fast) and no input sees another's state.
inline std::unique_ptr<app::AppState> fresh_state() {
  static const Model model = make_model(Arch{}, 1);
  // A few labelled images, so training and the attack have something to work on.
  static const Dataset images = [] {
    Dataset d;
    for (int i = 0; i < 20; ++i) {
      for (int k = 0; k < kPixels; ++k) d.images.push_back(uint8_t((i * 31 + k * 7) & 255));
      d.labels.push_back(uint8_t(i % 10));
    }
    d.declared = 20;
    return d;
  }();
  auto s = std::make_unique<app::AppState>();
  app::use_pretrained(*s, model, "fuzz");
  s->test = images;
  s->train = images;
  return s;
}

inline void check_state(const app::AppState& s) {
  if (!(s.attack.alpha >= 0.0f && s.attack.alpha <= 3.0f)) std::abort();
  if (!valid_neuron(Arch{}, s.ui.selected) || !valid_neuron(Arch{}, s.attack.pattern)) std::abort();
  if (s.attack.target < 0 || s.attack.target > 9 || s.attack.digit < 0 || s.attack.digit > 9) std::abort();
  if (!(s.run.config.opt.lr > 0.0f) || s.run.config.batch < 1 || s.run.config.batch > 256) std::abort();
  const std::string text = app::state_json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::strict);
  if (nlohmann::json::parse(text, nullptr, false).is_discarded()) std::abort();
}

}  // namespace bs::fuzz
