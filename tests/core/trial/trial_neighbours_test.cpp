// The data manifold near an image (core/trial/tangent.h): nearest training images of the same class, found at
// once or in parts, and the tangent space their differences span.
#include <gtest/gtest.h>

#include <algorithm>

#include "core/trial/tangent.h"
#include "tests/core/mnist_data.h"

namespace bs {
namespace {

using test::train_head;

TEST(Trial, NearestNeighboursAreTheBruteForceOnes) {
  const Dataset& train = train_head();
  const ClassNeighbours index(train);
  const std::vector<float> x = test::mnist(Split::kTest).image_floats(0);
  const int label = test::mnist(Split::kTest).label(0);
  std::vector<std::pair<double, uint32_t>> all;
  for (size_t i = 0; i < train.size(); ++i) {
    if (train.label(i) != label) continue;
    const std::vector<float> t = train.image_floats(i);
    double d = 0;
    for (int k = 0; k < kPixels; ++k)
      d += double(t[size_t(k)] - x[size_t(k)]) * (t[size_t(k)] - x[size_t(k)]);
    all.push_back({d, uint32_t(i)});
  }
  std::sort(all.begin(), all.end());
  const std::vector<uint32_t> got = index.nearest(x.data(), label, 20);
  ASSERT_EQ(got.size(), 20u);
  for (size_t j = 0; j < got.size(); ++j) EXPECT_EQ(got[j], all[j].second) << "neighbour " << j;
}

TEST(Trial, NeighboursIndexedInUnitsAreTheOnesIndexedAtOnce) {
  const Dataset& train = train_head();
  const ClassNeighbours whole(train);
  ClassNeighbours parts(train, false);
  int units = 1;
  while (!parts.index_more(777)) ++units;
  EXPECT_EQ(units, int((train.size() + 776) / 777));
  for (uint32_t i : {0u, 5u, 9u}) {
    const std::vector<float> x = test::mnist(Split::kTest).image_floats(i);
    const int label = test::mnist(Split::kTest).label(i);
    EXPECT_EQ(parts.nearest(x.data(), label, 30), whole.nearest(x.data(), label, 30)) << "test image " << i;
  }
}

TEST(Trial, ANeighbourQueryInPartsGivesTheWholeSearchsAnswer) {
  const Dataset& train = train_head();
  const ClassNeighbours index(train);
  const std::vector<float> x = test::mnist(Split::kTest).image_floats(3);
  const int label = test::mnist(Split::kTest).label(3);
  NeighbourQuery query(index, x.data(), label, 25);
  int parts = 1;
  while (!query.step(100)) ++parts;
  size_t members = 0;
  for (size_t i = 0; i < train.size(); ++i) members += train.label(i) == label;
  EXPECT_EQ(parts, int((members + 99) / 100));
  EXPECT_GT(parts, 1);
  EXPECT_EQ(query.result(), index.nearest(x.data(), label, 25));
}

TEST(Trial, TangentBasisIsOrthonormalAndHoldsEveryDifferenceWhenItHasRoom) {
  const Dataset& train = train_head();
  const ClassNeighbours index(train);
  const std::vector<float> x = test::mnist(Split::kTest).image_floats(1);
  const std::vector<uint32_t> nn = index.nearest(x.data(), test::mnist(Split::kTest).label(1), 8);
  const MatRM b = tangent_basis(train, nn, x.data(), 8);
  ASSERT_EQ(b.rows(), 8);
  EXPECT_TRUE((b * b.transpose()).isApprox(MatRM::Identity(8, 8), 1e-4f));
  // With as many directions as neighbours, each difference lies in the basis's span.
  for (uint32_t i : nn) {
    std::vector<float> d = train.image_floats(i);
    for (int k = 0; k < kPixels; ++k) d[size_t(k)] -= x[size_t(k)];
    const float norm = Eigen::Map<Eigen::VectorXf>(d.data(), kPixels).norm();
    project_onto_rows(b, d.data(), true);
    EXPECT_LT(Eigen::Map<Eigen::VectorXf>(d.data(), kPixels).norm(), 1e-3f * norm);
  }
  // Fewer directions: the top ones of the differences' principal components, still orthonormal.
  const MatRM top = tangent_basis(train, nn, x.data(), 3);
  ASSERT_EQ(top.rows(), 3);
  EXPECT_TRUE((top * top.transpose()).isApprox(MatRM::Identity(3, 3), 1e-4f));
}

// A restricted attack's points differ from the image only inside the subspace (up to the clipping to [0, 1]
// that the alternating projections leave), and they really flip the image.

}  // namespace
}  // namespace bs
