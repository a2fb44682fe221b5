#include "app/state_api.h"

#include <cmath>
#include <cstdlib>

namespace bs::app {
namespace {

using json = nlohmann::json;

constexpr long long kTestImages = 10000;
constexpr float kAlphaMax = 3.0f;

// Strict decimal parsing of URL values: the whole text must be the number.
bool parse_int(const std::string& text, long long* out) {
  if (text.empty() || text.size() > 18) return false;
  char* end = nullptr;
  long long v = std::strtoll(text.c_str(), &end, 10);
  if (*end != '\0' || text.find_first_not_of("-0123456789") != std::string::npos) return false;
  *out = v;
  return true;
}

bool parse_float(const std::string& text, double* out) {
  if (text.empty() || text.size() > 32 || text.find_first_not_of("-+.0123456789eE") != std::string::npos) return false;
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (*end != '\0' || !std::isfinite(v)) return false;
  *out = v;
  return true;
}

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() + 0 && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += char(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// Quotes a value for a message, cut short and stripped of control characters (it may be anything).
std::string shown(const std::string& v) {
  std::string out;
  // Printable ASCII only: the value may be any bytes, and it ends up in JSON and on screen.
  for (char c : v.substr(0, 40)) out += (unsigned char)c < 32 || (unsigned char)c > 126 ? '?' : c;
  return "'" + out + (v.size() > 40 ? "...'" : "'");
}
std::string shown(const json& v) {
  return shown(v.is_string() ? v.get<std::string>() : v.dump(-1, ' ', false, json::error_handler_t::replace));
}

bool get_int(const json& v, long long lo, long long hi, long long* out) {
  if (!v.is_number_integer() && !(v.is_number_float() && std::floor(v.get<double>()) == v.get<double>())) return false;
  double d = v.get<double>();
  if (!(d >= double(lo) && d <= double(hi))) return false;
  *out = (long long)d;
  return true;
}

bool get_float(const json& v, double lo, double hi, double* out) {
  if (!v.is_number()) return false;
  double d = v.get<double>();
  if (!std::isfinite(d) || d < lo || d > hi) return false;
  *out = d;
  return true;
}

template <class E>
bool get_enum(const json& v, std::initializer_list<std::pair<const char*, E>> names, E* out) {
  if (!v.is_string()) return false;
  for (const auto& [name, value] : names)
    if (v.get<std::string>() == name) {
      *out = value;
      return true;
    }
  return false;
}

// One field of a change request; returns "" when applied, else why not.
// {"weightDecay": 0.001, "decoupled": false, "inputNoise": 0, "fgsm": 0.1, "initScale": 1}: all or nothing.
std::string apply_street(AppState& s, const json& v) {
  if (!v.is_object()) return "streetSmart must be an object of options, not " + shown(v);
  StreetOptions o = s.compare.options;
  double d = 0;
  for (const auto& [k, x] : v.items()) {
    if (k == "weightDecay") {
      if (!get_float(x, 0, 0.1, &d)) return "streetSmart.weightDecay must be a number from 0 to 0.1, not " + shown(x);
      o.weight_decay = float(d);
    } else if (k == "decoupled") {
      if (!x.is_boolean()) return "streetSmart.decoupled must be true or false, not " + shown(x);
      o.decoupled = x.get<bool>();
    } else if (k == "inputNoise") {
      if (!get_float(x, 0, 1, &d)) return "streetSmart.inputNoise must be a number from 0 to 1, not " + shown(x);
      o.input_noise = float(d);
    } else if (k == "fgsm") {
      if (!get_float(x, 0, 0.5, &d)) return "streetSmart.fgsm must be a number from 0 to 0.5, not " + shown(x);
      o.fgsm_epsilon = float(d);
    } else if (k == "initScale") {
      if (!get_float(x, 0.01, 10, &d)) return "streetSmart.initScale must be a number from 0.01 to 10, not " + shown(x);
      o.init_scale = float(d);
    } else {
      return "unknown streetSmart option " + shown(k);
    }
  }
  s.compare.options = o;
  return "";
}

std::string apply_one(AppState& s, const std::string& key, const json& v) {
  long long i = 0;
  double d = 0;
  if (key == "alpha") {
    if (!get_float(v, 0.0, kAlphaMax, &d)) return "alpha must be a number from 0 to 3, not " + shown(v);
    s.alpha = float(d);
    refresh_overlay(s);
  } else if (key == "selectedNeuron") {
    auto n = v.is_string() ? parse_neuron(v.get<std::string>(), Arch{}) : Expected<NeuronId>(Error{""});
    if (!n.ok()) return "selectedNeuron must be layer:index (1:0-63, 2:0-63, 3:0-9), not " + shown(v);
    s.selected = n.value();
  } else if (key == "pattern") {
    auto n = v.is_string() ? parse_neuron(v.get<std::string>(), Arch{}) : Expected<NeuronId>(Error{""});
    if (!n.ok()) return "pattern must be layer:index (1:0-63, 2:0-63, 3:0-9), not " + shown(v);
    s.pattern = n.value();
    s.analysis_dirty = true;
  } else if (key == "digitIndex") {
    if (!get_int(v, 0, kTestImages - 1, &i)) return "digitIndex must be a test image index from 0 to 9999, not " + shown(v);
    s.requested_index = i;
  } else if (key == "digit") {
    if (!get_int(v, 0, 9, &i)) return "digit must be 0-9, not " + shown(v);
    s.attack_digit = int(i);
    s.attack_index = -1;
    s.analysis_dirty = true;
  } else if (key == "target") {
    if (!get_int(v, 0, 9, &i)) return "target must be 0-9, not " + shown(v);
    s.target = int(i);
    s.pattern = NeuronId{3, int(i)};
    s.analysis_dirty = true;
  } else if (key == "seed") {
    if (!get_int(v, 0, 4294967295LL, &i)) return "seed must be an integer from 0 to 4294967295, not " + shown(v);
    s.seed = uint64_t(i);
  } else if (key == "learningRate") {
    if (!get_float(v, 1e-5, 1.0, &d)) return "learningRate must be a number from 0.00001 to 1, not " + shown(v);
    s.config.opt.lr = float(d);
  } else if (key == "batch") {
    if (!get_int(v, 1, 256, &i)) return "batch must be an integer from 1 to 256, not " + shown(v);
    s.config.batch = int(i);
  } else if (key == "optimizer") {
    OptimizerKind k;
    if (!get_enum(v, {{"sgd", OptimizerKind::kSgd}, {"adam", OptimizerKind::kAdam}}, &k))
      return "optimizer must be 'sgd' or 'adam', not " + shown(v);
    s.config.opt.kind = k;
  } else if (key == "playing") {
    if (!v.is_boolean()) return "playing must be true or false, not " + shown(v);
    if (v.get<bool>() && s.train.size() == 0) return "cannot train yet: no training images have arrived";
    if (v.get<bool>() && !s.trainer) reset_training(s);
    s.playing = v.get<bool>();
    if (s.playing) show_model(s, false);
  } else if (key == "reset") {
    if (v != true) return "reset must be true, not " + shown(v);
    reset_training(s);
  } else if (key == "model") {
    bool pretrained;
    if (!get_enum(v, {{"pretrained", true}, {"live", false}}, &pretrained))
      return "model must be 'pretrained' or 'live', not " + shown(v);
    if (pretrained ? !s.has_pretrained : !s.trainer) return std::string("there is no ") + (pretrained ? "pretrained" : "live") + " model yet";
    show_model(s, pretrained);
  } else if (key == "train") {
    StartMode m;
    if (!get_enum(v, {{"auto", StartMode::kAuto}, {"pretrained", StartMode::kPretrained}}, &m))
      return "train must be 'auto' or 'pretrained', not " + shown(v);
    s.start_mode = m;
  } else if (key == "k") {
    if (!get_int(v, 1, kPixels, &i)) return "k must be an integer from 1 to 784, not " + shown(v);
    if (!s.lab.ready()) {
      s.lab.requested_k = int(i);  // the subspace is built when a view needs it; k applies then
      s.lab.wanted = true;
    } else {
      s.lab.k = int(i);
      if (s.has_model()) refresh_lab(s, s.shown().params);
    }
  } else if (key == "export") {
    if (!v.is_string()) return "export must be png, model or csv:<series>, not " + shown(v);
    Status st = request_export(s, v.get<std::string>());
    if (!st.ok()) return st.message();
  } else if (key == "step") {
    if (!get_int(v, 0, 100000000, &i)) return "step must be an integer from 0 to 100000000, not " + shown(v);
    // Train live to this step and pause there: a shared link shows what its sender saw.
    if (s.trainer && s.trainer->step() > i) reset_training(s);
    s.stop_at_step = i;
    if (s.trainer) {
      s.playing = true;
      show_model(s, false);
    } else {
      s.start_mode = StartMode::kAuto;  // it starts by itself once enough images are in
    }
  } else if (key == "dark") {
    if (!v.is_boolean()) return "dark must be true or false, not " + shown(v);
    s.dark = v.get<bool>();
  } else if (key == "attackDrawing") {
    if (v != true) return "attackDrawing must be true, not " + shown(v);
    Status st = attack_drawing(s);
    if (!st.ok()) return st.message();
  } else if (key == "clearDrawing") {
    if (v != true) return "clearDrawing must be true, not " + shown(v);
    clear_drawing(s.drawing);
  } else if (key == "streetSmart") {
    return apply_street(s, v);
  } else if (key == "streetPlaying") {
    if (!v.is_boolean()) return "streetPlaying must be true or false, not " + shown(v);
    if (v.get<bool>() && s.train.size() == 0) return "cannot train yet: no training images have arrived";
    if (v.get<bool>() && !s.compare.trainer) reset_street(s);
    s.compare.playing = v.get<bool>();
  } else if (key == "streetReset") {
    if (v != true) return "streetReset must be true, not " + shown(v);
    if (s.train.size() == 0) return "cannot train yet: no training images have arrived";
    reset_street(s);
  } else if (key == "view") {
    View view;
    if (!get_enum(v, {{"neurons", View::kNeurons}, {"overlay", View::kOverlay}, {"subspace", View::kSubspace},
                      {"attacks", View::kAttacks}, {"compare", View::kCompare}, {"training", View::kTraining}, {"draw", View::kDraw}}, &view))
      return "view must be neurons, overlay, draw, subspace, attacks, compare or training, not " + shown(v);
    s.view = view;
    s.view_requested = true;
  } else {
    return "unknown setting " + shown(key);
  }
  return "";
}

// Images attacked, and per direction the flip rate at alpha = 1 and the median flip alpha (null: most never flip).
json survey_summary(const AttackSurvey& sv) {
  json rates = json::object(), medians = json::object();
  for (int d = 0; d < kDirectionCount; ++d) {
    rates[direction_name(Direction(d))] = sv.rate_at(Direction(d), 1.0f);
    const double m = sv.median_flip_alpha(Direction(d));
    medians[direction_name(Direction(d))] = std::isfinite(m) ? json(m) : json(nullptr);
  }
  return {{"images", sv.images}, {"rateAt1", rates}, {"medianFlipAlpha", medians}};
}

json compare_json(const AppState& s) {
  const Compare& c = s.compare;
  const StreetOptions& o = c.options;
  json j = {{"options", {{"weightDecay", o.weight_decay}, {"decoupled", o.decoupled}, {"inputNoise", o.input_noise},
                         {"fgsm", o.fgsm_epsilon}, {"initScale", o.init_scale}}},
            {"playing", c.playing},
            {"step", c.trainer ? c.trainer->step() : 0},
            {"epochsCompleted", c.trainer ? c.trainer->epochs_completed() : 0}};
  json sides = json::array();
  for (const CompareSide& side : c.side) {
    json x = {{"ready", side.key >= 0}, {"accuracy", side.accuracy}, {"accuracyImages", side.accuracy_images}};
    if (side.has_span) {
      x["offShare"] = json::array();
      for (const SpanSplit& l : side.span.layers) x["offShare"].push_back(l.off_share);
    }
    if (side.survey_ready) {
      x["survey"] = survey_summary(side.survey);
      x["survey"]["current"] = side.job_key == side.key && !side.job.running();
    }
    sides.push_back(x);
  }
  j["bookSmart"] = sides[0];
  j["streetSmart"] = sides[1];
  return j;
}

json lab_json(const AppState& s) {
  const Lab& lab = s.lab;
  if (!lab.ready()) return json{{"ready", false}, {"imagesDone", lab.builder.done_images()}};
  json layers = json::array();
  for (const SpanSplit& l : lab.report.layers)
    layers.push_back({{"offShare", l.off_share}, {"initOffShare", l.init_off_share}, {"changeInShare", l.change_in_share},
                      {"offDrift", l.off_drift}});
  json j = {{"ready", true}, {"k", lab.k}, {"k95", lab.subspace.k_for(0.95)}, {"explained", lab.subspace.explained(lab.k)},
            {"neverLit", lab.subspace.never_lit_count()}, {"neverLitChange", lab.never_lit_change},
            {"buildSeconds", lab.build_seconds}, {"layers", layers}};
  json dirs = json::object();
  for (int d = 0; d < kDirectionCount; ++d) {
    const FlipPoint& f = lab.image.at[size_t(d)];
    dirs[direction_name(Direction(d))] = {{"flipShare", lab.image.flip_share[size_t(d)]},
                                          {"flipAlpha", lab.image.flip_share[size_t(d)] > 0 ? json(f.alpha) : json(nullptr)},
                                          {"l2", f.l2}, {"linf", f.linf}, {"rms", f.rms}};
  }
  j["attack"] = dirs;
  if (lab.has_linear) {
    j["linear"] = {{"actual", lab.linear.actual}, {"sum", lab.linear.total}, {"inSpan", lab.linear.in_span},
                   {"offSpan", lab.linear.off_span}, {"switched", lab.linear.switched}};
  }
  if (lab.survey_ready) {
    j["survey"] = survey_summary(lab.survey);
    j["survey"]["generation"] = lab.survey_generation;
  }
  return j;
}

}  // namespace

json state_json(const AppState& s) {
  json j;
  j["phase"] = phase_name(s.phase);
  j["imagesLoaded"] = s.train.size() + s.test.size();
  j["trainImages"] = s.train.size();
  j["testImages"] = s.test.size();
  uint64_t bytes = 0;
  for (const auto& f : s.feed.files) bytes += f.bytes;
  j["bytesLoaded"] = bytes;
  j["model"] = s.show_pretrained && s.has_pretrained ? "pretrained" : s.trainer ? "live" : "none";
  j["hasPretrained"] = s.has_pretrained;
  j["modelLabel"] = s.model_label();
  j["playing"] = s.playing;
  j["seed"] = s.seed;
  j["learningRate"] = s.config.opt.lr;
  j["batch"] = s.config.batch;
  j["optimizer"] = s.config.opt.kind == OptimizerKind::kSgd ? "sgd" : "adam";
  j["train"] = s.start_mode == StartMode::kAuto ? "auto" : "pretrained";
  const double epoch_size = double(s.train.declared ? s.train.declared : 60000);
  j["epoch"] = s.trainer ? double(s.trainer->images_seen()) / epoch_size : 0.0;
  j["epochsCompleted"] = s.trainer ? s.trainer->epochs_completed() : 0;
  j["step"] = s.trainer ? s.trainer->step() : 0;
  j["loss"] = s.trainer ? s.trainer->last_loss() : 0.0f;
  j["epochLosses"] = s.trainer ? s.trainer->epoch_losses() : std::vector<float>{};
  j["testAccuracy"] = s.test_accuracy;
  j["testAccuracyImages"] = s.test_accuracy_images;
  j["epochAccuracies"] = s.epoch_accuracy;
  j["epochAccuracyImages"] = s.epoch_accuracy_images;
  j["shownAccuracy"] = s.shown_accuracy;
  j["imagesPerSecond"] = s.images_per_second;
  j["alpha"] = s.alpha;
  j["digit"] = s.attack_digit;
  j["digitIndex"] = s.attack_index;
  j["target"] = s.target;
  j["pattern"] = neuron_name(s.pattern);
  j["prediction"] = s.prediction;
  j["confidence"] = s.prediction >= 0 ? s.probs[size_t(s.prediction)] : 0.0f;
  j["probabilities"] = s.probs;
  j["flipAlpha"] = s.flip.flipped ? json(s.flip.alpha) : json(nullptr);
  j["selectedNeuron"] = neuron_name(s.selected);
  j["view"] = view_name(s.view);
  j["subspace"] = lab_json(s);
  const Drawing& d = s.drawing;
  j["drawing"] = {{"hasDigit", d.has_digit}, {"prediction", d.has_digit ? d.prediction : -1},
                  {"confidence", d.has_digit && d.prediction >= 0 ? d.probs[size_t(d.prediction)] : 0.0f},
                  {"probabilities", d.probs}, {"fromPicture", d.from_picture},
                  {"area", {{"x", s.draw_area[0]}, {"y", s.draw_area[1]}, {"width", s.draw_area[2]}, {"height", s.draw_area[3]}}}};
  j["customDigit"] = s.attack_custom;
  j["stopAtStep"] = s.stop_at_step;
  j["dark"] = s.dark;
  j["compare"] = compare_json(s);
  j["embed"] = s.embed;
  j["fps"] = s.fps;
  j["frameOtherMs"] = s.frame_other_ms;
  j["trainMs"] = s.last_train_ms;
  j["analysisGeneration"] = s.generation;
  j["error"] = s.notice.empty() ? json(nullptr) : json(s.notice);
  return j;
}

std::vector<std::string> apply_changes(AppState& s, const json& changes) {
  if (!changes.is_object()) return {"expected an object of settings, not " + shown(changes)};
  std::vector<std::string> errors;
  // "reset" first, so a request can reset and set the new run's alpha or view in one go.
  if (changes.contains("reset")) {
    std::string e = apply_one(s, "reset", changes["reset"]);
    if (!e.empty()) errors.push_back(e);
  }
  for (const auto& [key, value] : changes.items()) {
    if (key == "reset") continue;
    std::string e = apply_one(s, key, value);
    if (!e.empty()) errors.push_back(e);
  }
  return errors;
}

json query_changes(const std::string& query, std::vector<std::string>* errors) {
  json changes = json::object();
  size_t pos = !query.empty() && query[0] == '?' ? 1 : 0;
  while (pos < query.size()) {
    size_t amp = query.find('&', pos);
    std::string pair = query.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
    pos = amp == std::string::npos ? query.size() : amp + 1;
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string key = percent_decode(pair.substr(0, eq));
    std::string value = eq == std::string::npos ? "" : percent_decode(pair.substr(eq + 1));
    long long i = 0;
    double d = 0;
    auto bad = [&](const char* what) { errors->push_back("URL parameter " + key + "=" + shown(value) + ": " + what); };
    if (key == "view" || key == "train" || key == "model" || key == "optimizer") {
      changes[key] = value;
    } else if (key == "lr") {
      if (parse_float(value, &d)) changes["learningRate"] = d; else bad("expected a number from 0.00001 to 1");
    } else if (key == "batch" || key == "step" || key == "k") {
      if (parse_int(value, &i)) changes[key] = i; else bad("expected a whole number");
    } else if (key == "neuron") {
      changes["selectedNeuron"] = value;
    } else if (key == "pattern") {
      changes["pattern"] = value;
    } else if (key == "alpha") {
      if (parse_float(value, &d)) changes["alpha"] = d; else bad("expected a number from 0 to 3");
    } else if (key == "image" || key == "digit" || key == "target" || key == "seed") {
      const char* name = key == "image" ? "digitIndex" : key.c_str();
      if (parse_int(value, &i)) changes[name] = i; else bad("expected a whole number");
    } else {
      errors->push_back("unknown URL parameter " + shown(key));
    }
  }
  return changes;
}

std::vector<std::string> apply_query(AppState& s, const std::string& query) {
  std::vector<std::string> errors;
  json changes = query_changes(query, &errors);
  // One field at a time, so each message can name the URL's own parameter.
  for (const auto& [key, value] : changes.items()) {
    const std::string param = key == "selectedNeuron" ? "neuron" : key == "digitIndex" ? "image" : key == "learningRate" ? "lr" : key;
    for (auto& e : apply_changes(s, json{{key, value}})) errors.push_back("URL parameter " + param + ": " + e);
  }
  for (const auto& e : errors) add_notice(s, e + " (ignored)");
  return errors;
}

}  // namespace bs::app
