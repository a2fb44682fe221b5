// The attack options `robustness` and `robust-accuracy` share: the threat model, PGD's steps and restarts,
// the Square attack's queries and the seed of the random starts.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "core/robust/robustness.h"

namespace bs::cli {

struct AttackStrength {
  std::string norm = "linf";
  int restarts = 2, steps = 40, square_queries = 1000;
  uint64_t seed = 1;
};

// --norm, --restarts, --steps, --square-queries, --seed; `per` ends the PGD and Square help texts (e.g. " per
// radius probe").
void add_attack_strength_options(CLI::App* cmd, AttackStrength& a, const std::string& per);

// The settings they choose (a bad --norm fails with a one-line error).
RobustnessSettings robustness_settings(const AttackStrength& a);

// {"steps", "restarts", "square_queries", "seed"} for the commands' JSON.
nlohmann::json settings_json(const AttackStrength& a);

}  // namespace bs::cli
