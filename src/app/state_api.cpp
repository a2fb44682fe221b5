#include "app/state_api.h"

#include "app/state_fields.h"

namespace bs::app {

using json = nlohmann::json;

json state_json(const AppState& s) {
  json j = json::object();
  for (const StateField& f : state_fields())
    if (f.get) j[f.name] = f.get(s);
  return j;
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

std::vector<std::string> apply_query(AppState& s, const json& params) {
  std::vector<std::string> errors;
  json changes = query_changes(params, &errors);
  // One field at a time, so each message can name the URL's own parameter.
  for (const auto& [key, value] : changes.items()) {
    const char* param = find_field(key)->url;
    for (auto& e : apply_changes(s, json{{key, value}}))
      errors.push_back("URL parameter " + std::string(param) + ": " + e);
  }
  for (const auto& e : errors) add_notice(s, e + " (ignored)");
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
