// A result of each experiment with every field set, for the tests of its encoding and of its report.
#pragma once

#include <cmath>
#include <limits>

#include "core/trial/experiment.h"

namespace bs::test {

// Every field different from its default and from the others, +inf among the radii.
inline ExperimentResult filled(Experiment e) {
  ExperimentResult r;
  r.experiment = e;
  r.done = true;
  r.progress = 0.625;
  r.seed = 4;
  r.source = 3;
  r.target = 5;
  r.stage_times = {{12.5, 3.25, 7}, {1.5, 0.75, 2}};
  const float inf = std::numeric_limits<float>::infinity();
  switch (e) {
    case Experiment::kSpan:
      r.span.k = 154;
      r.span.explained = 0.95;
      r.span.mean_shares = {0.5, 0.3, 0.2};
      r.span.random_shares = {0.2, 0.7, 0.1};
      r.span.mean_tangent_share = 0.11;
      r.span.random_tangent_share = 0.013;
      for (int i = 0; i < 3; ++i) {
        MinimalSpanImage im;
        im.index = uint32_t(100 + i);
        im.label = i + 4;
        im.radius = i == 2 ? inf : 0.5f + float(i);
        im.shares = {0.1 * i, 0.2, 0.7 - 0.1 * i};
        im.tangent_share = 0.05 * i;
        im.tangent_rank = 10 - i;
        im.tangent_radius = 1.25f;
        im.complement_radius = i == 0 ? inf : 2.5f;
        im.linear_radius = 0.375f;
        im.reached = i == 2 ? -1 : i;
        im.gradient_cosine = i == 2 ? std::nan("") : 0.8 + 0.05 * i;
        im.mean_angle_deg = i == 2 ? std::nan("") : 60.5 + i;
        r.span.images.push_back(im);
      }
      break;
    case Experiment::kTransfer:
      r.transfer.k = 150;
      r.transfer.count_a = 190;
      r.transfer.count_b = 188;
      r.transfer_epochs = 2;
      r.transfer.directions = {{"full", 0.99, 0.8}, {"off_span", 0.2, 0.05}};
      r.transfer.cosine = {{100, 0.4, 0.01}, {200, 0.5, -0.02}};
      r.transfer.common_norm = 9.25;
      r.transfer.fgsm_eps = 0.125;
      for (int i = 0; i < 2; ++i) {
        TransferImage im;
        im.index = uint32_t(40 + i);
        im.right_a = true;
        im.right_b = i == 1;
        im.flip_a = {true, false, true, i == 0};
        im.flip_b = {false, false, i == 1, false};
        im.flip_point_ratio = i == 0 ? inf : 1.125;
        r.transfer.images.push_back(im);
      }
      break;
    case Experiment::kThinBook:
      for (int d : {10, 784}) {
        ThinBookRun t;
        t.d = d;
        t.init_scale = 0.25f;
        t.accuracy_projected = 0.8;
        t.accuracy_raw = 0.7;
        t.off_share = 0.6;
        t.init_off_share = 0.61;
        t.off_change = 1e-7;
        t.radius_in = 1.5f;
        t.radius_off = d == 784 ? inf : 3.0f;
        t.found_in = 19;
        t.found_off = 12;
        t.attacked = 20;
        t.radii_in = {1.5, inf};
        if (d != 784) t.radii_off = {3.0, 2.5};
        r.thin.push_back(t);
      }
      break;
    case Experiment::kOptimizers:
      r.optimizers.k = 151;
      r.optimizers.sgd.name = "sgd";
      r.optimizers.sgd.accuracy = 0.97;
      r.optimizers.sgd.off_drift = 0.02;
      r.optimizers.sgd.median_radius = 0.9f;
      r.optimizers.adam.name = "adam";
      r.optimizers.adam.accuracy = 0.975;
      r.optimizers.adam.off_drift = 0.4;
      r.optimizers.adam.median_radius = 0.7f;
      r.optimizers.sgd.off_span_norm = 9.5;
      r.optimizers.sgd.radii = {0.75, inf};
      r.optimizers.sgd.gradient_norms = {3.5, 2.25};
      r.optimizers.sgd.lipschitz = 3.5;
      r.optimizers.adam.off_span_norm = 20.5;
      r.optimizers.adam.radii = {0.5, 0.625};
      r.optimizers.adam.gradient_norms = {4.5, 5.25};
      r.optimizers.adam.lipschitz = 5.25;
      r.optimizers.correct_sgd = 29;
      r.optimizers.correct_adam = 30;
      r.optimizers.sgd_to_adam = {{"pgd", 1.0, 0.3}};
      r.optimizers.adam_to_sgd = {{"pgd", 1.0, 0.4}, {"fgsm", 0.6, 0.2}};
      break;
    case Experiment::kFeatures:
      r.features.k = 152;
      r.features.images = 2000;
      for (int s = 0; s < kPushSets; ++s) {
        FeaturesVariant v;
        v.name = push_set_name(PushSet(s));
        v.attempted = 2000;
        v.kept = s < 4 ? 1900 - 100 * s : 1500;
        v.target_rate = double(v.kept) / double(v.attempted);
        v.median_push_l2 = s < 4 ? 1.5 + s : 0;
        v.clean_test_accuracy = s < 2 ? 0.45 : s < 4 ? 0.12 : 0.02;
        v.test_images = 10000;
        r.features.variants.push_back(v);
      }
      break;
    case Experiment::kTilt:
      r.tilt.k = 153;
      for (float decay : {0.0f, 1e-2f}) {
        DecayRun d;
        d.decay = decay;
        d.clean_accuracy = decay == 0 ? 0.975 : 0.96;
        d.off_span_norm = decay == 0 ? 9.5 : 3.25;
        d.median_radius = 1.125;
        d.median_angle_deg = 81.5;
        d.mean_top_k_share = 0.7;
        for (int i = 0; i < 3; ++i) {
          TiltImage im;
          im.index = uint32_t(10 + i);
          im.label = i + 1;
          im.reached = i == 2 ? -1 : i + 2;
          im.radius = i == 2 ? inf : 1.0f + 0.25f * float(i) + decay;
          im.angle_deg = i == 2 ? std::nan("") : 80.0 + i;
          im.top_k_share = i == 2 ? std::nan("") : 0.6 + 0.1 * i;
          d.images.push_back(im);
        }
        r.tilt.runs.push_back(d);
      }
      break;
  }
  return r;
}

}  // namespace bs::test
