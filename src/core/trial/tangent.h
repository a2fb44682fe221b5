// The data manifold near an image, as a linear patch: the directions in which its nearest training images of
// the same class differ from it. Off-manifold explanations of adversarial examples (Stutz et al. 2019)
// predict that minimal perturbations leave this patch; on-manifold ones that they stay in it.
#pragma once

#include <cstdint>
#include <vector>

#include "core/data/dataset.h"
#include "core/nn/params.h"

namespace bs {

// The training images grouped by class, with their squared norms, for nearest-neighbour queries.
class ClassNeighbours {
 public:
  explicit ClassNeighbours(const Dataset& train);
  // The `count` training images of class `label` closest to x (784 floats in [0, 1]) in L2, nearest first.
  std::vector<uint32_t> nearest(const float* x, int label, int count) const;

 private:
  const Dataset& train_;
  std::vector<uint32_t> members_[kClasses];
  std::vector<float> norm2_;  // per training image, ||image||^2 in [0, 1] units
};

// The top `dims` principal directions of the differences (neighbour - x), as orthonormal rows (dims, 784);
// fewer rows when the differences span fewer dimensions.
MatRM tangent_basis(const Dataset& train, const std::vector<uint32_t>& neighbours, const float* x, int dims);

// v <- B^T B v (onto the rows' span) or v <- v - B^T B v (onto its complement); B has orthonormal rows.
void project_onto_rows(const MatRM& basis, float* v, bool complement);

}  // namespace bs
