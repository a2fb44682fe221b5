// booksmart subspace: the data subspace of the training images and how a model's neurons split against it —
// per layer, how much of each effective-weight pattern lies outside the span of the data, how much of that is
// still the initial weights, and the never-lit pixels. With --out, PNGs of the split for the output neurons
// and of the leading principal components.
#include <sys/stat.h>

#include <cstdio>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/span_options.h"
#include "core/image/figures.h"
#include "core/io/file_bytes.h"

namespace bs::cli {
namespace {

struct SubspaceOptions {
  std::string model, data = default_data_dir(), out;
  SpanOptions span;
  bool json = false;
};

// Rows: the whole pattern, its in-span part and its off-span part, for every neuron of `layer`.
Canvas split_figure(const DataSubspace& ds, const EffectiveWeights& eff, int layer, int count) {
  MatRM rows(3 * count, kPixels);
  std::vector<std::string> caps;
  const char* kinds[3] = {"whole", "in-span", "off-span"};
  for (int kind = 0; kind < 3; ++kind) {
    for (int n = 0; n < count; ++n) {
      const float* w = eff.pattern(NeuronId{layer, n});
      std::vector<float> in(kPixels), off(kPixels);
      split_span(ds.s, ds.k, w, in.data(), off.data());
      const float* src = kind == 0 ? w : kind == 1 ? in.data() : off.data();
      rows.row(kind * count + n) = Eigen::Map<const Eigen::RowVectorXf>(src, kPixels);
      caps.push_back(std::string(kinds[kind]) + " " + std::to_string(n));
    }
  }
  return neuron_grid(
      rows, count, TileStyle::kDiverging,
      "Effective weights split against the top " + std::to_string(ds.k) + " principal components", caps);
}

int run(const SubspaceOptions& o) {
  Model model = load_model_or_fail(o.model);
  DataSubspace ds = load_subspace(o.data, o.span);
  SpanReport r = model_span_report(ds, model);
  const double never_lit_change = never_lit_max_change(ds.s, model.params, model.init);
  std::vector<std::string> files;
  if (!o.out.empty()) {
    ::mkdir(o.out.c_str(), 0755);
    EffectiveWeights eff = effective_weights(model.params);
    auto write = [&](const std::string& name, const Canvas& c) {
      check(write_file(o.out + "/" + name, encode_png(c)));
      files.push_back(o.out + "/" + name);
    };
    write("subspace_output.png", split_figure(ds, eff, 3, 10));
    write("subspace_layer1.png", split_figure(ds, eff, 1, 10));
    std::vector<std::string> caps;
    for (int j = 0; j < 16; ++j) caps.push_back("pc " + std::to_string(j + 1));
    write("principal_components.png",
          neuron_grid(ds.s.basis.topRows(16), 8, TileStyle::kDiverging,
                      "The 16 leading principal directions of the training images", caps));
  }
  if (o.json) {
    nlohmann::json j = span_json(r);
    j["images"] = ds.s.images;
    j["never_lit_pixels"] = ds.s.never_lit_count();
    j["never_lit_max_change"] = never_lit_change;
    j["k_95"] = ds.s.k_for(0.95);
    j["files"] = files;
    print_json(j);
    return 0;
  }
  std::printf(
      "%zu training images: k = %d principal components hold %.1f%% of the pixel variance (95%%: k = %d)\n",
      ds.s.images, r.k, 100 * r.explained, ds.s.k_for(0.95));
  std::printf("%d pixels are 0 in every training image; their layer-1 weights moved by at most %g\n",
              ds.s.never_lit_count(), never_lit_change);
  print_span_layers(r);
  std::printf(
      "off-span: |off(W)|/|W|; init off-span: the same for the initial weights; change in span: "
      "|in(W-W0)|/|W-W0|; off drift: |off(W-W0)|/|off(W0)|\n");
  for (const std::string& f : files) std::printf("wrote %s\n", f.c_str());
  return 0;
}

}  // namespace

void add_subspace_command(CLI::App& app, std::function<int()>& action) {
  auto o = std::make_shared<SubspaceOptions>();
  CLI::App* cmd =
      app.add_subcommand("subspace", "How the neurons' patterns split against the data's subspace");
  cmd->add_option("--model", o->model, "Model file (safetensors)")->required();
  add_data_options(cmd, o->data);
  cmd->add_option("--out", o->out, "Folder for PNG figures (none if not given)");
  add_span_options(cmd, o->span);
  cmd->add_flag("--json", o->json, "Print one JSON object (with every neuron) instead of prose");
  cmd->callback([o, &action] { action = [o] { return run(*o); }; });
}

}  // namespace bs::cli
