// The functions the page's JavaScript calls (exported from the WebAssembly module) and the calls back into
// it. Bytes from fetch() arrive here chunk by chunk; JSON goes both ways for state(), set() and postMessage.
// Every entry point checks its input and answers with a message; none of them can leave the state
// half-changed.
#include <emscripten.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "app/figure_layout.h"
#include "app/remote_training.h"
#include "app/state_api.h"
#include "app/trial_state.h"
#include "core/model/safetensors.h"
#include "platform/web/web_state.h"

namespace bs::web {
namespace {

using json = nlohmann::json;

std::string& out_buffer() {
  static std::string s;
  return s;
}

const char* reply(const std::string& text) {
  out_buffer() = text;
  return out_buffer().c_str();
}

std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

int& request_size() {
  static int n = 0;
  return n;
}

bool valid_file(int file) {
  return file >= 0 && file < app::kDataFiles;
}

bool& page_requested() {
  static bool asked = false;
  return asked;
}

}  // namespace

bool take_page_request() {
  const bool asked = page_requested();
  page_requested() = false;
  return asked;
}

std::unique_ptr<app::AppState>& state_holder() {
  static auto holder = std::make_unique<app::AppState>();
  return holder;
}
app::AppState& state() {
  return *state_holder();
}

void ready() {
  EM_ASM({
    if (Module.onBooksmartReady) Module.onBooksmartReady();
  });
}
void frame_done() {
  EM_ASM({
    if (Module.onBooksmartFrame) Module.onBooksmartFrame();
  });
}
void fatal(const std::string& why) {
  EM_ASM(
      {
        if (Module.onBooksmartFatal) Module.onBooksmartFatal(UTF8ToString($0));
      },
      why.c_str());
}

void deliver_downloads() {
  for (const app::Download& d : state().ui.downloads) {
    EM_ASM(
        {
          if (Module.onBooksmartDownload)
            Module.onBooksmartDownload(UTF8ToString($0), UTF8ToString($1), HEAPU8.slice($2, $2 + $3));
        },
        d.name.c_str(), d.mime.c_str(), d.bytes.data(), int(d.bytes.size()));
  }
  state().ui.downloads.clear();
}

}  // namespace bs::web

using bs::web::state;

extern "C" {

// The next chunk of data file `file` (app::DataFile). Returns "" or the error, which also shows as a notice.
EMSCRIPTEN_KEEPALIVE const char* bs_data_push(int file, const uint8_t* data, int size) {
  if (!bs::web::valid_file(file) || size < 0) return bs::web::reply("bad data file or size");
  bs::Status st = bs::app::feed_push(state(), bs::app::DataFile(file), data, size_t(size));
  return bs::web::reply(st.message());
}

EMSCRIPTEN_KEEPALIVE const char* bs_data_end(int file) {
  if (!bs::web::valid_file(file)) return bs::web::reply("bad data file");
  bs::Status st = bs::app::feed_end(state(), bs::app::DataFile(file));
  return bs::web::reply(st.message());
}

EMSCRIPTEN_KEEPALIVE void bs_data_fail(int file, const char* why) {
  if (bs::web::valid_file(file)) bs::app::feed_fail(state(), bs::app::DataFile(file), why ? why : "failed");
}

// A model file's bytes (safetensors). On success it becomes the pretrained model on view; on failure the
// current models stay and the reader sees why.
EMSCRIPTEN_KEEPALIVE const char* bs_load_model(const uint8_t* data, int size, const char* name) {
  bs::web::page_requested() = true;
  std::string label = name ? name : "model";
  auto m = bs::decode_safetensors(data, size_t(size < 0 ? 0 : size), label);
  if (!m.ok()) {
    bs::app::add_notice(state(), m.error() + " (the model on view is unchanged)");
    return bs::web::reply(m.error());
  }
  const bool shipped = label == bs::app::book_info(state().book).pretrained_file;
  bs::app::use_pretrained(state(), std::move(m.value()),
                          shipped ? "pretrained model" : "model file " + label);
  return bs::web::reply("");
}

// A picture's RGBA pixels (decoded by the browser from a dropped or chosen file) as the reader's digit.
// Returns
// "" or why it was refused (also a notice); a refused picture leaves the drawing as it was.
EMSCRIPTEN_KEEPALIVE const char* bs_picture(const uint8_t* rgba, int width, int height, const char* name) {
  bs::web::page_requested() = true;
  bs::Status st = bs::app::use_picture(state(), rgba, width, height);
  if (!st.ok()) {
    bs::app::add_notice(state(), std::string(name ? name : "picture") + ": " + st.message());
    return bs::web::reply(st.message());
  }
  state().ui.view = bs::app::View::kDraw;
  state().ui.view_requested = true;
  return bs::web::reply("");
}

// FNV-1a (32-bit, hex) of train images, train labels, test images, test labels as they are now
// (bs::app::data_checksum).
EMSCRIPTEN_KEEPALIVE const char* bs_data_checksum() {
  char hex[9];
  std::snprintf(hex, sizeof hex, "%08x", unsigned(bs::app::data_checksum(state())));
  return bs::web::reply(hex);
}

// A message from the page for the reader (e.g. a download that failed outside the data feed).
EMSCRIPTEN_KEEPALIVE void bs_notice(const char* text) {
  bs::app::add_notice(state(), text ? text : "");
}

EMSCRIPTEN_KEEPALIVE const char* bs_state() {
  return bs::web::reply(bs::web::dump(bs::app::state_json(state())));
}

// The page's milestones (app::milestones), read every frame until all are reached: [analysisGeneration,
// prediction, live model on view (1/0), testAccuracy, testAccuracyImages]. Allocates nothing.
EMSCRIPTEN_KEEPALIVE const double* bs_milestones() {
  static double v[5];
  const bs::app::Milestones m = bs::app::milestones(state());
  v[0] = double(m.analysis_generation);
  v[1] = m.prediction;
  v[2] = m.live ? 1 : 0;
  v[3] = m.test_accuracy;
  v[4] = m.test_images;
  return v;
}

// A JSON object of changes; returns {"errors": [...]} (an empty list when everything applied).
EMSCRIPTEN_KEEPALIVE const char* bs_set(const char* text) {
  bs::web::page_requested() = true;
  bs::web::json changes = bs::web::json::parse(text ? text : "", nullptr, /*allow_exceptions=*/false);
  std::vector<std::string> errors;
  if (changes.is_discarded())
    errors.push_back("set(): not valid JSON");
  else
    errors = bs::app::apply_changes(bs::web::state_holder(), changes);
  return bs::web::reply(bs::web::dump(bs::web::json{{"errors", errors}}));
}

// The page's URL parameters as JSON [name, value] pairs (the browser's URLSearchParams decoded them); invalid
// values become a notice. `embed` shows the chosen view alone.
EMSCRIPTEN_KEEPALIVE const char* bs_apply_query(const char* params, int embed) {
  state().ui.embed = embed != 0;
  bs::web::json pairs = bs::web::json::parse(params ? params : "", nullptr, /*allow_exceptions=*/false);
  auto errors = bs::app::apply_query(bs::web::state_holder(), pairs.is_discarded() ? bs::web::json() : pairs);
  return bs::web::reply(bs::web::dump(bs::web::json{{"errors", errors}}));
}

// The state's serial (app::AppState::serial). It changes when a dataset switch has replaced the state: the
// page then stops the old book's streams and worker and streams the new book (state().dataset) from scratch.
EMSCRIPTEN_KEEPALIVE double bs_state_serial() {
  return double(state().serial);
}

// The URL parameters of a share link to this view, as JSON [name, value] pairs.
EMSCRIPTEN_KEEPALIVE const char* bs_share_params() {
  return bs::web::reply(bs::web::dump(bs::app::share_params(state())));
}

// Whether a wheel turned at (x, y) (CSS pixels from the canvas's top left) by (dx, dy) (the DOM's deltas) is
// the figure's: 1 if it would scroll something inside that can still move that way, 0 if the page should
// scroll.
EMSCRIPTEN_KEEPALIVE int bs_wheel_wanted(float x, float y, float dx, float dy) {
  return bs::app::wheel_scrolls_figure(x, y, dx, dy) ? 1 : 0;
}

// Whether a finger put down at (x, y) drags something of the figure (a slider, the Draw pad): 1, and the page
// keeps the touch for the figure; 0, and the browser may scroll or zoom the page with it.
EMSCRIPTEN_KEEPALIVE int bs_touch_wanted(float x, float y) {
  return bs::app::touch_drags_figure(x, y) ? 1 : 0;
}

// The live run the reader wants (core/train/remote_run.h's request, as numbers), for the training worker.
// bs_run_request_size() is the length of the array the last call returned.
EMSCRIPTEN_KEEPALIVE const double* bs_run_request() {
  static std::vector<double> request;
  request = bs::encode_request(bs::app::run_request(state()));
  bs::web::request_size() = int(request.size());
  return request.data();
}
EMSCRIPTEN_KEEPALIVE int bs_run_request_size() {
  return bs::web::request_size();
}

// A report from the training worker and the weights beside it. Returns "" or why it was refused; a refused
// report changes nothing.
EMSCRIPTEN_KEEPALIVE const char* bs_run_report(const double* report, int n, const float* weights, int count) {
  auto r = bs::decode_report(report, size_t(n < 0 ? 0 : n));
  if (!r.ok()) return bs::web::reply(r.error());
  bs::Status st = bs::app::apply_run_report(state(), r.value(), weights, size_t(count < 0 ? 0 : count));
  return bs::web::reply(st.message());
}

// The training worker could not start or died (`why` for the reader): training and the trial move to the
// page's thread (app::training_side_failed).
EMSCRIPTEN_KEEPALIVE void bs_worker_failed(const char* why) {
  bs::app::training_side_failed(state(), why ? why : "unknown error");
}

// The next experiment of the trial for the worker to run (core/trial/experiment.h's request, as numbers),
// or null when there is none to hand over now; bs_trial_request_size() is its length. The experiment then
// counts as running.
EMSCRIPTEN_KEEPALIVE const double* bs_trial_request() {
  static std::vector<double> request;
  auto q = bs::app::next_remote_experiment(state());
  request = q ? bs::encode_experiment_request(*q) : std::vector<double>{};
  bs::web::request_size() = int(request.size());
  return request.empty() ? nullptr : request.data();
}
EMSCRIPTEN_KEEPALIVE int bs_trial_request_size() {
  return bs::web::request_size();
}

// The worker's figures for the experiment it runs. Returns "" or why they were refused (nothing changes).
EMSCRIPTEN_KEEPALIVE const char* bs_trial_result(const double* v, int n) {
  return bs::web::reply(bs::app::apply_remote_result(state(), v, size_t(n < 0 ? 0 : n)));
}

// The training set was only counted here (its pixels went to the worker), and a view that reads it has
// been opened: the page starts a second download of it, which this side keeps.
EMSCRIPTEN_KEEPALIVE void bs_keep_training_set() {
  bs::app::feed_keep_training_set(state());
}

// Whether the figure is in the viewport (an embed's IntersectionObserver). Out of view, the main loop stops:
// no frames, no training, no analysis; back in view it resumes where it was. Data keeps arriving meanwhile.
EMSCRIPTEN_KEEPALIVE void bs_set_onscreen(int on) {
  if (state().ui.onscreen == (on != 0)) return;
  state().ui.onscreen = on != 0;
  if (on)
    emscripten_resume_main_loop();
  else
    emscripten_pause_main_loop();
}

}  // extern "C"
