#include "core/trial/tangent.h"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cassert>
#include <cmath>
#include <numeric>

namespace bs {

ClassNeighbours::ClassNeighbours(const Dataset& train, bool index_now) : train_(train), norm2_(train.size()) {
  if (index_now) index_more(train.size());
}

bool ClassNeighbours::index_more(size_t count) {
  const size_t end = indexed_ + std::min(count, train_.size() - indexed_);
  for (size_t i = indexed_; i < end; ++i) {
    members_[train_.label(i)].push_back(uint32_t(i));
    const uint8_t* img = train_.image(i);
    int32_t s = 0;  // at most 784 * 255^2, well inside 31 bits
    for (int k = 0; k < kPixels; ++k) s += int32_t(img[k]) * img[k];
    norm2_[i] = s;
  }
  indexed_ = end;
  return indexed_ == train_.size();
}

std::vector<uint32_t> ClassNeighbours::nearest(const float* x, int label, int count) const {
  NeighbourQuery query(*this, x, label, count);
  query.step(members_[label].size());
  return query.result();
}

// In the dataset's own units (0..255) and integers: exact for the dataset's images, and a sum of small
// integer products is a loop compilers turn into SIMD (in float, the running sum is a chain they may not
// reorder).
// ||n - x||^2 = ||n||^2 - 2 n.x + ||x||^2; the last term is the same for every candidate.
NeighbourQuery::NeighbourQuery(const ClassNeighbours& index, const float* x, int label, int count)
    : index_(index), members_(index.members_[label]), count_(std::max(count, 0)) {
  assert(index.indexed_ == index.train_.size());
  for (int k = 0; k < kPixels; ++k) q_[k] = uint8_t(std::lround(std::clamp(x[k], 0.0f, 1.0f) * 255.0f));
  scored_.reserve(members_.size());
}

bool NeighbourQuery::step(size_t candidates) {
  const size_t end = scored_.size() + std::min(candidates, members_.size() - scored_.size());
  for (size_t j = scored_.size(); j < end; ++j) {
    const uint8_t* img = index_.train_.image(members_[j]);
    int32_t dot = 0;
    for (int k = 0; k < kPixels; ++k) dot += int32_t(img[k]) * int32_t(q_[k]);
    scored_.push_back({index_.norm2_[members_[j]] - 2 * dot, members_[j]});
  }
  return scored_.size() == members_.size();
}

std::vector<uint32_t> NeighbourQuery::result() const {
  assert(scored_.size() == members_.size());
  std::vector<std::pair<int32_t, uint32_t>> d = scored_;
  const size_t n = std::min(size_t(count_), d.size());
  std::partial_sort(d.begin(), d.begin() + long(n), d.end());
  std::vector<uint32_t> out(n);
  for (size_t j = 0; j < n; ++j) out[j] = d[j].second;
  return out;
}

MatRM tangent_basis(const Dataset& train, const std::vector<uint32_t>& neighbours, const float* x, int dims) {
  const int n = int(neighbours.size());
  Eigen::MatrixXd diff(n, kPixels);
  for (int j = 0; j < n; ++j) {
    const uint8_t* img = train.image(neighbours[size_t(j)]);
    for (int k = 0; k < kPixels; ++k) diff(j, k) = double(img[k]) / 255.0 - double(x[k]);
  }
  // The right singular vectors of diff, through the small (n, n) Gram matrix: diff^T u / sqrt(lambda).
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(diff * diff.transpose());
  const Eigen::VectorXd& lambda = eig.eigenvalues();  // ascending
  const double floor = 1e-9 * std::max(1.0, lambda.size() ? lambda[lambda.size() - 1] : 0.0);
  std::vector<int> keep;
  for (int j = int(lambda.size()) - 1; j >= 0 && int(keep.size()) < dims; --j)
    if (lambda[j] > floor) keep.push_back(j);
  MatRM basis(long(keep.size()), kPixels);
  for (size_t r = 0; r < keep.size(); ++r) {
    const Eigen::VectorXd v = diff.transpose() * eig.eigenvectors().col(keep[r]) / std::sqrt(lambda[keep[r]]);
    basis.row(long(r)) = v.cast<float>().transpose();
  }
  return basis;
}

void project_onto_rows(const MatRM& basis, float* v, bool complement) {
  Eigen::Map<Eigen::VectorXf> vm(v, basis.cols());
  // At most 784 coefficients, on the stack: the attacks call this every step.
  const Eigen::Matrix<float, Eigen::Dynamic, 1, 0, kPixels, 1> c = basis * vm;
  if (complement)
    vm.noalias() -= basis.transpose() * c;
  else
    vm.noalias() = basis.transpose() * c;
}

}  // namespace bs
