#include "app/remote_training.h"

#include <string>

#include "app/app_state.h"
#include "app/trial_state.h"

namespace bs::app {

RunRequest run_request(const AppState& s) {
  const TrainingRun& r = s.run;
  RunRequest q;
  q.run = r.run_id;
  q.seed = r.seed;
  q.config = r.trainer ? r.trainer->config() : r.config;
  q.playing = r.playing && r.trainer != nullptr;
  q.stop_at_step = r.stop_at_step;
  return q;
}

Status apply_run_report(AppState& s, const RunReport& report, const float* weights, size_t count) {
  TrainingRun& r = s.run;
  if (!r.remote) return Error{"a training report arrived, but this page trains here"};
  if (count != flat_size(Arch{}))
    return Error{"a training report carried " + std::to_string(count) + " weights, not " +
                 std::to_string(flat_size(Arch{}))};
  if (!r.trainer || report.run != r.run_id) return Status::Ok();  // an older run's: stale
  params_from_flat(r.model.params, weights);
  r.trainer->adopt(report.progress);
  r.images_per_second = report.images_per_second;
  if (report.checkpoint) record_checkpoint(s, report.test_accuracy, report.test_images);
  if (r.stop_at_step >= 0 && report.progress.step >= r.stop_at_step) {
    // A shared link's training step is reached: pause there, as the sharer saw it.
    r.playing = false;
    r.stop_at_step = -1;
  }
  if (!s.show_pretrained) s.analysis.dirty = true;
  return Status::Ok();
}

void training_side_failed(AppState& s, const std::string& why) {
  TrainingRun& r = s.run;
  if (!r.remote) return;
  r.remote = false;
  if (r.trainer) {
    const bool playing = r.playing;
    reset_training(s);
    r.playing = playing;
  }
  trial_moved_here(s);
  add_notice(s, "the training worker failed (" + why +
                    "); the live model and the trial's experiments run in this page instead");
}

}  // namespace bs::app
