// Each subcommand registers itself on the app; its callback stores the action that main() runs after parsing.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace bs::cli {

// For --seed: a whole number from 0 to 2^64 - 1 (CLI11 would otherwise wrap "-1" round to 2^64 - 1).
inline CLI::Validator seed_check() {
  return CLI::Validator(
      [](std::string& v) {
        const bool digits =
            !v.empty() && v.size() <= 20 && v.find_first_not_of("0123456789") == std::string::npos;
        return digits && (v.size() < 20 || v <= "18446744073709551615")
                   ? std::string()
                   : "must be a whole number from 0 to 18446744073709551615, not " + v;
      },
      "SEED");
}

void add_train_command(CLI::App& app, std::function<int()>& action);
void add_figures_command(CLI::App& app, std::function<int()>& action);
void add_attack_command(CLI::App& app, std::function<int()>& action);
void add_inspect_command(CLI::App& app, std::function<int()>& action);
void add_bench_command(CLI::App& app, std::function<int()>& action);
void add_subspace_command(CLI::App& app, std::function<int()>& action);
void add_compare_command(CLI::App& app, std::function<int()>& action);
void add_robustness_command(CLI::App& app, std::function<int()>& action);
void add_robust_accuracy_command(CLI::App& app, std::function<int()>& action);
void add_bench_pgd_command(CLI::App& app, std::function<int()>& action);
void add_bench_crown_command(CLI::App& app, std::function<int()>& action);
void add_trial_command(CLI::App& app, std::function<int()>& action);
void add_trial_summary_command(CLI::App& app, std::function<int()>& action);
void add_verify_command(CLI::App& app, std::function<int()>& action);

}  // namespace bs::cli
