#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "core/analysis/dataset_stats.h"
#include "core/analysis/effective.h"
#include "core/analysis/input_gradient.h"
#include "core/analysis/optimized_image.h"
#include "core/image/mnist_preprocess.h"
#include "tests/core/mnist_data.h"

namespace bs {
namespace {

double cosine(const float* a, const float* b) {
  Eigen::Map<const Eigen::VectorXf> x(a, kPixels), y(b, kPixels);
  return double(x.dot(y)) / (double(x.norm()) * double(y.norm()) + 1e-12);
}

// A test digit drawn large and off-centre on a big light canvas (dark ink), as a reader might.
InkImage redrawn(const std::vector<float>& digit, int scale, int left, int top, int w, int h) {
  std::vector<unsigned char> rgba(size_t(w) * size_t(h) * 4, 255);
  for (int y = 0; y < 28 * scale; ++y) {
    for (int x = 0; x < 28 * scale; ++x) {
      const unsigned char v =
          (unsigned char)std::lround(255 * (1 - digit[size_t(y / scale) * 28 + size_t(x / scale)]));
      unsigned char* p = &rgba[(size_t(top + y) * size_t(w) + size_t(left + x)) * 4];
      p[0] = p[1] = p[2] = v;
    }
  }
  return ink_from_rgba(rgba.data(), w, h);
}

}  // namespace

TEST(MnistPreprocess, ARedrawnTestDigitComesBackAsItWas) {
  const Dataset& test = test::mnist(Split::kTest);
  const Model& m = test::small_trained_model();
  Workspace ws(Arch{}, 1);
  std::vector<float> probs(10);
  for (size_t i : {0, 1, 2, 3, 4}) {
    std::vector<float> digit = test.image_floats(i);
    Expected<std::vector<float>> back = mnist_preprocess(redrawn(digit, 5, 37, 11, 260, 180));
    ASSERT_TRUE(back.ok()) << back.error();
    EXPECT_GT(cosine(back.value().data(), digit.data()), 0.9) << "image " << i;
    EXPECT_EQ(predict_one(m.params, ws, back.value().data(), probs.data()), test.label(i)) << "image " << i;
  }
}

TEST(MnistPreprocess, FitsTheInkInTwentyPixelsAroundTheCentreOfMass) {
  // A filled 60 x 30 rectangle of light ink on black: 20 x 10 after scaling, centred on pixel (14, 14).
  InkImage img{100, 80, std::vector<float>(8000, 0.0f)};
  for (int y = 10; y < 70; ++y)
    for (int x = 50; x < 80; ++x) img.ink[size_t(y) * 100 + size_t(x)] = 1.0f;
  std::vector<float> out = mnist_preprocess(img).value();
  int rows = 0, cols = 0;
  double mx = 0, my = 0, mass = 0;
  for (int y = 0; y < 28; ++y) {
    for (int x = 0; x < 28; ++x) {
      const float v = out[size_t(y) * 28 + size_t(x)];
      mass += v, mx += v * (x + 0.5), my += v * (y + 0.5);
    }
  }
  for (int y = 0; y < 28; ++y) rows += out[size_t(y) * 28 + 14] > 0.5f;
  for (int x = 0; x < 28; ++x) cols += out[14 * 28 + size_t(x)] > 0.5f;
  EXPECT_EQ(rows, 20);
  EXPECT_EQ(cols, 10);
  EXPECT_NEAR(mx / mass, 14.5, 0.5);
  EXPECT_NEAR(my / mass, 14.5, 0.5);
}

TEST(MnistPreprocess, ABlankOrEmptyImageIsAClearError) {
  InkImage blank{10, 10, std::vector<float>(100, 0.0f)};
  EXPECT_EQ(mnist_preprocess(blank).error(), "the image has no ink: draw a digit, or use a picture of one");
  EXPECT_EQ(mnist_preprocess(InkImage{}).error(), "the image is empty");
}

TEST(MnistPreprocess, DarkInkOnLightPaperAndLightInkOnDarkGiveTheSameDigit) {
  std::vector<unsigned char> a(40 * 40 * 4), b(40 * 40 * 4);
  for (int i = 0; i < 1600; ++i) {
    const bool ink = (i % 40 > 12 && i % 40 < 20) && i / 40 > 5 && i / 40 < 35;
    for (int c = 0; c < 3; ++c)
      a[size_t(i) * 4 + size_t(c)] = ink ? 0 : 255, b[size_t(i) * 4 + size_t(c)] = ink ? 255 : 0;
    a[size_t(i) * 4 + 3] = b[size_t(i) * 4 + 3] = 255;
  }
  EXPECT_EQ(mnist_preprocess(ink_from_rgba(a.data(), 40, 40)).value(),
            mnist_preprocess(ink_from_rgba(b.data(), 40, 40)).value());
}

TEST(TopActivating, AgreesWithSortingEveryActivation) {
  const Model& m = test::small_trained_model();
  DatasetStats st = dataset_stats(m.params, test::mnist(Split::kTest), 500);
  for (NeuronId n : {NeuronId{1, 7}, NeuronId{2, 30}, NeuronId{3, 4}}) {
    std::vector<size_t> top = top_activating(st, n, 6);
    ASSERT_EQ(top.size(), 6u);
    std::vector<float> a(st.count);
    for (size_t i = 0; i < st.count; ++i) a[i] = st.act[size_t(n.layer - 1)](n.index, long(i));
    std::vector<float> sorted = a;
    std::sort(sorted.rbegin(), sorted.rend());
    for (size_t j = 0; j < 6; ++j) EXPECT_EQ(a[top[j]], sorted[j]) << neuron_name(n) << " rank " << j;
  }
}

TEST(OptimizedImage, InputGradientMatchesFiniteDifferences) {
  const Model& m = test::small_trained_model();
  std::vector<float> x = test::mnist(Split::kTest).image_floats(3), g(kPixels);
  for (NeuronId n : {NeuronId{2, 11}, NeuronId{3, 2}}) {
    neuron_input_gradient(m.params, n, x.data(), g.data());
    auto pre = [&](const std::vector<float>& v) {
      Eigen::Map<const Eigen::VectorXf> xv(v.data(), kPixels);
      Eigen::VectorXf a1 = (m.params.w1 * xv + m.params.b1).cwiseMax(0.0f);
      Eigen::VectorXf z2 = m.params.w2 * a1 + m.params.b2;
      return n.layer == 2 ? double(z2[n.index])
                          : double((m.params.w3 * z2.cwiseMax(0.0f) + m.params.b3)[n.index]);
    };
    for (int px : {200, 350, 406, 500}) {
      std::vector<float> up = x, down = x;
      up[size_t(px)] += 1e-3f, down[size_t(px)] -= 1e-3f;
      EXPECT_NEAR((pre(up) - pre(down)) / 2e-3, g[size_t(px)], 2e-2 * std::fabs(g[size_t(px)]) + 1e-3)
          << neuron_name(n) << " pixel " << px;
    }
  }
}

TEST(OptimizedImage, UnconstrainedAscentEndsAtTheEffectiveWeightsAndRegularisedIsSmoother) {
  const Model& m = test::small_trained_model();
  EffectiveWeights eff = effective_weights(m.params);
  DatasetStats st = dataset_stats(m.params, test::mnist(Split::kTest), 2000);
  // Layer 1 is exactly linear in the input: the ascent moves along its weight row.
  std::vector<float> l1 = optimize_input(m.params, NeuronId{1, 9}, unconstrained_settings());
  EXPECT_GT(cosine(l1.data(), eff.pattern(NeuronId{1, 9})), 0.9999);
  for (int d = 0; d < 10; ++d) {
    const NeuronId n{3, d};
    std::vector<float> free = optimize_input(m.params, n, unconstrained_settings());
    std::vector<float> reg = optimize_input(m.params, n, regularised_settings());
    const double c_free = cosine(free.data(), eff.pattern(n));
    std::printf(
        "output %d: unconstrained vs effective weights cos %.2f; vs feature: unconstrained %.2f, "
        "regularised %.2f; roughness %.1f -> %.1f\n",
        d, c_free, cosine(free.data(), st.feature_image(n)), cosine(reg.data(), st.feature_image(n)),
        roughness(free.data()) / Eigen::Map<Eigen::VectorXf>(free.data(), kPixels).squaredNorm(),
        roughness(reg.data()) / (Eigen::Map<Eigen::VectorXf>(reg.data(), kPixels).squaredNorm() + 1e-12));
    EXPECT_GT(c_free, 0.5) << d;
    for (float v : reg) ASSERT_TRUE(v >= 0.0f && v <= 1.0f);
    EXPECT_LT(roughness(reg.data()) / Eigen::Map<Eigen::VectorXf>(reg.data(), kPixels).squaredNorm(),
              roughness(free.data()) / Eigen::Map<Eigen::VectorXf>(free.data(), kPixels).squaredNorm())
        << d;
    EXPECT_GT(cosine(reg.data(), st.feature_image(n)), cosine(free.data(), st.feature_image(n))) << d;
  }
}

TEST(InputAscent, GivesTheSameImageHoweverItsStepsAreSliced) {
  const Model& m = test::small_trained_model();
  for (const OptimizeSettings& settings : {unconstrained_settings(), regularised_settings()}) {
    const std::vector<float> whole = optimize_input(m.params, NeuronId{3, 4}, settings);
    InputAscent ascent;
    ascent.begin(m.params, NeuronId{3, 4}, settings);
    int slices = 0;
    while (!ascent.step(7)) ++slices;
    EXPECT_EQ(slices, (settings.steps + 6) / 7 - 1);
    EXPECT_EQ(ascent.image(), whole);
    EXPECT_FALSE(ascent.running());
  }
}

TEST(InputAscent, AscendsOnTheWeightsItBeganWithWhileTheModelChanges) {
  const Model& m = test::small_trained_model();
  const std::vector<float> before = optimize_input(m.params, NeuronId{2, 5}, regularised_settings());
  Params moving = m.params;
  InputAscent ascent;
  ascent.begin(moving, NeuronId{2, 5}, regularised_settings());
  ascent.step(50);
  moving.w1 *= -1.0f;  // training moves the live model on meanwhile
  while (!ascent.step(50)) {
  }
  EXPECT_EQ(ascent.image(), before);
}

}  // namespace bs
