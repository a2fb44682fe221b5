#include "app/state_api.h"

#include <string_view>

#include "app/state_fields.h"

namespace bs::app {

using json = nlohmann::json;

json state_json(const AppState& s) {
  json j = json::object();
  for (const StateField& f : state_fields())
    if (f.get) j[f.name] = f.get(s);
  return j;
}

Milestones milestones(const AppState& s) {
  Milestones m;
  m.analysis_generation = s.analysis.generation;
  m.prediction = s.attack.prediction;
  m.live = std::string_view(model_name(s)) == "live";
  m.test_accuracy = s.run.test_accuracy;
  m.test_images = double(s.run.test_accuracy_images);
  return m;
}

namespace {

// Applies `changes` (an object) to `alone`, or to the state in `holder`, in the fields' apply order (stage,
// then table order), so a request means the same whatever order its keys come in. With a holder, a field
// that asks for another book (Stage::kBook, first) switches the state, and the rest applies to the state
// that now holds the data. `from_url` names the URL's parameter in each message.
std::vector<std::string> apply_in_order(std::unique_ptr<AppState>* holder, AppState* alone,
                                        const json& changes, bool from_url) {
  if (!changes.is_object()) return {"expected an object of settings, not " + shown(changes)};
  std::vector<std::string> errors;
  for (const auto& [key, value] : changes.items())
    if (!find_field(key)) errors.push_back("unknown setting " + shown(key));
  for (const StateField* f : fields_in_apply_order()) {
    const auto it = changes.find(f->name);
    if (it == changes.end()) continue;
    const std::string e = apply_field(holder ? **holder : *alone, *f, *it);
    if (!e.empty()) errors.push_back(from_url ? "URL parameter " + std::string(f->url) + ": " + e : e);
    if (holder && f->stage == Stage::kBook) switch_book_if_wanted(*holder);
  }
  return errors;
}

}  // namespace

std::vector<std::string> apply_changes(AppState& s, const json& changes) {
  return apply_in_order(nullptr, &s, changes, false);
}

namespace {

const StateField* find_url_field(const std::string& param) {
  for (const StateField& f : state_fields())
    if (f.url && param == f.url) return &f;
  return nullptr;
}

}  // namespace

json query_changes(const json& params, std::vector<std::string>* errors) {
  json changes = json::object();
  if (!params.is_array()) {
    errors->push_back("expected URL parameters as [name, value] pairs, not " + shown(params));
    return changes;
  }
  for (const json& pair : params) {
    if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string()) {
      errors->push_back("expected a URL parameter as [name, value], not " + shown(pair));
      continue;
    }
    const std::string key = pair[0], value = pair[1];
    const StateField* f = find_url_field(key);
    if (!f) {
      errors->push_back("unknown URL parameter " + shown(key));
      continue;
    }
    std::optional<json> typed = from_url_text(*f, value);
    if (typed)
      changes[f->name] = *typed;
    else
      errors->push_back("URL parameter " + key + "=" + shown(value) + ": expected " + describe(*f));
  }
  return changes;
}

std::vector<std::string> apply_query(AppState& s, const json& params) {
  std::vector<std::string> errors;
  for (auto& e : apply_in_order(nullptr, &s, query_changes(params, &errors), true)) errors.push_back(e);
  for (const auto& e : errors) add_notice(s, e + " (ignored)");
  return errors;
}

bool switch_book_if_wanted(std::unique_ptr<AppState>& holder) {
  if (!holder->book_wanted || *holder->book_wanted == holder->book) {
    holder->book_wanted.reset();
    return false;
  }
  holder = fresh_state(*holder, *holder->book_wanted);
  return true;
}

std::vector<std::string> apply_changes(std::unique_ptr<AppState>& holder, const json& changes) {
  return apply_in_order(&holder, nullptr, changes, false);
}

std::vector<std::string> apply_query(std::unique_ptr<AppState>& holder, const json& params) {
  std::vector<std::string> errors;
  for (auto& e : apply_in_order(&holder, nullptr, query_changes(params, &errors), true)) errors.push_back(e);
  for (const auto& e : errors) add_notice(*holder, e + " (ignored)");
  return errors;
}

json share_params(const AppState& s) {
  json out = json::array();
  for (const StateField& f : state_fields()) {
    if (!f.share) continue;
    if (std::optional<std::string> v = f.share(s)) out.push_back({f.url, *v});
  }
  return out;
}

}  // namespace bs::app
