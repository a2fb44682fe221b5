#include "core/robust/deepfool.h"

#include <algorithm>
#include <cassert>
#include <cmath>

#include "core/robust/rows_times_weights.h"

namespace bs {

AttackRun deepfool_attack(const Params& p, const Mat& x, const std::vector<Goal>& goals,
                          const DeepFoolSettings& s) {
  assert(goals.size() == size_t(x.cols()));
  const Arch a = p.arch();
  AttackRun run(x);
  Vec xi(a.in), r_total(a.in), w(a.in);
  Workspace ws(a, 1);  // the forward pass through the same kernels as every other prediction
  MatRM g3(a.out, a.h2), g2(a.out, a.h1), jac(a.out, a.in);  // d logits / d (a2, a1 pre-gate, x)
  for (int i = 0; i < int(x.cols()); ++i) {
    const int y = goals[size_t(i)].label;
    xi = x.col(i);
    r_total.setZero();
    for (int it = 0; it <= s.max_iterations; ++it) {
      ws.x.col(0) = xi;
      attack_logits(p, ws, 1);
      const auto z1 = ws.z1.col(0), z2 = ws.z2.col(0), z3 = ws.logits.col(0);
      int pred = 0;
      z3.maxCoeff(&pred);
      if (pred != y) {
        run.success[size_t(i)] = 1;
        run.prediction[size_t(i)] = pred;
        run.adversarial.col(i) = xi;
        run.radius[size_t(i)] = distance(s.norm, xi.data(), x.col(i).data(), a.in);
        break;
      }
      if (it == s.max_iterations) break;
      // The Jacobian of the logits at xi through the ReLU gates: W3 D2 W2 D1 W1.
      for (int k = 0; k < a.h2; ++k) {
        if (z2[k] > 0)
          g3.col(k) = p.w3.col(k);
        else
          g3.col(k).setZero();
      }
      g2.noalias() = g3 * p.w2;
      for (int k = 0; k < a.h1; ++k)
        if (z1[k] <= 0) g2.col(k).setZero();
      rows_times_weights(jac.data(), g2.data(), a.out, p.w1);
      int best = -1;
      float best_dist = 0, best_f = 0, best_norm = 0;
      for (int k = 0; k < a.out; ++k) {
        if (k == y) continue;
        const float f = std::fabs(z3[k] - z3[y]);
        const float nrm = s.norm == Norm::kL2 ? (jac.row(k) - jac.row(y)).norm()
                                              : (jac.row(k) - jac.row(y)).cwiseAbs().sum();
        if (nrm <= 0) continue;
        if (best < 0 || f / nrm < best_dist) best = k, best_dist = f / nrm, best_f = f, best_norm = nrm;
      }
      if (best < 0) break;  // a flat region: no direction changes any logit
      w = (jac.row(best) - jac.row(y)).transpose();
      if (s.norm == Norm::kL2)
        r_total += ((best_f + 1e-4f) / (best_norm * best_norm)) * w;
      else
        r_total +=
            ((best_f + 1e-4f) / best_norm) * w.unaryExpr([](float v) { return float((v > 0) - (v < 0)); });
      xi = (x.col(i) + (1 + s.overshoot) * r_total).cwiseMax(0.0f).cwiseMin(1.0f);
    }
  }
  return run;
}

}  // namespace bs
