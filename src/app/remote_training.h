// The live run trained on another thread (the page's Web Worker; core/train/remote_run.h has the messages).
// The state stays the one place that says what the reader wants: the platform sends run_request() to the
// training side whenever it changes, and hands each report back through apply_run_report(), which puts the
// weights into the live model and the progress into its mirror trainer, as if it had trained here.
#pragma once

#include <string>

#include "core/train/remote_run.h"
#include "core/util/status.h"

namespace bs::app {

struct AppState;

// The run the reader wants now: its id, seed and recipe, whether it plays, and where it stops.
RunRequest run_request(const AppState& s);
// A report and its weights (flat_size floats). A report of an older run is dropped (and is no error); a
// checkpoint's test accuracy enters the history; reaching a shared link's step pauses the run.
Status apply_run_report(AppState& s, const RunReport& r, const float* weights, size_t count);

// The training side could not start or stopped working (`why`, for the reader): the live model and the
// trial's experiments move to this thread, as with ?trainer=page. A run that had started restarts from its
// seed (its optimizer state was over there) and keeps playing if it was; an experiment the worker was running
// is asked again here. The page then fetches its own copy of the training set (training_set_wanted). No-op
// when this thread already trains.
void training_side_failed(AppState& s, const std::string& why);

}  // namespace bs::app
