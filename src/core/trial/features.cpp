#include "core/trial/features.h"

#include <algorithm>
#include <cmath>

#include "core/robust/pgd.h"
#include "core/robust/robustness.h"
#include "core/train/evaluate.h"
#include "core/trial/recipe.h"

namespace bs {

FeaturesReport features_experiment(const Params& a, const Dataset& train, const Dataset& test,
                                   const Subspace& subspace, uint64_t seed, const FeaturesSettings& s) {
  FeaturesReport rep;
  rep.k = s.k > 0 ? s.k : subspace.k_for(0.95);
  rep.images = std::min(s.images, train.size());
  std::vector<uint32_t> idx(rep.images);
  for (size_t i = 0; i < idx.size(); ++i) idx[i] = uint32_t(i);
  const Mat x = dataset_columns(train, idx);
  std::vector<Goal> goals = dataset_goals(train, idx);
  for (Goal& g : goals) g.target = (g.label + 1) % kClasses;
  const MatRM top = subspace.basis.topRows(rep.k);
  Workspace ws(a.arch(), 1);
  std::vector<float> probs(kClasses);
  for (const char* name : {"pgd", "off_span", "control"}) {
    FeaturesVariant v;
    v.name = name;
    Dataset set;
    set.images.resize(rep.images * kPixels);
    set.labels.resize(rep.images);
    set.declared = uint32_t(rep.images);
    Mat pushed = x;
    if (v.name != "control") {
      PgdSettings pgd;
      pgd.norm = Norm::kL2;
      pgd.steps = s.steps;
      pgd.restarts = 1;
      pgd.seed = seed;
      pgd.early_stop = false;  // the whole budget: the target's features as strong as the attack makes them
      if (v.name == "off_span") {
        pgd.restrict_rows = &top;
        pgd.restrict_complement = true;
        pgd.restrict_rounds = s.restrict_rounds;
      }
      pushed = pgd_attack(a, x, goals, std::vector<float>(rep.images, s.eps), pgd).adversarial;
    }
    size_t reached = 0;
    for (size_t i = 0; i < rep.images; ++i) {
      const float* p = pushed.col(long(i)).data();
      for (int k = 0; k < kPixels; ++k)
        set.images[i * kPixels + size_t(k)] = uint8_t(std::lround(std::clamp(p[k], 0.0f, 1.0f) * 255.0f));
      set.labels[i] = uint8_t(goals[i].target);
      const std::vector<float> stored = set.image_floats(i);
      reached += predict_one(a, ws, stored.data(), probs.data()) == goals[i].target;
    }
    v.target_rate = rep.images ? double(reached) / double(rep.images) : 0.0;
    v.model = train_recipe(set, seed, s.epochs);
    Workspace eval(Arch{}, 500);
    v.clean_test_accuracy = evaluate(v.model.params, test, eval).accuracy();
    rep.variants.push_back(std::move(v));
  }
  return rep;
}

}  // namespace bs
