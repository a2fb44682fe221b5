// The state's fields, in one table: each row is a field's JSON name (state(), set(), postMessage), its URL
// parameter, its kind and range, how a value is applied and read back, and what a share link carries. set(),
// the URL query, state(), the error messages and the sliders' ranges all come from it; nothing else knows a
// field's name or range. Adding a field is a row in state_fields.cpp.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace bs::app {

struct AppState;
struct StreetOptions;

enum class FieldKind {
  kInt,      // a whole number in [lo, hi]
  kNumber,   // a finite number in [lo, hi]
  kBool,     // true or false
  kChoice,   // one of `choices`
  kNeuron,   // "layer:index" of this network
  kCommand,  // only `true`: an action, nothing to read back
  kText,     // any string; the setter judges it (`expect` says what it wants)
  kObject,   // a JSON object; the setter judges it
};

// When set() (and a URL) applies a field among the others of the same request: stage by stage, and within a
// stage in table order. So one request means the same whatever order its keys come in.
enum class Stage {
  kBook,      // replaces the whole state: the rest of the request applies to the new one
  kDefaults,  // sets other fields' values (optimizer: its learning rate; digit: the image; target: the
              // pattern; streetSmart: the options its commands train with), which the request may then change
  kValue,     // everything else
  kRun,       // starts, resets, pauses or shows a run, after the recipe it runs with; reset before the others
};

struct StateField {
  StateField(const char* name, const char* url, FieldKind kind, double lo = 0, double hi = 0,
             std::vector<std::string> choices = {})
      : name(name), url(url), kind(kind), lo(lo), hi(hi), choices(std::move(choices)) {}
  const char* name;  // in state(), set() and postMessage
  const char* url;   // the URL parameter, or nullptr where a URL cannot set it
  FieldKind kind;
  double lo = 0, hi = 0;             // kInt, kNumber
  std::vector<std::string> choices;  // kChoice
  const char* expect = nullptr;      // kText, kObject: what the value must be, for messages
  Stage stage = Stage::kValue;
  // Applies a value that passed the kind and range checks (numbers arrive as long long or double); returns ""
  // or why it cannot apply now. nullptr: the field is read-only.
  std::string (*set)(AppState& s, const nlohmann::json& v) = nullptr;
  // The field's value in state(); nullptr: a command, nothing to read.
  nlohmann::json (*get)(const AppState& s) = nullptr;
  // The URL value a share link carries for this view, or none.
  std::optional<std::string> (*share)(const AppState& s) = nullptr;
};

// Every field, in the order share links list them.
const std::vector<StateField>& state_fields();
// Every field, in the order set() applies them (by stage, then table order).
const std::vector<const StateField*>& fields_in_apply_order();
// The field called `name` (JSON name), or nullptr.
const StateField* find_field(const std::string& name);
// The field `name`, which must exist (the interface's sliders ask for their own fields).
const StateField& field(const char* name);
// What a valid value looks like: "an integer from 1 to 784", "true or false", ...
std::string describe(const StateField& f);

// `v` checked against the field's kind and range: the value in canonical form (integers as long long, numbers
// as double), or nullopt.
std::optional<nlohmann::json> checked(const StateField& f, const nlohmann::json& v);
// Checks and applies one value; returns "" or the message naming the field.
std::string apply_field(AppState& s, const StateField& f, const nlohmann::json& v);
// The model on view, as the `model` field names it: "pretrained", "live" or "none".
const char* model_name(const AppState& s);
// A URL parameter's text as the field's JSON value (a number parsed strictly, a boolean from true/false), or
// nullopt if it is not one.
std::optional<nlohmann::json> from_url_text(const StateField& f, const std::string& text);

// The street-smart options (set({streetSmart: {...}}), state().compare.options) in a table of their own.
struct StreetField {
  const char* name;
  FieldKind kind;  // kNumber, kInt or kBool
  double lo = 0, hi = 0;
  float StreetOptions::*number = nullptr;
  bool StreetOptions::*flag = nullptr;
  int StreetOptions::*integer = nullptr;
  nlohmann::json get(const StreetOptions& o) const;
};
const std::vector<StreetField>& street_fields();
const StreetField& street_field(const char* name);

// Quotes a value for a message, cut short and stripped of control characters (it may be anything).
// A bound as people write it: 0.00001, 3, 4294967295.
std::string number_text(double v);
std::string shown(const std::string& v);
std::string shown(const nlohmann::json& v);

}  // namespace bs::app
