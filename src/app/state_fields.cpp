#include "app/state_fields.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "app/app_state.h"
#include "app/state_reports.h"
#include "app/views.h"
#include "core/trial/experiment.h"

namespace bs::app {

const char* model_name(const AppState& s) {
  return s.show_pretrained && s.has_pretrained ? "pretrained" : s.run.trainer ? "live" : "none";
}

namespace {

using json = nlohmann::json;
using Shared = std::optional<std::string>;

std::string url_text(double v, const char* format = "%.6g") {
  char b[64];
  std::snprintf(b, sizeof b, format, v);
  return b;
}

bool live(const AppState& s) {
  return !(s.show_pretrained && s.has_pretrained) && s.run.trainer != nullptr;
}
Shared when_live(const AppState& s, std::string v) {
  return live(s) ? Shared(std::move(v)) : std::nullopt;
}

std::string no_images(const AppState& s) {
  return training_set_count(s).size == 0 ? "cannot train yet: no training images have arrived" : "";
}

std::vector<std::string> view_choices() {
  std::vector<std::string> out;
  for (const ViewInfo& v : kViews) out.push_back(v.name);
  return out;
}

std::vector<StateField> make_fields() {
  using K = FieldKind;
  std::vector<StateField> f;
  auto add = [&](StateField x) -> StateField& {
    f.push_back(std::move(x));
    return f.back();
  };

  // ---- the data
  {
    // Which book the page reads. A change only asks for the switch (AppState::book_wanted): the platform then
    // replaces the state with a fresh one for the other dataset (switch_book_if_wanted, state_api.h).
    auto& x = add({"dataset", "dataset", K::kChoice, 0, 0, book_names()});
    x.stage = Stage::kBook;
    x.set = [](AppState& s, const json& v) {
      const Book b = find_book(v.get<std::string>())->book;
      if (b == s.book)
        s.book_wanted.reset();
      else
        s.book_wanted = b;
      return std::string();
    };
    x.get = [](const AppState& s) { return json(book_info(s.book).name); };
    x.share = [](const AppState& s) {
      return s.book == Book::kMnist ? std::nullopt : Shared(book_info(s.book).name);
    };
  }
  // ---- what is shown
  {
    auto& x = add({"view", "view", K::kChoice});
    x.choices = view_choices();
    x.set = [](AppState& s, const json& v) {
      s.ui.view = find_view(v.get<std::string>())->view;
      s.ui.view_requested = true;
      return std::string();
    };
    x.get = [](const AppState& s) { return json(view_name(s.ui.view)); };
    x.share = [](const AppState& s) { return Shared(view_name(s.ui.view)); };
  }
  // ---- the live training's recipe
  {
    // Where the live model trains: in the page's own thread between frames, or in a Web Worker (the page asks
    // for one when the URL says so). Fixed once training has started.
    auto& x = add({"trainer", "trainer", K::kChoice, 0, 0, {"page", "worker"}});
    x.set = [](AppState& s, const json& v) {
      const bool remote = v == "worker";
      if (remote == s.run.remote) return std::string();
      if (s.run.trainer) return std::string("the trainer can only be chosen before training starts");
      if (trial_asked(s))
        return std::string("the trainer can only be chosen before an experiment of the trial is asked for");
      s.run.remote = remote;
      return std::string();
    };
    x.get = [](const AppState& s) { return json(s.run.remote ? "worker" : "page"); };
  }
  {
    auto& x = add({"seed", "seed", K::kInt, 0, 4294967295.0});
    x.set = [](AppState& s, const json& v) {
      s.run.seed = uint64_t(v.get<long long>());
      return std::string();
    };
    x.get = [](const AppState& s) { return json(s.run.seed); };
    x.share = [](const AppState& s) { return when_live(s, std::to_string(s.run.seed)); };
  }
  {
    auto& x = add({"learningRate", "lr", K::kNumber, 1e-5, 1.0});
    x.set = [](AppState& s, const json& v) {
      s.run.config.opt.lr = float(v.get<double>());
      return std::string();
    };
    x.get = [](const AppState& s) { return json(s.run.config.opt.lr); };
    // The float32 value without its binary tail.
    x.share = [](const AppState& s) { return when_live(s, url_text(s.run.config.opt.lr)); };
  }
  {
    auto& x = add({"batch", "batch", K::kInt, 1, 256});
    x.set = [](AppState& s, const json& v) {
      s.run.config.batch = int(v.get<long long>());
      return std::string();
    };
    x.get = [](const AppState& s) { return json(s.run.config.batch); };
    x.share = [](const AppState& s) { return when_live(s, std::to_string(s.run.config.batch)); };
  }
  {
    auto& x = add({"optimizer", "optimizer", K::kChoice, 0, 0, {"sgd", "adam"}});
    x.stage = Stage::kDefaults;
    x.set = [](AppState& s, const json& v) {
      // Each optimizer comes with the learning rate it trains well at (the CLI's defaults); a learning rate
      // in the same request applies after it (Stage::kDefaults).
      const OptimizerKind kind = v == "sgd" ? OptimizerKind::kSgd : OptimizerKind::kAdam;
      if (kind != s.run.config.opt.kind) {
        s.run.config.opt.kind = kind;
        s.run.config.opt.lr = default_learning_rate(kind);
      }
      return std::string();
    };
    x.get = [](const AppState& s) {
      return json(s.run.config.opt.kind == OptimizerKind::kSgd ? "sgd" : "adam");
    };
    x.share = [](const AppState& s) {
      return when_live(s, s.run.config.opt.kind == OptimizerKind::kSgd ? "sgd" : "adam");
    };
  }
  {
    auto& x = add({"reset", nullptr, K::kCommand});
    x.stage = Stage::kRun;
    x.set = [](AppState& s, const json&) {
      reset_training(s);
      return std::string();
    };
  }
  {
    // Train live to this step and pause there: a shared link shows what its sender saw.
    auto& x = add({"step", "step", K::kInt, 0, 100000000});
    x.stage = Stage::kRun;
    x.set = [](AppState& s, const json& v) {
      const long long i = v.get<long long>();
      if (s.run.trainer && s.run.trainer->step() > i) reset_training(s);
      s.run.stop_at_step = i;
      if (s.run.trainer) {
        s.run.playing = true;
        show_model(s, false);
      } else {
        s.run.start_mode = StartMode::kAuto;  // it starts by itself once enough images are in
      }
      return std::string();
    };
    x.get = [](const AppState& s) { return json(s.run.trainer ? s.run.trainer->step() : 0); };
    x.share = [](const AppState& s) {
      return live(s) ? Shared(std::to_string(s.run.trainer->step())) : std::nullopt;
    };
  }
  {
    auto& x = add({"train", "train", K::kChoice, 0, 0, {"auto", "pretrained"}});
    x.set = [](AppState& s, const json& v) {
      s.run.start_mode = v == "auto" ? StartMode::kAuto : StartMode::kPretrained;
      return std::string();
    };
    x.get = [](const AppState& s) {
      return json(s.run.start_mode == StartMode::kAuto ? "auto" : "pretrained");
    };
    x.share = [](const AppState& s) { return live(s) ? std::nullopt : Shared("pretrained"); };
  }
  {
    auto& x = add({"robustNorm", "rnorm", K::kChoice, 0, 0, {"linf", "l2"}});
    x.set = [](AppState& s, const json& v) {
      set_robust_norm(s, v == "l2" ? Norm::kL2 : Norm::kLinf);
      return std::string();
    };
    x.get = [](const AppState& s) { return json(norm_name(s.robust.norm)); };
    x.share = [](const AppState& s) { return s.robust.norm == Norm::kL2 ? Shared("l2") : std::nullopt; };
  }
  {
    // Asks for experiments of the trial; state().trial reports them (status, results, verdicts).
    auto& x = add({"trial", "trial", K::kText});
    static const std::string expect = [] {
      std::string names;
      for (const std::string& n : experiment_names()) names += (names.empty() ? "" : ", ") + n;
      return "experiment names (" + names + ") or all, separated by commas";
    }();
    x.expect = expect.c_str();
    x.set = [](AppState& s, const json& v) { return request_experiments(s, v.get<std::string>()); };
    x.get = trial_report;
  }
  // ---- selection and the overlay attack
  {
    auto& x = add({"selectedNeuron", "neuron", K::kNeuron});
    x.set = [](AppState& s, const json& v) {
      s.ui.selected = parse_neuron(v.get<std::string>(), Arch{}).value();
      return std::string();
    };
    x.get = [](const AppState& s) { return json(neuron_name(s.ui.selected)); };
    x.share = [](const AppState& s) { return Shared(neuron_name(s.ui.selected)); };
  }
  {
    auto& x = add({"pattern", "pattern", K::kNeuron});
    x.set = [](AppState& s, const json& v) {
      s.attack.pattern = parse_neuron(v.get<std::string>(), Arch{}).value();
      s.analysis.dirty = true;
      return std::string();
    };
    x.get = [](const AppState& s) { return json(neuron_name(s.attack.pattern)); };
    x.share = [](const AppState& s) { return Shared(neuron_name(s.attack.pattern)); };
  }
  {
    auto& x = add({"digit", "digit", K::kInt, 0, 9});
    x.stage = Stage::kDefaults;
    x.set = [](AppState& s, const json& v) {
      s.attack.digit = int(v.get<long long>());
      s.attack.custom = false;
      s.attack.index = -1;  // the first correctly classified image of the new digit
      s.analysis.dirty = true;
      return std::string();
    };
    x.get = [](const AppState& s) { return json(s.attack.digit); };
    x.share = [](const AppState& s) { return Shared(std::to_string(s.attack.digit)); };
  }
  {
    auto& x = add({"digitIndex", "image", K::kInt, 0, double(kMnistTestImages - 1)});
    x.set = [](AppState& s, const json& v) {
      s.attack.requested_index = v.get<long long>();
      return std::string();
    };
    x.get = [](const AppState& s) { return json(s.attack.index); };
    // A reader's own digit cannot travel in a link.
    x.share = [](const AppState& s) {
      return s.attack.custom ? std::nullopt : Shared(std::to_string(s.attack.index));
    };
  }
  {
    // The overlay's arrows: attack the next or previous correctly classified test image of the digit.
    auto& x = add({"browseImage", nullptr, K::kChoice, 0, 0, {"previous", "next"}});
    x.set = [](AppState& s, const json& v) { return browse_attack(s, v == "next" ? +1 : -1); };
  }
  {
    auto& x = add({"target", "target", K::kInt, 0, 9});
    x.stage = Stage::kDefaults;
    x.set = [](AppState& s, const json& v) {
      s.attack.target = int(v.get<long long>());
      s.attack.pattern = NeuronId{3, s.attack.target};
      s.analysis.dirty = true;
      return std::string();
    };
    x.get = [](const AppState& s) { return json(s.attack.target); };
    x.share = [](const AppState& s) { return Shared(std::to_string(s.attack.target)); };
  }
  {
    auto& x = add({"alpha", "alpha", K::kNumber, 0, double(kAlphaMax)});
    x.set = [](AppState& s, const json& v) {
      s.attack.alpha = float(v.get<double>());
      refresh_overlay(s);
      return std::string();
    };
    x.get = [](const AppState& s) { return json(s.attack.alpha); };
    x.share = [](const AppState& s) {
      return Shared(url_text(std::round(double(s.attack.alpha) * 1e4) / 1e4, "%.4g"));
    };
  }
  {
    // Whether the blend is clipped to the image box [0, 1] (a real image's pixels), or left unclipped.
    auto& x = add({"clip", "clip", K::kBool});
    x.set = [](AppState& s, const json& v) {
      s.attack.clip = v.get<bool>();
      s.analysis.dirty = true;
      return std::string();
    };
    x.get = [](const AppState& s) { return json(s.attack.clip); };
    x.share = [](const AppState& s) { return s.attack.clip ? std::nullopt : Shared("false"); };
  }
  {
    auto& x = add({"k", "k", K::kInt, 1, double(kPixels)});
    x.set = [](AppState& s, const json& v) {
      const int k = int(v.get<long long>());
      if (!s.subspace.ready()) {
        s.subspace.requested_k = k;  // the subspace is built when a view needs it; k applies then
        s.subspace.wanted = true;
      } else {
        s.subspace.k = k;
        if (s.has_model()) refresh_lab(s, s.shown().params);
      }
      return std::string();
    };
    // The k in use; before the subspace exists, the k asked for (null if none was).
    x.get = [](const AppState& s) {
      if (s.subspace.ready()) return json(s.subspace.k);
      return s.subspace.requested_k > 0 ? json(s.subspace.requested_k) : json(nullptr);
    };
    x.share = [](const AppState& s) {
      return s.subspace.ready() && s.subspace.k != s.subspace.basis.k_for(0.95)
                 ? Shared(std::to_string(s.subspace.k))
                 : std::nullopt;
    };
  }
  // ---- which model, and training
  {
    auto& x = add({"model", "model", K::kChoice, 0, 0, {"pretrained", "live"}});
    x.stage = Stage::kRun;
    x.set = [](AppState& s, const json& v) {
      const bool pretrained = v == "pretrained";
      if (pretrained ? !s.has_pretrained : !s.run.trainer)
        return std::string("there is no ") + (pretrained ? "pretrained" : "live") + " model yet";
      show_model(s, pretrained);
      return std::string();
    };
    x.get = [](const AppState& s) { return json(model_name(s)); };
  }
  {
    auto& x = add({"playing", nullptr, K::kBool});
    x.stage = Stage::kRun;
    x.set = [](AppState& s, const json& v) {
      const bool on = v.get<bool>();
      if (on && training_set_count(s).size == 0) {
        // Nothing to train on yet (or, in an embed of the pretrained model, not even asked for): training
        // starts by itself once enough images are in, as in the page's automatic mode.
        s.run.start_mode = StartMode::kAuto;
        s.run.auto_started = false;
        return std::string();
      }
      if (on && !s.run.trainer) reset_training(s);
      s.run.playing = on;
      if (s.run.playing) show_model(s, false);
      return std::string();
    };
    x.get = [](const AppState& s) { return json(s.run.playing); };
  }
  {
    auto& x = add({"dark", nullptr, K::kBool});
    x.set = [](AppState& s, const json& v) {
      s.ui.dark = v.get<bool>();
      return std::string();
    };
    x.get = [](const AppState& s) { return json(s.ui.dark); };
  }
  {
    // The story on a phone keeps the figure small: the view alone, without the status line, the save row and
    // the view buttons (a notice still shows).
    auto& x = add({"compact", nullptr, K::kBool});
    x.set = [](AppState& s, const json& v) {
      s.ui.compact = v.get<bool>();
      return std::string();
    };
    x.get = [](const AppState& s) { return json(s.ui.compact); };
  }
  {
    auto& x = add({"export", nullptr, K::kText});
    x.expect = "png, model or csv:<series>";
    x.set = [](AppState& s, const json& v) { return request_export(s, v.get<std::string>()).message(); };
  }
  {
    auto& x = add({"attackDrawing", nullptr, K::kCommand});
    x.set = [](AppState& s, const json&) { return attack_drawing(s).message(); };
  }
  {
    auto& x = add({"clearDrawing", nullptr, K::kCommand});
    x.set = [](AppState& s, const json&) {
      clear_drawing(s.drawing);
      return std::string();
    };
  }
  // ---- the street-smart model (Compare)
  {
    // {"weightDecay": 0.001, "decoupled": false, "inputNoise": 0, "fgsm": 0.1, "pgd": 0, "pgdSteps": 5,
    // "initScale": 1}: all or nothing.
    auto& x = add({"streetSmart", nullptr, K::kObject});
    x.stage = Stage::kDefaults;
    x.expect = "an object of options";
    x.set = [](AppState& s, const json& v) {
      StreetOptions o = s.compare.options;
      for (const auto& [k, value] : v.items()) {
        const StreetField* sf = nullptr;
        for (const StreetField& c : street_fields())
          if (k == c.name) sf = &c;
        if (!sf) return "unknown streetSmart option " + shown(k);
        // The same checks and words as a field of the table's own.
        const StateField rule(sf->name, nullptr, sf->kind, sf->lo, sf->hi);
        const std::optional<json> ok = checked(rule, value);
        if (!ok) return "streetSmart." + k + " must be " + describe(rule) + ", not " + shown(value);
        if (sf->flag) o.*(sf->flag) = ok->get<bool>();
        if (sf->integer) o.*(sf->integer) = int(ok->get<long long>());
        if (sf->number) o.*(sf->number) = float(ok->get<double>());
      }
      s.compare.options = o;
      return std::string();
    };
  }
  {
    auto& x = add({"streetReset", nullptr, K::kCommand});
    x.stage = Stage::kRun;
    x.set = [](AppState& s, const json&) {
      if (s.train.size() == 0) return no_images(s);
      reset_street(s);
      return std::string();
    };
  }
  {
    auto& x = add({"streetPlaying", nullptr, K::kBool});
    x.stage = Stage::kRun;
    x.set = [](AppState& s, const json& v) {
      const bool on = v.get<bool>();
      if (on && s.train.size() == 0) return no_images(s);
      if (on && !s.compare.trainer) reset_street(s);
      s.compare.playing = on;
      return std::string();
    };
  }
  // The read-only rows: what the figure reports (state_reports.cpp).
  add_report_fields(f);
  return f;
}

std::vector<StreetField> make_street_fields() {
  return {
      {"weightDecay", FieldKind::kNumber, 0, 0.1, &StreetOptions::weight_decay, nullptr},
      {"decoupled", FieldKind::kBool, 0, 0, nullptr, &StreetOptions::decoupled},
      {"inputNoise", FieldKind::kNumber, 0, 1, &StreetOptions::input_noise, nullptr},
      {"fgsm", FieldKind::kNumber, 0, 0.5, &StreetOptions::fgsm_epsilon, nullptr},
      {"pgd", FieldKind::kNumber, 0, 0.5, &StreetOptions::pgd_epsilon, nullptr},
      {"pgdSteps", FieldKind::kInt, 1, 20, nullptr, nullptr, &StreetOptions::pgd_steps},
      {"initScale", FieldKind::kNumber, 0.01, 10, &StreetOptions::init_scale, nullptr},
  };
}

}  // namespace

const std::vector<StateField>& state_fields() {
  static const std::vector<StateField> fields = make_fields();
  return fields;
}

const std::vector<const StateField*>& fields_in_apply_order() {
  static const std::vector<const StateField*> order = [] {
    std::vector<const StateField*> out;
    for (const StateField& f : state_fields()) out.push_back(&f);
    std::stable_sort(out.begin(), out.end(),
                     [](const StateField* a, const StateField* b) { return a->stage < b->stage; });
    return out;
  }();
  return order;
}

const StateField* find_field(const std::string& name) {
  for (const StateField& f : state_fields())
    if (name == f.name) return &f;
  return nullptr;
}

const StateField& field(const char* name) {
  const StateField* f = find_field(name);
  if (!f) std::abort();  // a programming error: the interface asked for a field the table lacks
  return *f;
}

nlohmann::json StreetField::get(const StreetOptions& o) const {
  if (flag) return o.*flag;
  if (integer) return o.*integer;
  return o.*number;
}

const std::vector<StreetField>& street_fields() {
  static const std::vector<StreetField> fields = make_street_fields();
  return fields;
}

const StreetField& street_field(const char* name) {
  for (const StreetField& f : street_fields())
    if (std::string(name) == f.name) return f;
  std::abort();
}

// A bound as people write it: 0.00001, 3, 4294967295.
std::string number_text(double v) {
  char b[64];
  std::snprintf(b, sizeof b, "%.10f", v);
  std::string t = b;
  t.erase(t.find_last_not_of('0') + 1);
  if (t.back() == '.') t.pop_back();
  return t;
}

}  // namespace bs::app
