#include "core/trial/optimizers.h"

#include <algorithm>
#include <cmath>

#include "core/robust/deepfool.h"
#include "core/train/evaluate.h"
#include "core/trial/recipe.h"
#include "core/util/median.h"

namespace bs {

double off_span_drift(const Model& m, const Subspace& subspace, int k) {
  const MatRM top = subspace.basis.topRows(std::clamp(k, 0, kPixels));
  auto off = [&](const MatRM& w) -> MatRM { return w - (w * top.transpose()) * top; };
  const double init = double(off(m.init.w1).norm());
  return init > 0 ? double(off(m.params.w1 - m.init.w1).norm()) / init : 0.0;
}

float median_minimal_l2(const Params& p, const Dataset& test, int images, const RobustnessSettings& s) {
  const std::vector<uint32_t> idx = first_correct_images(p, test, size_t(std::max(0, images)));
  if (idx.empty()) return std::nanf("");
  const Mat x = dataset_columns(test, idx);
  const std::vector<Goal> goals = dataset_goals(test, idx);
  RobustnessSettings rs = s;
  rs.norm = Norm::kL2;
  DeepFoolSettings df;
  df.norm = Norm::kL2;
  const AttackRun deepfool = deepfool_attack(p, x, goals, df);
  const AttackRun pgd = minimal_radius_pgd(p, x, goals, rs, deepfool.radius);
  std::vector<double> r(idx.size());
  for (size_t i = 0; i < idx.size(); ++i) r[i] = std::min(deepfool.radius[i], pgd.radius[i]);
  return float(median(std::move(r)));
}

OptimizersReport optimizers_experiment(const Model& sgd, const Dataset& train, const Dataset& test,
                                       const Subspace& subspace, uint64_t seed, int images,
                                       const TransferSettings& s) {
  OptimizersReport rep;
  rep.k = s.k > 0 ? s.k : subspace.k_for(0.95);
  TrainConfig adam = default_train_config();
  adam.opt.kind = OptimizerKind::kAdam;
  adam.opt.lr = 1e-3f;
  rep.sgd.name = "sgd";
  rep.sgd.model = sgd;
  rep.adam.name = "adam";
  rep.adam.model = train_recipe(train, seed, s.epochs, adam);
  Workspace ws(Arch{}, 500);
  for (OptimizerRun* r : {&rep.sgd, &rep.adam}) {
    r->accuracy = evaluate(r->model.params, test, ws).accuracy();
    r->off_drift = off_span_drift(r->model, subspace, rep.k);
    r->median_radius = median_minimal_l2(r->model.params, test, images, s.attack);
  }
  rep.sgd_to_adam = measure_transfer(rep.sgd.model.params, rep.adam.model.params, test, subspace, rep.k, s,
                                     &rep.correct_sgd, &rep.correct_adam);
  int a = 0, b = 0;
  rep.adam_to_sgd =
      measure_transfer(rep.adam.model.params, rep.sgd.model.params, test, subspace, rep.k, s, &a, &b);
  return rep;
}

}  // namespace bs
