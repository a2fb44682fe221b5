// Directions the trial compares a perturbation with (docs/trial-rules.md, a and f): the direction between two
// class means, which a nearest-mean classifier would move along, and the direction the clean image's gradient
// points to the reached class, which a linear model would move along; and the angle between two directions.
#pragma once

#include <vector>

#include "core/analysis/subspace.h"
#include "core/data/dataset.h"
#include "core/nn/params.h"

namespace bs {

// The training images' mean per class, as columns (784 x 10).
Mat class_means(const Dataset& train);

// The same a slice of images at a time, for an interface's frames (60,000 images in one unit take ~100 ms in
// WebAssembly).
class ClassMeansBuilder {
 public:
  explicit ClassMeansBuilder(const Dataset& train);
  // Adds up to `count` more images; true once every image is in, when means() is ready.
  bool add(size_t count);
  const Mat& means() const { return means_; }

 private:
  const Dataset& train_;
  Mat sum_, means_;
  std::vector<double> count_;
  std::vector<float> x_;
  size_t next_ = 0;
};
// The angle in degrees between two vectors of n floats (90 when either is zero).
double angle_deg(const float* a, const float* b, int n);
// ||W1 P_off||_F, P_off the projection onto the complement of the top k directions: W1's part the data never
// reaches.
double off_span_norm(const MatRM& w1, const Subspace& subspace, int k);
// -grad_x (z_label - z_reached) at x (784 floats): the way towards `reached` that a linear model would take.
void margin_gradient(const Params& p, const float* x, int label, int reached, float* out);

}  // namespace bs
