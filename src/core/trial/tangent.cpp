#include "core/trial/tangent.h"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <numeric>

namespace bs {

ClassNeighbours::ClassNeighbours(const Dataset& train) : train_(train), norm2_(train.size()) {
  for (size_t i = 0; i < train.size(); ++i) {
    members_[train.label(i)].push_back(uint32_t(i));
    const uint8_t* img = train.image(i);
    uint64_t s = 0;
    for (int k = 0; k < kPixels; ++k) s += uint64_t(img[k]) * img[k];
    norm2_[i] = float(double(s) / (255.0 * 255.0));
  }
}

std::vector<uint32_t> ClassNeighbours::nearest(const float* x, int label, int count) const {
  const std::vector<uint32_t>& m = members_[label];
  // ||n - x||^2 = ||n||^2 - 2 n.x + ||x||^2; the last term is the same for every candidate.
  std::vector<std::pair<float, uint32_t>> d(m.size());
  for (size_t j = 0; j < m.size(); ++j) {
    const uint8_t* img = train_.image(m[j]);
    float dot = 0;
    for (int k = 0; k < kPixels; ++k) dot += float(img[k]) * x[k];
    d[j] = {norm2_[m[j]] - 2.0f * dot * (1.0f / 255.0f), m[j]};
  }
  const size_t n = std::min(size_t(std::max(count, 0)), d.size());
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
