#include "core/train/remote_run.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace bs {
namespace {

constexpr double kRequestVersion = 1, kReportVersion = 1;
constexpr size_t kRequestSize = 17, kReportFixed = 12;

bool whole(double x, double lo, double hi) {
  return std::isfinite(x) && x == std::floor(x) && x >= lo && x <= hi;
}

}  // namespace

std::vector<double> encode_request(const RunRequest& r) {
  const TrainConfig& c = r.config;
  return {kRequestVersion,
          double(r.run),
          double(r.seed),
          double(int(c.opt.kind)),
          c.opt.lr,
          c.opt.momentum,
          c.opt.beta1,
          c.opt.beta2,
          c.opt.eps,
          c.opt.weight_decay,
          c.opt.decoupled_decay ? 1.0 : 0.0,
          double(c.batch),
          double(c.shuffle_seed),
          c.lr_decay,
          double(c.start_images),
          r.playing ? 1.0 : 0.0,
          double(r.stop_at_step)};
}

Expected<RunRequest> decode_request(const double* v, size_t n) {
  if (n != kRequestSize || v[0] != kRequestVersion)
    return Error{"run request: expected " + std::to_string(kRequestSize) + " numbers of version 1"};
  for (size_t i = 0; i < n; ++i)
    if (!std::isfinite(v[i])) return Error{"run request: number " + std::to_string(i) + " is not finite"};
  if (!whole(v[1], 0, 9e15) || !whole(v[2], 0, 4294967295.0) || !whole(v[3], 0, 1) || !whole(v[10], 0, 1) ||
      !whole(v[11], 1, 4096) || !whole(v[12], 0, 9e15) || !whole(v[14], 0, 1e9) || !whole(v[15], 0, 1) ||
      !whole(v[16], -1, 9e15))
    return Error{"run request: a count, flag or seed is out of range"};
  if (!(v[4] > 0) || v[13] <= 0)
    return Error{"run request: the learning rate and its decay must be positive"};
  RunRequest r;
  r.run = (long long)v[1];
  r.seed = uint64_t(v[2]);
  TrainConfig& c = r.config;
  c.opt.kind = OptimizerKind(int(v[3]));
  c.opt.lr = float(v[4]);
  c.opt.momentum = float(v[5]);
  c.opt.beta1 = float(v[6]);
  c.opt.beta2 = float(v[7]);
  c.opt.eps = float(v[8]);
  c.opt.weight_decay = float(v[9]);
  c.opt.decoupled_decay = v[10] != 0;
  c.batch = int(v[11]);
  c.shuffle_seed = uint64_t(v[12]);
  c.lr_decay = float(v[13]);
  c.start_images = size_t(v[14]);
  r.playing = v[15] != 0;
  r.stop_at_step = (long long)v[16];
  return r;
}

std::vector<double> encode_report(const RunReport& r) {
  const TrainerProgress& p = r.progress;
  std::vector<double> v = {kReportVersion,
                           double(r.run),
                           double(p.step),
                           double(p.images_seen),
                           double(p.epochs_completed),
                           p.epoch_just_ended ? 1.0 : 0.0,
                           p.last_loss,
                           r.images_per_second,
                           r.checkpoint ? 1.0 : 0.0,
                           r.test_accuracy,
                           double(r.test_images),
                           double(p.epoch_losses.size())};
  v.insert(v.end(), p.epoch_losses.begin(), p.epoch_losses.end());
  return v;
}

Expected<RunReport> decode_report(const double* v, size_t n) {
  if (n < kReportFixed || v[0] != kReportVersion) return Error{"run report: not a report of version 1"};
  for (size_t i = 0; i < n; ++i)
    if (!std::isfinite(v[i])) return Error{"run report: number " + std::to_string(i) + " is not finite"};
  if (!whole(v[1], 0, 9e15) || !whole(v[2], 0, 9e15) || !whole(v[3], 0, 9e15) || !whole(v[4], 0, 1e6) ||
      !whole(v[5], 0, 1) || !whole(v[8], 0, 1) || v[9] < 0 || v[9] > 1 || !whole(v[10], 0, 1e9) ||
      !whole(v[11], 0, 1e6) || v[7] < 0)
    return Error{"run report: a count, flag or accuracy is out of range"};
  if (n != kReportFixed + size_t(v[11]))
    return Error{"run report: the epoch losses do not match their count"};
  RunReport r;
  r.run = (long long)v[1];
  r.progress.step = (long long)v[2];
  r.progress.images_seen = (long long)v[3];
  r.progress.epochs_completed = int(v[4]);
  r.progress.epoch_just_ended = v[5] != 0;
  r.progress.last_loss = float(v[6]);
  r.images_per_second = v[7];
  r.checkpoint = v[8] != 0;
  r.test_accuracy = v[9];
  r.test_images = size_t(v[10]);
  r.progress.epoch_losses.assign(v + kReportFixed, v + n);
  return r;
}

size_t flat_size(const Arch& a) {
  return size_t(a.h1) * size_t(a.in + 1) + size_t(a.h2) * size_t(a.h1 + 1) + size_t(a.out) * size_t(a.h2 + 1);
}

void params_to_flat(const Params& p, float* out) {
  for (const TensorView& t : p.tensors()) out = std::copy(t.data, t.data + t.size(), out);
}

void params_from_flat(Params& p, const float* in) {
  for (const TensorView& t : p.tensors()) {
    std::copy(in, in + t.size(), t.data);
    in += t.size();
  }
}

int steps_before_checkpoint(const Trainer& t, long long stop_at_step, int want) {
  long long n = std::min<long long>(want, kCheckpointSteps - t.step() % kCheckpointSteps);
  if (stop_at_step >= 0) n = std::min(n, std::max(0LL, stop_at_step - t.step()));
  return int(n);
}

}  // namespace bs
