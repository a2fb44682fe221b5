#include "cli/attack_strength.h"

#include "cli/commands.h"
#include "cli/common.h"

namespace bs::cli {

void add_attack_strength_options(CLI::App* cmd, AttackStrength& a, const std::string& per) {
  cmd->add_option("--norm", a.norm, "Threat model: linf or l2");
  cmd->add_option("--restarts", a.restarts, "PGD restarts" + per)->check(CLI::Range(1, 100));
  cmd->add_option("--steps", a.steps, "PGD steps per restart")->check(CLI::Range(1, 10000));
  cmd->add_option("--square-queries", a.square_queries, "Square attack queries" + per + " (L-inf; 0 skips)")
      ->check(CLI::Range(0, 100000));
  cmd->add_option("--seed", a.seed, "Seed of the attacks' random starts")->check(seed_check());
}

RobustnessSettings robustness_settings(const AttackStrength& a) {
  RobustnessSettings s;
  s.norm = take(parse_norm(a.norm));
  s.steps = a.steps;
  s.restarts = a.restarts;
  s.square_queries = a.square_queries;
  s.seed = a.seed;
  return s;
}

nlohmann::json settings_json(const AttackStrength& a) {
  return {
      {"steps", a.steps}, {"restarts", a.restarts}, {"square_queries", a.square_queries}, {"seed", a.seed}};
}

}  // namespace bs::cli
