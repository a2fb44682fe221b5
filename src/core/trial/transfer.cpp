#include "core/trial/transfer.h"

#include <algorithm>
#include <cmath>

#include "core/analysis/attack.h"
#include "core/analysis/attack_survey.h"
#include "core/analysis/effective.h"
#include "core/train/trainer.h"

namespace bs {
namespace {

double cosine(const Eigen::VectorXf& u, const Eigen::VectorXf& v) {
  const double d = double(u.norm()) * double(v.norm());
  return d > 0 ? double(u.dot(v)) / d : 0.0;
}

}  // namespace

CosinePoint pattern_cosine(const Params& a, const Params& b, const Subspace& subspace, int k) {
  const EffectiveWeights ea = effective_weights(a), eb = effective_weights(b);
  CosinePoint c;
  const int classes = int(ea.layer[2].rows());
  Eigen::VectorXf in_a(kPixels), off_a(kPixels), in_b(kPixels), off_b(kPixels);
  for (int j = 0; j < classes; ++j) {
    split_span(subspace, k, ea.layer[2].row(j).data(), in_a.data(), off_a.data());
    split_span(subspace, k, eb.layer[2].row(j).data(), in_b.data(), off_b.data());
    c.in_span += cosine(in_a, in_b) / classes;
    c.off_span += cosine(off_a, off_b) / classes;
  }
  return c;
}

std::vector<DirectionTransfer> measure_transfer(const Params& a, const Params& b, const Dataset& test,
                                                const Subspace& subspace, int k, const TransferSettings& s,
                                                int* count_a, int* count_b) {
  std::vector<DirectionTransfer> out;
  *count_a = *count_b = 0;
  // The source images, and which each model gets right.
  std::vector<uint32_t> images;
  for (size_t i = 0; i < test.size(); ++i)
    if (test.label(i) == s.source) images.push_back(uint32_t(i));
  if (s.max_images > 0 && int(images.size()) > s.max_images) images.resize(size_t(s.max_images));
  const int n = int(images.size());
  Mat x(kPixels, n);
  for (int i = 0; i < n; ++i) test.image_floats(images[size_t(i)], x.col(i).data());
  Workspace ws(Arch{}, 1);
  std::vector<float> probs(kClasses), zero(kPixels, 0.0f);
  auto predicts = [&](const Params& p, const float* xi, const float* d) {
    return predict_overlay(p, ws, xi, d, 1.0f, true, probs.data());
  };
  std::vector<uint8_t> right_a(static_cast<size_t>(n)), right_b(static_cast<size_t>(n));
  std::vector<Goal> goals;
  for (int i = 0; i < n; ++i) {
    right_a[size_t(i)] = predicts(a, x.col(i).data(), zero.data()) == s.source;
    right_b[size_t(i)] = predicts(b, x.col(i).data(), zero.data()) == s.source;
    *count_a += right_a[size_t(i)];
    *count_b += right_b[size_t(i)];
    goals.push_back({s.source, s.target, images[size_t(i)]});
  }

  // Per image: the minimal targeted PGD perturbation on A (for the images A gets right).
  RobustnessSettings rs = s.attack;
  rs.norm = Norm::kL2;
  const AttackRun pgd = minimal_radius_pgd(a, x, goals, rs);
  AttackSetup setup;
  setup.source = s.source;
  setup.target = s.target;
  setup.k = k;
  const FixedDirections fixed = fixed_directions(a, subspace, k, s.target);
  AttackScanner scanner(a, setup);
  const char* names[] = {"full", "in_span", "off_span", "pgd", "fgsm"};
  std::vector<float> d(kPixels);
  for (int which = 0; which < 5; ++which) {
    DirectionTransfer t;
    t.name = names[which];
    int flipped_a = 0, flipped_b = 0;
    for (int i = 0; i < n; ++i) {
      const float* xi = x.col(i).data();
      switch (which) {
        case 0:
          scanner.direction(Direction::kFull, fixed, xi, size_t(i), 0, d.data());
          break;
        case 1:
          scanner.direction(Direction::kInSpan, fixed, xi, size_t(i), 0, d.data());
          break;
        case 2:
          scanner.direction(Direction::kOffSpan, fixed, xi, size_t(i), 0, d.data());
          break;
        case 3:
          for (int k = 0; k < kPixels; ++k)
            d[size_t(k)] = pgd.success[size_t(i)] ? s.pgd_scale * (pgd.adversarial(k, i) - xi[k]) : 0.0f;
          break;
        default:
          scanner.direction(Direction::kFgsm, fixed, xi, size_t(i), 0, d.data());
          break;
      }
      if (right_a[size_t(i)]) flipped_a += predicts(a, xi, d.data()) == s.target;
      if (right_b[size_t(i)]) flipped_b += predicts(b, xi, d.data()) == s.target;
    }
    t.on_a = *count_a ? double(flipped_a) / *count_a : 0.0;
    t.on_b = *count_b ? double(flipped_b) / *count_b : 0.0;
    out.push_back(t);
  }
  return out;
}

TransferReport transfer_experiment(const Dataset& train, const Dataset& test, const Subspace& subspace,
                                   uint64_t seed_a, uint64_t seed_b, const TransferSettings& s) {
  TransferReport rep;
  rep.k = s.k > 0 ? s.k : subspace.k_for(0.95);
  rep.a = make_model(Arch{}, seed_a);
  rep.b = make_model(Arch{}, seed_b);
  TrainConfig ca = default_train_config(), cb = default_train_config();
  ca.shuffle_seed = seed_a;
  cb.shuffle_seed = seed_b;
  Trainer ta(ca, Arch{}), tb(cb, Arch{});
  // In lockstep, `track_every` steps at a time: both see the same number of minibatches at every point.
  long step = 0;
  rep.cosine.push_back(pattern_cosine(rep.a.params, rep.b.params, subspace, rep.k));
  int epochs_a = 0;
  while (train.size() > 0 && epochs_a < s.epochs) {
    int done = 0;
    while (done < s.track_every) {
      const int n = ta.train_steps(rep.a.params, train, s.track_every - done);
      tb.train_steps(rep.b.params, train, n);
      done += n;
      if (ta.epoch_just_ended() && ++epochs_a == s.epochs) break;
    }
    step += done;
    CosinePoint c = pattern_cosine(rep.a.params, rep.b.params, subspace, rep.k);
    c.step = step;
    rep.cosine.push_back(c);
  }

  rep.directions =
      measure_transfer(rep.a.params, rep.b.params, test, subspace, rep.k, s, &rep.count_a, &rep.count_b);
  return rep;
}

}  // namespace bs
