#include "core/analysis/subspace.h"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>

#include "core/nn/matmul.h"

namespace bs {
namespace {
constexpr int kChunk = 256;  // images per float product; the double sums are updated once per chunk
}

int Subspace::never_lit_count() const {
  return int(std::count(never_lit.begin(), never_lit.end(), uint8_t{1}));
}

double Subspace::explained(int k) const {
  const double total = variance.sum();
  if (total <= 0) return 0;
  k = std::clamp(k, 0, int(variance.size()));
  return variance.head(k).sum() / total;
}

int Subspace::k_for(double fraction) const {
  const double total = variance.sum();
  double acc = 0;
  for (int j = 0; j < int(variance.size()); ++j) {
    acc += variance[j];
    if (acc >= fraction * total) return j + 1;
  }
  return int(variance.size());
}

void SubspaceBuilder::begin(size_t total) {
  total_ = total;
  next_ = 0;
  done_ = false;
  sum_xx_.setZero(kPixels, kPixels);
  sum_x_.setZero(kPixels);
  lit_.assign(kPixels, 0);
  chunk_.resize(kPixels, kChunk);
  chunk_xx_.resize(kPixels, kPixels);
}

bool SubspaceBuilder::step(const Dataset& data, size_t images) {
  const size_t end = std::min(total_, next_ + images);
  while (next_ < end) {
    const int b = int(std::min<size_t>(kChunk, end - next_));
    for (int j = 0; j < b; ++j) {
      const uint8_t* img = data.image(next_ + size_t(j));
      unit_floats(chunk_.col(j).data(), img, kPixels);
      for (int i = 0; i < kPixels; ++i) lit_[size_t(i)] |= uint8_t(img[i] != 0);
    }
    // Second moments of the chunk in float with the SIMD kernels (the page's expensive part), summed in
    // double.
    matmul_backward_weights(chunk_xx_.data(), chunk_.data(), chunk_.data(), kPixels, kPixels, b);
    sum_xx_ += chunk_xx_.cast<double>();
    sum_x_ += chunk_.leftCols(b).cast<double>().rowwise().sum();
    next_ += size_t(b);
  }
  return next_ >= total_;
}

Subspace SubspaceBuilder::finish() {
  Subspace s;
  s.images = next_;
  done_ = true;
  if (next_ == 0) return s;
  const double n = double(next_);
  s.mean = sum_x_ / n;
  Eigen::MatrixXd cov = sum_xx_ / n - s.mean * s.mean.transpose();
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(cov);
  s.variance.resize(kPixels);
  s.basis.resize(kPixels, kPixels);
  for (int j = 0; j < kPixels; ++j) {
    const int src = kPixels - 1 - j;  // Eigen sorts ascending
    s.variance[j] = std::max(0.0, eig.eigenvalues()[src]);
    Eigen::VectorXd v = eig.eigenvectors().col(src);
    // A direction's sign is arbitrary; fix it (largest entry positive) so every platform shows the same
    // images.
    Eigen::Index arg = 0;
    v.cwiseAbs().maxCoeff(&arg);
    if (v[arg] < 0) v = -v;
    s.basis.row(j) = v.cast<float>().transpose();
  }
  s.never_lit.resize(kPixels);
  for (int i = 0; i < kPixels; ++i) s.never_lit[size_t(i)] = uint8_t(!lit_[size_t(i)]);
  sum_xx_.resize(0, 0);
  chunk_xx_.resize(0, 0);
  return s;
}

Subspace data_subspace(const Dataset& data, size_t limit) {
  const size_t n = limit ? std::min(limit, data.size()) : data.size();
  SubspaceBuilder b;
  b.begin(n);
  b.step(data, n);
  return b.finish();
}

void split_span(const Subspace& s, int k, const float* w, float* in, float* off) {
  k = std::clamp(k, 0, int(s.basis.rows()));
  Eigen::Map<const Eigen::VectorXf> wv(w, kPixels);
  Eigen::VectorXf c = s.basis.topRows(k) * wv;
  Eigen::VectorXf p = s.basis.topRows(k).transpose() * c;
  if (in) Eigen::Map<Eigen::VectorXf>(in, kPixels) = p;
  if (off) Eigen::Map<Eigen::VectorXf>(off, kPixels) = wv - p;
}

SpanCoefficients span_coefficients(const Subspace& s, const EffectiveWeights& w) {
  SpanCoefficients c;
  const Eigen::VectorXf zero = Eigen::VectorXf::Zero(kPixels);
  for (int l = 0; l < 3; ++l) {
    const int units = int(w.layer[size_t(l)].rows());
    c.coef[size_t(l)].resize(kPixels, units);
    // coef = basis * W^T: the rows of W (row-major) are the columns of the product's input.
    matmul_forward(c.coef[size_t(l)].data(), nullptr, s.basis.data(), zero.data(), w.layer[size_t(l)].data(),
                   kPixels, kPixels, units);
  }
  return c;
}

namespace {

// Squared norms of a coefficient column's head (first k) and tail.
struct Energy {
  double in = 0, off = 0;
};
template <class Col>
Energy energy(const Col& c, int k) {
  Energy e;
  for (int j = 0; j < int(c.size()); ++j) (j < k ? e.in : e.off) += double(c[j]) * double(c[j]);
  return e;
}

struct SplitSums {
  Energy w, w0, d;
  void add(const SplitSums& o) {
    w.in += o.w.in, w.off += o.w.off, w0.in += o.w0.in, w0.off += o.w0.off, d.in += o.d.in, d.off += o.d.off;
  }
};

double ratio(double num2, double den2) {
  return den2 > 0 ? std::sqrt(num2 / den2) : 0.0;
}

SpanSplit split_from(const SplitSums& e) {
  SpanSplit r;
  r.in_norm = std::sqrt(e.w.in);
  r.off_norm = std::sqrt(e.w.off);
  r.norm = std::sqrt(e.w.in + e.w.off);
  r.off_share = ratio(e.w.off, e.w.in + e.w.off);
  r.init_off_share = ratio(e.w0.off, e.w0.in + e.w0.off);
  r.change_in_share = ratio(e.d.in, e.d.in + e.d.off);
  r.off_drift = ratio(e.d.off, e.w0.off);
  return r;
}

}  // namespace

SpanReport span_report(const Subspace& s, int k, const SpanCoefficients& now, const SpanCoefficients& init) {
  SpanReport r;
  r.k = std::clamp(k, 0, kPixels);
  r.explained = s.explained(r.k);
  for (int l = 0; l < 3; ++l) {
    const Mat& c = now.coef[size_t(l)];
    const Mat& c0 = init.coef[size_t(l)];
    SplitSums layer;
    r.neurons[l].resize(size_t(c.cols()));
    for (int n = 0; n < int(c.cols()); ++n) {
      SplitSums e;
      e.w = energy(c.col(n), r.k);
      e.w0 = energy(c0.col(n), r.k);
      e.d = energy(c.col(n) - c0.col(n), r.k);
      r.neurons[l][size_t(n)] = split_from(e);
      layer.add(e);
    }
    r.layers[l] = split_from(layer);
  }
  return r;
}

double never_lit_max_change(const Subspace& s, const Params& now, const Params& init) {
  double m = 0;
  for (int i = 0; i < int(s.never_lit.size()); ++i) {
    if (!s.never_lit[size_t(i)]) continue;
    m = std::max(m, double((now.w1.col(i) - init.w1.col(i)).cwiseAbs().maxCoeff()));
  }
  return m;
}

}  // namespace bs
