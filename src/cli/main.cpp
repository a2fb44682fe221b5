// booksmart: the headless command line. Trains the network, redraws the article's figures, runs the overlay
// attack and inspects models. Every failure is one line on stderr and a non-zero exit.
#include <cstdio>

#include "cli/commands.h"
#include "cli/common.h"

int main(int argc, char** argv) {
  CLI::App app{"Booksmart: why neural networks fall for adversarial examples", "booksmart"};
  app.require_subcommand(1);
  std::function<int()> action;
  bs::cli::add_train_command(app, action);
  bs::cli::add_figures_command(app, action);
  bs::cli::add_attack_command(app, action);
  bs::cli::add_inspect_command(app, action);
  bs::cli::add_bench_command(app, action);
  bs::cli::add_subspace_command(app, action);
  bs::cli::add_compare_command(app, action);
  bs::cli::add_robustness_command(app, action);
  bs::cli::add_robust_accuracy_command(app, action);
  bs::cli::add_bench_pgd_command(app, action);
  bs::cli::add_bench_crown_command(app, action);
  bs::cli::add_trial_command(app, action);
  bs::cli::add_trial_summary_command(app, action);
  bs::cli::add_verify_command(app, action);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "booksmart: error: %s (see booksmart --help)\n", e.what());
    return e.get_exit_code() ? e.get_exit_code() : 2;
  }
  try {
    return action ? action() : 2;
  } catch (const bs::cli::Failure& f) {
    std::fprintf(stderr, "booksmart: error: %s\n", f.message.c_str());
    return 1;
  }
}
