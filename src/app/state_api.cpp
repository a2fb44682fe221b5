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

std::vector<std::string> apply_changes(AppState& s, const json& changes) {
  if (!changes.is_object()) return {"expected an object of settings, not " + shown(changes)};
  std::vector<std::string> errors;
  auto apply = [&](const std::string& key, const json& value) {
    const StateField* f = find_field(key);
    std::string e = f ? apply_field(s, *f, value) : "unknown setting " + shown(key);
    if (!e.empty()) errors.push_back(e);
  };
  // "reset" first, so a request can reset and set the new run's alpha or view in one go; then the
  // street-smart options, so that streetPlaying or streetReset in the same request trains with them (keys
  // otherwise come in alphabetical order, which puts streetSmart last).
  for (const char* first : {"reset", "streetSmart"})
    if (changes.contains(first)) apply(first, changes[first]);
  for (const auto& [key, value] : changes.items())
    if (key != "reset" && key != "streetSmart") apply(key, value);
  return errors;
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

namespace {

// The query's typed changes, one field at a time, so each message can name the URL's own parameter.
void apply_typed_query(AppState& s, const json& changes, std::vector<std::string>* errors) {
  for (const auto& [key, value] : changes.items()) {
    const char* param = find_field(key)->url;
    for (auto& e : apply_changes(s, json{{key, value}}))
      errors->push_back("URL parameter " + std::string(param) + ": " + e);
  }
}

constexpr const char* kDataset = "dataset";

// `changes` without its dataset, after that has been applied (and the state switched) on its own.
json dataset_first(std::unique_ptr<AppState>& holder, json changes, std::vector<std::string>* errors,
                   bool from_url) {
  if (!changes.is_object() || !changes.contains(kDataset)) return changes;
  json one = json{{kDataset, changes[kDataset]}};
  changes.erase(kDataset);
  if (from_url)
    apply_typed_query(*holder, one, errors);
  else
    for (auto& e : apply_changes(*holder, one)) errors->push_back(e);
  switch_book_if_wanted(holder);
  return changes;
}

}  // namespace

std::vector<std::string> apply_query(AppState& s, const json& params) {
  std::vector<std::string> errors;
  apply_typed_query(s, query_changes(params, &errors), &errors);
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
  std::vector<std::string> errors;
  json rest = dataset_first(holder, changes, &errors, false);
  for (auto& e : apply_changes(*holder, rest)) errors.push_back(e);
  return errors;
}

std::vector<std::string> apply_query(std::unique_ptr<AppState>& holder, const json& params) {
  std::vector<std::string> errors;
  json rest = dataset_first(holder, query_changes(params, &errors), &errors, true);
  apply_typed_query(*holder, rest, &errors);
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
