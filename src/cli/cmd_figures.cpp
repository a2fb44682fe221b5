// booksmart figures: redraws the article's figures from a model as PNG files — the effective-weight image and
// the dataset-derived feature of every neuron in each layer, and the overlay of the "0" pattern into a 7.
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/selection.h"
#include "core/analysis/attack.h"
#include "core/analysis/dataset_stats.h"
#include "core/analysis/effective.h"
#include "core/image/figures.h"
#include "core/io/file_bytes.h"

namespace bs::cli {
namespace {

struct FiguresOptions {
  std::string model, out = "figures", data = default_data_dir();
  int digit = 7, target = 0;
  bool json = false;
};

std::string pct(float p) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100 * p);
  return buf;
}

std::vector<std::string> captions(int layer, int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i)
    out.push_back(layer == 3 ? "digit " + std::to_string(i) : "neuron " + std::to_string(i));
  return out;
}

void write_png(const std::string& path, const Canvas& c, std::vector<std::string>& written) {
  check(write_file(path, encode_png(c)));
  written.push_back(path);
}

Canvas overlay_figure(const Model& model, const Dataset& test, const EffectiveWeights& eff,
                      const FiguresOptions& o) {
  const Params& p = model.params;
  size_t index = choose_image(p, test, -1, o.digit);
  std::vector<float> x = test.image_floats(index);
  const float* raw = eff.pattern(NeuronId{3, o.target});
  std::vector<float> unit = unit_pattern(raw, p.arch().in);
  Workspace ws(p.arch(), 1);
  FlipResult flip = find_flip(p, ws, x.data(), unit.data(), o.target, OverlaySettings{});
  std::vector<float> alphas = {0.25f, 0.5f, 0.75f, 1.0f, 1.5f};
  if (flip.flipped) alphas.push_back(flip.alpha);
  std::sort(alphas.begin(), alphas.end());

  std::vector<OverlayPanel> panels;
  std::vector<float> probs(10), blended(784);
  int pred = predict_overlay(p, ws, x.data(), unit.data(), 0, true, probs.data());
  panels.push_back({x, TileStyle::kGreyRaw, "test #" + std::to_string(index),
                    "pred " + std::to_string(pred) + " " + pct(probs[size_t(pred)])});
  panels.push_back(
      {unit, TileStyle::kDiverging, "pattern: output " + std::to_string(o.target), "(effective weights)"});
  for (float a : alphas) {
    pred = predict_overlay(p, ws, x.data(), unit.data(), a, true, probs.data());
    overlay(blended.data(), x.data(), unit.data(), a, true, 784);
    char cap[48];
    std::snprintf(cap, sizeof cap, flip.flipped && a == flip.alpha ? "a=%.3f (flip)" : "a=%.2f", double(a));
    panels.push_back(
        {blended, TileStyle::kGreyRaw, cap, "pred " + std::to_string(pred) + " " + pct(probs[size_t(pred)])});
  }
  return panel_row(panels, "A " + std::to_string(o.digit) + " plus alpha x the output-" +
                               std::to_string(o.target) + " pattern, clipped to [0,1]");
}

int run(const FiguresOptions& o) {
  Model model = load_model_or_fail(o.model);
  Dataset test = load_split(o.data, Split::kTest);
  ::mkdir(o.out.c_str(), 0755);
  EffectiveWeights eff = effective_weights(model.params);
  DatasetStats stats = dataset_stats(model.params, test);
  const char* names[3] = {"layer1", "layer2", "output"};
  const char* titles[3] = {"Layer 1", "Layer 2", "Output layer"};
  const int cols[3] = {8, 8, 5};
  std::vector<std::string> written;
  for (int l = 0; l < 3; ++l) {
    int n = int(eff.layer[size_t(l)].rows());
    write_png(o.out + "/" + names[l] + "_effective.png",
              neuron_grid(eff.layer[size_t(l)], cols[l], TileStyle::kDiverging,
                          std::string(titles[l]) + ": max-activating images (effective weights)",
                          captions(l + 1, n)),
              written);
    write_png(
        o.out + "/" + names[l] + "_dataset.png",
        neuron_grid(stats.feature[size_t(l)], cols[l], TileStyle::kGrey,
                    std::string(titles[l]) + ": dataset-derived features (activation-weighted mean of " +
                        std::to_string(stats.count) + " test images)",
                    captions(l + 1, n)),
        written);
  }
  write_png(o.out + "/overlay_" + std::to_string(o.digit) + "_to_" + std::to_string(o.target) + ".png",
            overlay_figure(model, test, eff, o), written);
  if (o.json) {
    print_json({{"files", written}});
  } else {
    for (const std::string& f : written) std::printf("wrote %s\n", f.c_str());
  }
  return 0;
}

}  // namespace

void add_figures_command(CLI::App& app, std::function<int()>& action) {
  auto o = std::make_shared<FiguresOptions>();
  CLI::App* cmd = app.add_subcommand("figures", "Write the article's figures as PNG files");
  cmd->add_option("--model", o->model, "Model file (safetensors)")->required();
  cmd->add_option("--out", o->out, "Folder to write the PNGs into (created if missing)");
  add_data_options(cmd, o->data);
  cmd->add_option("--digit", o->digit, "Digit for the overlay figure")->check(CLI::Range(0, 9));
  cmd->add_option("--target", o->target, "Target class for the overlay figure")->check(CLI::Range(0, 9));
  cmd->add_flag("--json", o->json, "Print one JSON object instead of prose");
  cmd->callback([o, &action] { action = [o] { return run(*o); }; });
}

}  // namespace bs::cli
