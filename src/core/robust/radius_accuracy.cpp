#include "core/robust/radius_accuracy.h"

#include "core/robust/bounds.h"
#include "core/robust/sound_radius.h"

namespace bs {

RadiusAccuracy accuracy_at_radius(const Params& p, const Dataset& data, const std::vector<uint32_t>& indices,
                                  float eps, const RobustnessSettings& s) {
  RadiusAccuracy r;
  r.eps = eps;
  r.images = int(indices.size());
  // The correctly classified images are the ones worth attacking.
  const Mat all = dataset_columns(data, indices);
  Workspace ws(p.arch(), 1);
  std::vector<float> probs(size_t(p.arch().out));
  std::vector<uint32_t> correct;
  for (size_t i = 0; i < indices.size(); ++i)
    if (predict_one(p, ws, all.col(long(i)).data(), probs.data()) == data.label(indices[i]))
      correct.push_back(indices[i]);
  r.clean = int(correct.size());
  if (correct.empty()) return r;

  Mat x = dataset_columns(data, correct);
  std::vector<Goal> goals = dataset_goals(data, correct);
  const AttackRun pgd = pgd_attack(p, x, goals, std::vector<float>(correct.size(), eps), pgd_settings(s));
  r.pgd_flips = pgd.found();
  std::vector<uint32_t> standing;
  for (size_t i = 0; i < correct.size(); ++i)
    if (!pgd.success[i]) standing.push_back(correct[i]);
  r.robust = int(standing.size());
  if (s.norm == Norm::kLinf && s.square_queries > 0 && !standing.empty()) {
    const AttackRun sq = square_attack(p, dataset_columns(data, standing), dataset_goals(data, standing),
                                       std::vector<float>(standing.size(), eps), square_settings(s));
    r.square_flips = sq.found();
    r.robust -= r.square_flips;
  }

  // Counted as certified where a float bound certifies and the sound bound confirms (docs/verification.md).
  BoundComputer bc(p);
  const NetworkD net(p);
  for (size_t i = 0; i < correct.size(); ++i) {
    const float* xi = x.col(long(i)).data();
    const int y = goals[i].label;
    r.certified += (bc.compute(xi, y, s.norm, eps, BoundMethod::kCrown).certified() ||
                    bc.compute(xi, y, s.norm, eps, BoundMethod::kIbp).certified()) &&
                   soundly_certified(net, xi, y, s.norm, eps);
  }
  return r;
}

}  // namespace bs
