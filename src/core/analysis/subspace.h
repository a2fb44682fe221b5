// The subspace the training images occupy, and how each neuron's effective weights split against it.
//
// Principal components of the (mean-centred) training images: a handful of directions carry almost all of the
// pixel variance. Gradient descent only ever moves layer-1 weights along combinations of input images, so the
// weights' *change* lives (almost) inside that span while the part of the random initialisation outside it is
// never touched. Splitting a neuron's pattern w into
//   in-span   P_k w       (projection on the top-k components)
//   off-span  w - P_k w
// shows which part of it the data shaped and which part is leftover noise from the initialisation.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "core/analysis/effective.h"
#include "core/data/dataset.h"
#include "core/nn/params.h"

namespace bs {

struct Subspace {
  size_t images = 0;
  Eigen::VectorXd mean;      // (784) mean image
  MatRM basis;               // (784, 784): row j is the j-th principal direction (unit), by falling variance
  Eigen::VectorXd variance;  // (784) variance along each direction, falling
  std::vector<uint8_t> never_lit;  // (784) 1 for a pixel that is 0 in every image

  bool empty() const { return images == 0; }
  int never_lit_count() const;
  // Fraction of the total pixel variance held by the top k directions.
  double explained(int k) const;
  // The smallest k whose top-k directions hold at least `fraction` of the variance.
  int k_for(double fraction) const;
};

// Sums the images' second moments chunk by chunk, so the page can spread the work over frames.
class SubspaceBuilder {
 public:
  void begin(size_t total);  // the first `total` images of the dataset given to step()
  // Adds up to `images` more images; true once all are in. `data` must hold at least `total` images.
  bool step(const Dataset& data, size_t images);
  bool running() const { return total_ > 0 && next_ <= total_ && !done_; }
  size_t done_images() const { return next_; }
  // The eigen-decomposition (a fraction of a second natively; the expensive part in the page).
  Subspace finish();

 private:
  size_t total_ = 0, next_ = 0;
  bool done_ = false;
  Eigen::MatrixXd sum_xx_;  // sum of x x^T
  Eigen::VectorXd sum_x_;
  std::vector<uint8_t> lit_;
  Mat chunk_;       // (784, chunk) floats, reused
  MatRM chunk_xx_;  // (784, 784) float product of one chunk, reused
};

Subspace data_subspace(const Dataset& data, size_t limit = 0);

// in = P_k w, off = w - in (either output may be null). 784 floats each.
void split_span(const Subspace& s, int k, const float* w, float* in, float* off);

// How one neuron's pattern (or a whole layer's) splits. Ratios of L2 norms (Frobenius for a layer).
struct SpanSplit {
  double norm = 0, in_norm = 0, off_norm = 0;
  double off_share = 0;        // |off(W)| / |W|: how much of the pattern lies outside the data's span
  double init_off_share = 0;   // the same for the initial weights
  double change_in_share = 0;  // |in(W - W0)| / |W - W0|: how much of what training changed lies inside
  double off_drift = 0;  // |off(W - W0)| / |off(W0)|: how far training moved the off-span part (0: untouched)
};

struct SpanReport {
  int k = 0;
  double explained = 0;
  std::vector<SpanSplit> neurons[3];  // per layer, per neuron
  SpanSplit layers[3];
};

// Every neuron's pattern expressed in the principal basis: coef[l] is (784, units of layer l+1), column n the
// coefficients of neuron n. The basis is complete and orthonormal, so for any k the in-span energy is a sum
// over the first k coefficients and the off-span energy over the rest: moving the k slider costs nothing.
struct SpanCoefficients {
  std::array<Mat, 3> coef;
};
SpanCoefficients span_coefficients(const Subspace& s, const EffectiveWeights& w);

// `now` and `init`: the coefficients of the trained model and of the weights it started from.
SpanReport span_report(const Subspace& s, int k, const SpanCoefficients& now, const SpanCoefficients& init);

// Largest |change| of a layer-1 weight on a pixel that no training image lights (plain SGD leaves them
// exactly at their initial values: their gradient is a sum of products with a zero pixel).
double never_lit_max_change(const Subspace& s, const Params& now, const Params& init);

}  // namespace bs
