// The data manifold near an image, as a linear patch: the directions in which its nearest training images of
// the same class differ from it. Off-manifold explanations of adversarial examples (Stutz et al. 2019)
// predict that minimal perturbations leave this patch; on-manifold ones that they stay in it.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "core/data/dataset.h"
#include "core/nn/params.h"

namespace bs {

// The training images grouped by class, with their squared norms, for nearest-neighbour queries.
class ClassNeighbours {
 public:
  // Indexes every training image now, or none yet when `index_now` is false: then index_more() indexes them
  // in units small enough for an interface frame (the index touches every pixel of the training set once).
  explicit ClassNeighbours(const Dataset& train, bool index_now = true);
  // Indexes up to `count` more training images, in order; true once all are in. Queries need all of them.
  bool index_more(size_t count);
  // The `count` training images of class `label` closest to x (784 floats in [0, 1], taken to the dataset's
  // 1/255 steps: exact for its own images) in L2, nearest first; ties go to the lower index.
  std::vector<uint32_t> nearest(const float* x, int label, int count) const;

 private:
  friend class NeighbourQuery;
  const Dataset& train_;
  std::vector<uint32_t> members_[kClasses];
  std::vector<int32_t> norm2_;  // per training image, ||image||^2 in the dataset's units (0..255 per pixel)
  size_t indexed_ = 0;
};

// ClassNeighbours::nearest in parts: step() scores the next candidates (a class has about 6,000; each is a
// pass over its 784 pixels), result() is nearest's answer once all are scored. The index must outlive it.
class NeighbourQuery {
 public:
  NeighbourQuery(const ClassNeighbours& index, const float* x, int label, int count);
  // Scores up to `candidates` more; true when all are scored.
  bool step(size_t candidates);
  std::vector<uint32_t> result() const;

 private:
  const ClassNeighbours& index_;
  const std::vector<uint32_t>& members_;
  uint8_t q_[kPixels];
  int count_;
  std::vector<std::pair<int32_t, uint32_t>> scored_;  // (||n||^2 - 2 n.x, n) in the dataset's units
};

// The top `dims` principal directions of the differences (neighbour - x), as orthonormal rows (dims, 784);
// fewer rows when the differences span fewer dimensions.
MatRM tangent_basis(const Dataset& train, const std::vector<uint32_t>& neighbours, const float* x, int dims);

// v <- B^T B v (onto the rows' span) or v <- v - B^T B v (onto its complement); B has orthonormal rows.
void project_onto_rows(const MatRM& basis, float* v, bool complement);

}  // namespace bs
