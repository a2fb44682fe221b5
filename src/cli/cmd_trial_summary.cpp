// booksmart trial-summary: the second trial's verdicts from several seeds' `booksmart trial --json` files
// (docs/trial-rules.md): each rule's 95 % interval over seeds and images, its verdict, the manipulation
// checks per seed, and each account's cell per experiment. --out writes them as JSON
// (docs/trial/summary.json),
// --markdown rewrites the tables between the markers of a document (docs/trial.md).
#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/common.h"
#include "core/io/file_bytes.h"
#include "core/trial/measures.h"
#include "core/trial/reading_table.h"

namespace bs::cli {
namespace {

struct SummaryOptions {
  std::vector<std::string> files;
  std::string out, markdown;
  bool json = false;
};

constexpr uint64_t kMaxFileBytes = 64u << 20;

nlohmann::json read_json(const std::string& path) {
  const std::vector<uint8_t> bytes = take(read_file(path, kMaxFileBytes));
  try {
    return nlohmann::json::parse(bytes.begin(), bytes.end());
  } catch (const nlohmann::json::exception& e) {
    fail(path + " is not JSON: " + e.what());
  }
}

// One seed's measures from its trial file: a full run (the rules judge no --quick run), with measures.
SeedMeasures seed_measures(const std::string& path) {
  const nlohmann::json j = read_json(path);
  if (!j.is_object() || !j.contains("measures"))
    fail(path + " has no \"measures\": it is not the output of booksmart trial --json");
  if (j.value("quick", false)) fail(path + " is a --quick run: the rules judge full runs only");
  Expected<SeedMeasures> m = measures_from_json(j["measures"]);
  if (!m.ok()) fail(path + ": " + m.error());
  return std::move(m.value());
}

int run(const SummaryOptions& o) {
  if (!o.out.empty()) check(check_writable(o.out));
  std::string doc;
  if (!o.markdown.empty()) {
    const std::vector<uint8_t> bytes = take(read_file(o.markdown, kMaxFileBytes));
    doc.assign(bytes.begin(), bytes.end());
    take(replace_between_markers(doc, ""));  // the markers are there, before the work
    check(check_writable(o.markdown));
  }
  std::vector<SeedMeasures> seeds;
  std::set<uint64_t> seen;
  for (const std::string& f : o.files) {
    seeds.push_back(seed_measures(f));
    if (!seen.insert(seeds.back().seed).second)
      fail(f + " repeats seed " + std::to_string(seeds.back().seed) + ": each file must be another seed");
  }
  const TrialReading reading = read_trial(seeds);
  const nlohmann::json j = reading_json(reading);
  if (!o.out.empty()) {
    const std::string text = j.dump(2) + "\n";
    check(write_file(o.out, std::vector<uint8_t>(text.begin(), text.end())));
  }
  const std::string tables = reading_markdown(reading);
  if (!o.markdown.empty()) {
    const std::string updated = take(replace_between_markers(doc, tables));
    check(write_file(o.markdown, std::vector<uint8_t>(updated.begin(), updated.end())));
  }
  if (o.json) {
    print_json(j);
  } else {
    std::printf("%s", tables.c_str());
  }
  return 0;
}

}  // namespace

void add_trial_summary_command(CLI::App& app, std::function<int()>& action) {
  auto o = std::make_shared<SummaryOptions>();
  CLI::App* cmd = app.add_subcommand(
      "trial-summary",
      "The second trial's verdicts, with intervals, from several seeds' booksmart trial --json files");
  cmd->add_option("files", o->files, "booksmart trial --seed S --json outputs, one per seed")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--out", o->out, "Write the verdicts, intervals and checks as JSON to this file");
  cmd->add_option("--markdown", o->markdown,
                  "Rewrite the tables between <!-- trial-summary:begin --> and <!-- trial-summary:end --> in "
                  "this document");
  cmd->add_flag("--json", o->json, "Print the JSON instead of the tables");
  cmd->callback([o, &action] { action = [o] { return run(*o); }; });
}

}  // namespace bs::cli
