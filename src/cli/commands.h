// Each subcommand registers itself on the app; its callback stores the action that main() runs after parsing.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace bs::cli {

void add_train_command(CLI::App& app, std::function<int()>& action);
void add_figures_command(CLI::App& app, std::function<int()>& action);
void add_attack_command(CLI::App& app, std::function<int()>& action);
void add_inspect_command(CLI::App& app, std::function<int()>& action);
void add_bench_command(CLI::App& app, std::function<int()>& action);
void add_subspace_command(CLI::App& app, std::function<int()>& action);
void add_compare_command(CLI::App& app, std::function<int()>& action);
void add_robustness_command(CLI::App& app, std::function<int()>& action);
void add_bench_pgd_command(CLI::App& app, std::function<int()>& action);

}  // namespace bs::cli
