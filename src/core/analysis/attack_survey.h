// A fair comparison of attack directions. For an image x of one digit and a target class t, each direction d
// is blended in as x(alpha) = clip(x + alpha d, 0, 1) and the smallest alpha that makes the prediction t is
// found (a scan over a grid of alphas, then bisection inside the first step that flips). The directions:
//   full      the effective pattern of output neuron t (row t of W3 W2 W1), scaled to max |d| = 1
//   off-span  its part outside the top-k principal components of the training images, max |d| = 1
//   in-span   its part inside them, max |d| = 1
//   fgsm      -sign(grad_x CE(x, t)): the targeted fast-gradient-sign step, per image (max |d| = 1 as well)
//   random    Gaussian noise with the same L2 norm as `full`, several draws per image
// Alpha is therefore an L-infinity budget before clipping for the first four; the norms of the perturbation
// actually applied (after clipping) are reported for all of them, so they can be compared on any scale.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "core/analysis/subspace.h"
#include "core/data/dataset.h"
#include "core/nn/mlp.h"
#include "core/util/status.h"

namespace bs {

enum class Direction { kFull, kOffSpan, kInSpan, kFgsm, kRandom };
inline constexpr int kDirectionCount = 5;
const char* direction_name(Direction d);  // "full", "off-span", "in-span", "fgsm", "random"
Expected<Direction> parse_direction(const std::string& name);

struct AttackSetup {
  int source = 7, target = 0;
  int k = 0;  // subspace size for the in/off-span split
  bool clip = true;
  float alpha_max = 3.0f;
  int grid = 30;  // alphas alpha_max * g / grid for g = 0..grid: the flip-rate curves' points
  int random_draws = 5;
  uint64_t seed = 1;        // random directions: draw r for image i comes from Pcg32(seed + i, r)
  float tolerance = 1e-3f;  // bisection width
};

// The image-independent directions for a target (full, off-span, in-span), each with max |d| = 1.
struct FixedDirections {
  std::array<std::vector<float>, 3> d;
  float full_l2 = 0;  // the random draws are scaled to this norm
};
FixedDirections fixed_directions(const Params& p, const Subspace& s, int k, int target);

struct FlipPoint {
  bool flipped = false;
  float alpha = 0;  // smallest flipping alpha (valid if flipped)
  float target_confidence = 0;
  float l2 = 0, linf = 0, rms = 0;  // of x(alpha) - x, after clipping
};

// One image under every direction; random: the mean over the draws that flipped, `flipped` if most did.
struct ImageAttack {
  int prediction = -1;
  float confidence = 0;
  std::array<FlipPoint, kDirectionCount> at;
  std::array<float, kDirectionCount> flip_share{};  // fraction of draws that flipped (0 or 1 except random)
  std::array<std::vector<float>, kDirectionCount> direction;  // the direction used (random: the first draw)
};

// Scans and bisects; all buffers come from `scratch`, sized for setup.grid + 1 columns.
class AttackScanner {
 public:
  AttackScanner(const Params& p, const AttackSetup& setup);
  // Fills `dir` (784) with direction d for image x (index `image` seeds the random draws).
  void direction(Direction d, const FixedDirections& fixed, const float* x, size_t image, int draw,
                 float* dir);
  // Predictions at every grid alpha into preds (grid + 1), then the flip point.
  FlipPoint scan(const float* x, const float* dir, uint8_t* preds);
  const AttackSetup& setup() const { return setup_; }

 private:
  int predict(const float* x, const float* dir, float alpha, float* confidence);
  const Params& p_;
  AttackSetup setup_;
  Workspace ws_;
  std::vector<float> probs_;
};

ImageAttack attack_image(const Params& p, const FixedDirections& fixed, const AttackSetup& setup,
                         const float* x, size_t image);

// Over every test image of the source digit the model classifies correctly.
struct AttackSurvey {
  AttackSetup setup;
  int images = 0;                                         // attacked (correct, of the source digit)
  std::vector<float> alphas;                              // (grid + 1)
  std::array<std::vector<double>, kDirectionCount> rate;  // flip rate at each alpha (random: over draws too)
  std::array<std::vector<float>, kDirectionCount> flip_alpha;  // per attacked image (and draw); +inf: no flip
  std::array<double, kDirectionCount> mean_l2{}, mean_linf{}, mean_rms{}, mean_confidence{};  // over flips
  double rate_at(Direction d, float alpha) const;  // at the nearest grid point
  double median_flip_alpha(Direction d) const;     // +inf if at most half flip
};

// The survey in pieces, so the page can spread it over frames (begin, step until true, result).
class AttackSurveyBuilder {
 public:
  void begin(const Params& p, const Subspace& s, const Dataset& data, const AttackSetup& setup);
  bool step(int images);  // dataset images looked at (most are other digits and cost nothing)
  bool running() const { return data_ != nullptr; }
  double progress() const { return data_ && data_->size() ? double(next_) / double(data_->size()) : 1.0; }
  AttackSurvey take();

 private:
  Params p_;
  const Dataset* data_ = nullptr;
  size_t next_ = 0;
  FixedDirections fixed_;
  std::unique_ptr<AttackScanner> scanner_;
  AttackSurvey s_;
  std::array<std::vector<long long>, kDirectionCount> hits_;
  std::array<long long, kDirectionCount> trials_{};
  std::vector<float> x_, dir_;
  std::vector<uint8_t> preds_;
};

AttackSurvey attack_survey(const Params& p, const Subspace& s, const Dataset& data, const AttackSetup& setup);

// The flip-rate curves as CSV: a header "alpha,full,off-span,in-span,fgsm,random", then one row per alpha.
std::string flip_rate_csv(const AttackSurvey& sv);

}  // namespace bs
