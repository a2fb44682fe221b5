// The training worker's WebAssembly: the core's trainer, the streamed training set, and the test set for the
// accuracy at checkpoints; the trial's experiments run beside it (trial_worker.cpp). The page
// (shell/booksmart.js) forwards the training files' chunks and the reader's run request;
// shell/trainer-worker.js calls bw_train() in a loop and posts the reports and weights back
// (core/train/remote_run.h). Training here is the same code as in the page's own thread, so the same seed
// gives the same weights in either.
#include <emscripten.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "core/data/split_stream.h"
#include "core/model/model.h"
#include "core/train/evaluate.h"
#include "core/train/remote_run.h"
#include "core/util/clock.h"
#include "platform/web/worker_data.h"

namespace {

constexpr int kStepsPerSlice = 8;  // the budget is checked between slices, as in the page's own thread

struct TrainingSide {
  bs::Dataset train, test;
  bs::SplitStream train_stream{"train-images-idx3-ubyte", "train-labels-idx1-ubyte", &train};
  bs::SplitStream test_stream{"t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", &test};
  bool images_done = false, labels_done = false;
  bs::Workspace eval_ws{bs::Arch{}, 500};
  double test_accuracy = 0;  // measured at the last checkpoint
  size_t test_images = 0;
  bs::RunRequest request;
  bs::Model model;
  std::unique_ptr<bs::Trainer> trainer;
  double images_per_second = 0;
  bool checkpoint = false;  // the last bw_train ended at a checkpoint
  std::vector<double> report;
  std::vector<float> weights;
  std::string message;
};

TrainingSide& side() {
  static TrainingSide s;
  return s;
}

const char* reply(std::string text) {
  side().message = std::move(text);
  return side().message.c_str();
}

// Room for the whole split as soon as a file's header declares its count: a vector that doubles as images
// arrive would hold up to twice the set (and, reserved later, leave its old block behind), and a
// WebAssembly heap never shrinks. The page's parser has accepted these bytes first; the cap keeps a corrupt
// header from asking for more than an MNIST-sized set.
void reserve_declared(const bs::SplitStream& st, bs::Dataset& d) {
  constexpr size_t kMaxImages = 100000;
  const size_t images = st.images().declared_count(), labels = st.labels().declared_count();
  if (st.images().header_done() && images <= kMaxImages && d.images.capacity() < images * size_t(bs::kPixels))
    d.images.reserve(images * size_t(bs::kPixels));
  if (st.labels().header_done() && labels <= kMaxImages && d.labels.capacity() < labels)
    d.labels.reserve(labels);
}

}  // namespace

namespace bs::worker {
const Dataset& train_set() {
  return side().train;
}
const Dataset& test_set() {
  return side().test;
}
}  // namespace bs::worker

extern "C" {

// The next chunk of the training images (file 0) or labels (1), or the test images (2) or labels (3): the
// page's DataFile numbers. Returns "" or the error.
EMSCRIPTEN_KEEPALIVE const char* bw_push(int file, const uint8_t* data, int size) {
  if (file < 0 || file > 3 || size < 0) return reply("bad file or size");
  bs::SplitStream& st = file < 2 ? side().train_stream : side().test_stream;
  bs::Status s = file % 2 == 0 ? st.push_images(data, size_t(size)) : st.push_labels(data, size_t(size));
  if (!s.ok() && file < 2) side().train.closed = true;  // nothing more will come: training stops waiting
  reserve_declared(st, file < 2 ? side().train : side().test);
  return reply(s.message());
}

// The file ended (ok = 1) or failed (0): with both labels and images complete, or either failed, what arrived
// is all there is.
EMSCRIPTEN_KEEPALIVE void bw_end(int file, int ok) {
  TrainingSide& s = side();
  if (file > 1) return;  // the test set: evaluations use what has arrived
  (file == 0 ? s.images_done : s.labels_done) = true;
  if (!ok || (s.images_done && s.labels_done)) s.train.closed = true;
}

// The reader's run (encode_request's numbers). A new run id starts from its seed's initial weights; the same
// id only changes whether it plays and where it stops. Returns "" or why the request was refused.
EMSCRIPTEN_KEEPALIVE const char* bw_request(const double* v, int n) {
  auto r = bs::decode_request(v, size_t(n < 0 ? 0 : n));
  if (!r.ok()) return reply(r.error());
  TrainingSide& s = side();
  if (!s.trainer || r.value().run != s.request.run) {
    // The old run goes first: both at once would need room for two, and the heap never gives it back.
    s.trainer.reset();
    s.model = bs::make_model(bs::Arch{}, r.value().seed);
    s.trainer = std::make_unique<bs::Trainer>(r.value().config, bs::Arch{});
    s.images_per_second = 0;
  }
  s.request = r.value();
  return reply("");
}

// Trains the requested run for about `budget_ms`, stopping early at a checkpoint or the requested step.
// Returns the steps run (0: not playing, at the stop, or waiting for images).
EMSCRIPTEN_KEEPALIVE int bw_train(double budget_ms) {
  TrainingSide& s = side();
  s.checkpoint = false;
  if (!s.trainer || !s.request.playing) return 0;
  const double start = bs::now_ms();
  const long long seen = s.trainer->images_seen();
  int total = 0;
  do {
    const int steps = bs::steps_before_checkpoint(*s.trainer, s.request.stop_at_step, kStepsPerSlice);
    if (steps <= 0) break;
    const int done = s.trainer->train_steps(s.model.params, s.train, steps);
    total += done;
    if (done == 0 && !s.trainer->epoch_just_ended()) break;  // waiting for images
    if (bs::at_checkpoint(*s.trainer)) {
      // The page's own thread measures the same images at the same weights (app_state.cpp).
      const bs::Evaluation ev = bs::evaluate(s.model.params, s.test, s.eval_ws,
                                             s.trainer->epoch_just_ended() ? 0 : bs::kCheckpointTestImages);
      s.test_accuracy = ev.accuracy();
      s.test_images = ev.count;
      s.checkpoint = true;
      break;
    }
  } while (bs::now_ms() - start < budget_ms);
  const double elapsed = bs::now_ms() - start;
  if (total > 0 && elapsed > 0)
    s.images_per_second = double(s.trainer->images_seen() - seen) / elapsed * 1000.0;
  return total;
}

// The report of where the run stands now, with its weights (bw_weights, flat_size floats) taken at the same
// moment; bw_report_size() is its length.
EMSCRIPTEN_KEEPALIVE const double* bw_report() {
  TrainingSide& s = side();
  bs::RunReport r;
  r.run = s.request.run;
  if (s.trainer) r.progress = s.trainer->progress();
  r.images_per_second = s.images_per_second;
  r.checkpoint = s.checkpoint;
  if (s.checkpoint) {
    r.test_accuracy = s.test_accuracy;
    r.test_images = s.test_images;
  }
  s.report = bs::encode_report(r);
  s.weights.resize(bs::flat_size(bs::Arch{}));
  bs::params_to_flat(s.model.params, s.weights.data());
  return s.report.data();
}
EMSCRIPTEN_KEEPALIVE int bw_report_size() {
  return int(side().report.size());
}
EMSCRIPTEN_KEEPALIVE const float* bw_weights() {
  return side().weights.data();
}
EMSCRIPTEN_KEEPALIVE int bw_weight_count() {
  return int(side().weights.size());
}
// Whether the last bw_train ended at a checkpoint (its report must reach the page).
EMSCRIPTEN_KEEPALIVE int bw_at_checkpoint() {
  return side().checkpoint ? 1 : 0;
}
EMSCRIPTEN_KEEPALIVE int bw_train_images() {
  return int(side().train.size());
}

}  // extern "C"
