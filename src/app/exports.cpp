#include "app/exports.h"

#include <cmath>
#include <cstdio>

#include "app/app_state.h"
#include "core/model/safetensors.h"

namespace bs::app {
namespace {

std::string num(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.6g", v);
  return b;
}

}  // namespace

Expected<std::string> export_csv(const AppState& s, const std::string& series) {
  std::string out;
  if (series == "training") {
    if (s.run.history.loss.empty())
      return Error{"nothing to export yet: the live model has not been evaluated"};
    out = "epoch,loss,test_accuracy\n";
    for (size_t i = 0; i < s.run.history.loss.size(); ++i)
      out += num(s.run.history.at_epoch[i]) + "," + num(s.run.history.loss[i]) + "," +
             num(s.run.history.accuracy[i]) + "\n";
  } else if (series == "flip-rate") {
    if (!s.subspace.survey_ready)
      return Error{"nothing to export yet: open the Attacks view and let its survey finish"};
    out = flip_rate_csv(s.subspace.survey);
  } else if (series == "off-span") {
    if (!s.subspace.ready())
      return Error{"nothing to export yet: open the Subspace view and let the subspace finish"};
    out = "layer,neuron,norm,in_norm,off_norm,off_share,init_off_share,change_in_share,off_drift\n";
    for (int l = 0; l < 3; ++l) {
      for (size_t n = 0; n < s.subspace.report.neurons[l].size(); ++n) {
        const SpanSplit& x = s.subspace.report.neurons[l][n];
        out += std::to_string(l + 1) + "," + std::to_string(n) + "," + num(x.norm) + "," + num(x.in_norm) +
               "," + num(x.off_norm) + "," + num(x.off_share) + "," + num(x.init_off_share) + "," +
               num(x.change_in_share) + "," + num(x.off_drift) + "\n";
      }
    }
  } else if (series == "sparsity") {
    if (s.analysis.sparsity.active_histogram.empty())
      return Error{"nothing to export yet: the analysis has not run"};
    out = "active_neurons,images\n";
    for (size_t k = 0; k < s.analysis.sparsity.active_histogram.size(); ++k)
      out += std::to_string(k) + "," + std::to_string(s.analysis.sparsity.active_histogram[k]) + "\n";
  } else if (series == "robustness") {
    const std::vector<ImageRobustness>& images = s.robust.survey;
    if (images.empty())
      return Error{"nothing to export yet: open the Robustness view and let its survey finish a pass"};
    out = std::string("norm,index,label,ibp,crown,deepfool,pgd,square,best,adversarial_prediction\n");
    for (const ImageRobustness& r : images)
      out += std::string(norm_name(s.robust.norm)) + "," + std::to_string(r.index) + "," +
             std::to_string(r.label) + "," + num(r.ibp) + "," + num(r.crown) + "," + num(r.deepfool) + "," +
             num(r.pgd) + "," + num(r.square) + "," + num(r.best) + "," +
             std::to_string(r.adversarial_prediction) + "\n";
  } else if (series == "trial-span") {
    const ExperimentResult* x = experiment_result(s, Experiment::kSpan);
    if (!x || x->span.images.empty())
      return Error{"nothing to export yet: run the Trial view's experiment a (span)"};
    out =
        "index,label,radius,top_k_share,rest_share,never_lit_share,tangent_share,tangent_radius,"
        "complement_radius,linear_radius\n";
    for (const MinimalSpanImage& im : x->span.images)
      out += std::to_string(im.index) + "," + std::to_string(im.label) + "," + num(im.radius) + "," +
             num(im.shares.top_k) + "," + num(im.shares.rest) + "," + num(im.shares.never_lit) + "," +
             num(im.tangent_share) + "," + num(im.tangent_radius) + "," + num(im.complement_radius) + "," +
             num(im.linear_radius) + "\n";
  } else if (series == "trial-cosine") {
    const ExperimentResult* x = experiment_result(s, Experiment::kTransfer);
    if (!x) return Error{"nothing to export yet: run the Trial view's experiment b (transfer)"};
    out = "step,in_span,off_span\n";
    for (const CosinePoint& c : x->transfer.cosine)
      out += std::to_string(c.step) + "," + num(c.in_span) + "," + num(c.off_span) + "\n";
  } else if (series == "trial-thin") {
    const ExperimentResult* x = experiment_result(s, Experiment::kThinBook);
    if (!x || x->thin.empty())
      return Error{"nothing to export yet: run the Trial view's experiment c (thin)"};
    out =
        "d,init_scale,accuracy_projected,accuracy_raw,off_share,init_off_share,off_change,radius_in,"
        "radius_off\n";
    for (const ThinBookRun& r : x->thin)
      out += std::to_string(r.d) + "," + num(r.init_scale) + "," + num(r.accuracy_projected) + "," +
             num(r.accuracy_raw) + "," + num(r.off_share) + "," + num(r.init_off_share) + "," +
             num(r.off_change) + "," + num(r.radius_in) + "," + num(r.radius_off) + "\n";
  } else if (series == "probabilities") {
    if (s.attack.prediction < 0) return Error{"nothing to export yet: no image is on view"};
    out = "class,probability\n";
    for (size_t c = 0; c < s.attack.probs.size(); ++c)
      out += std::to_string(c) + "," + num(s.attack.probs[c]) + "\n";
  } else {
    return Error{"unknown CSV series '" + series.substr(0, 40) +
                 "': use training, flip-rate, off-span, sparsity, robustness, trial-span, trial-cosine, "
                 "trial-thin or probabilities"};
  }
  return out;
}

Status request_export(AppState& s, const std::string& kind) {
  if (kind == "png") {
    s.ui.capture_requested = true;
    return Status::Ok();
  }
  if (kind == "model") {
    if (!s.has_model()) return Error{"there is no model to export yet"};
    s.ui.downloads.push_back(
        {"booksmart-model.safetensors", "application/octet-stream", encode_safetensors(s.shown())});
    return Status::Ok();
  }
  if (kind.rfind("csv:", 0) == 0) {
    Expected<std::string> csv = export_csv(s, kind.substr(4));
    if (!csv.ok()) return Error{csv.error()};
    const std::string& text = csv.value();
    s.ui.downloads.push_back(
        {"booksmart-" + kind.substr(4) + ".csv", "text/csv", std::vector<uint8_t>(text.begin(), text.end())});
    return Status::Ok();
  }
  return Error{"export must be png, model or csv:<series>, not '" + kind.substr(0, 40) + "'"};
}

}  // namespace bs::app
