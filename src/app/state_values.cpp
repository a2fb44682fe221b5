// How a field's values are typed, checked and shown: the descriptions in refusals ("an integer from 1 to
// 784"), the check of a JSON value against the field's kind and range, the strict reading of URL text, and
// values quoted back to the reader. The fields themselves are in state_fields.cpp.
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "app/state_fields.h"
#include "core/analysis/neurons.h"

namespace bs::app {
namespace {

using json = nlohmann::json;

// Strict decimal parsing of URL values: the whole text must be the number.
bool parse_int(const std::string& text, long long* out) {
  if (text.empty() || text.size() > 18 || text.find_first_not_of("-0123456789") != std::string::npos)
    return false;
  char* end = nullptr;
  long long v = std::strtoll(text.c_str(), &end, 10);
  if (*end != '\0') return false;
  *out = v;
  return true;
}

bool parse_float(const std::string& text, double* out) {
  if (text.empty() || text.size() > 32 || text.find_first_not_of("-+.0123456789eE") != std::string::npos)
    return false;
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (*end != '\0' || !std::isfinite(v)) return false;
  *out = v;
  return true;
}

}  // namespace

std::string describe(const StateField& f) {
  switch (f.kind) {
    case FieldKind::kInt:
      return "an integer from " + number_text(f.lo) + " to " + number_text(f.hi);
    case FieldKind::kNumber:
      return "a number from " + number_text(f.lo) + " to " + number_text(f.hi);
    case FieldKind::kBool:
      return "true or false";
    case FieldKind::kCommand:
      return "true";
    case FieldKind::kNeuron:
      return "layer:index (1:0-63, 2:0-63, 3:0-9)";
    case FieldKind::kChoice: {
      std::string out;
      for (size_t i = 0; i < f.choices.size(); ++i) {
        if (i) out += i + 1 == f.choices.size() ? " or " : ", ";
        out += f.choices[i];
      }
      return out;
    }
    case FieldKind::kText:
    case FieldKind::kObject:
      return f.expect ? f.expect : "a value";
  }
  return "?";
}

std::optional<json> checked(const StateField& f, const json& v) {
  switch (f.kind) {
    case FieldKind::kInt: {
      if (!v.is_number()) return std::nullopt;
      const double d = v.get<double>();
      if (!(d >= f.lo && d <= f.hi) || std::floor(d) != d) return std::nullopt;
      return json((long long)d);
    }
    case FieldKind::kNumber: {
      if (!v.is_number()) return std::nullopt;
      const double d = v.get<double>();
      if (!std::isfinite(d) || d < f.lo || d > f.hi) return std::nullopt;
      return json(d);
    }
    case FieldKind::kBool:
      return v.is_boolean() ? std::optional<json>(v) : std::nullopt;
    case FieldKind::kCommand:
      return v == true ? std::optional<json>(v) : std::nullopt;
    case FieldKind::kNeuron:
      return v.is_string() && parse_neuron(v.get<std::string>(), Arch{}).ok() ? std::optional<json>(v)
                                                                              : std::nullopt;
    case FieldKind::kChoice:
      if (!v.is_string()) return std::nullopt;
      for (const std::string& c : f.choices)
        if (v == c) return v;
      return std::nullopt;
    case FieldKind::kText:
      return v.is_string() ? std::optional<json>(v) : std::nullopt;
    case FieldKind::kObject:
      return v.is_object() ? std::optional<json>(v) : std::nullopt;
  }
  return std::nullopt;
}

std::string apply_field(AppState& s, const StateField& f, const json& v) {
  if (!f.set) return std::string(f.name) + " is read-only";
  std::optional<json> value = checked(f, v);
  if (!value) return std::string(f.name) + " must be " + describe(f) + ", not " + shown(v);
  return f.set(s, *value);
}

std::optional<json> from_url_text(const StateField& f, const std::string& text) {
  switch (f.kind) {
    case FieldKind::kInt: {
      long long i = 0;
      return parse_int(text, &i) ? std::optional<json>(i) : std::nullopt;
    }
    case FieldKind::kNumber: {
      double d = 0;
      return parse_float(text, &d) ? std::optional<json>(d) : std::nullopt;
    }
    case FieldKind::kBool:
    case FieldKind::kCommand:
      if (text == "true") return json(true);
      if (text == "false") return json(false);
      return std::nullopt;
    case FieldKind::kObject:
      return std::nullopt;
    default:
      return json(text);
  }
}

std::string shown(const std::string& v) {
  std::string out;
  // Printable ASCII only: the value may be any bytes, and it ends up in JSON and on screen.
  for (char c : v.substr(0, 40)) out += (unsigned char)c < 32 || (unsigned char)c > 126 ? '?' : c;
  return "'" + out + (v.size() > 40 ? "...'" : "'");
}

std::string shown(const json& v) {
  return shown(v.is_string() ? v.get<std::string>() : v.dump(-1, ' ', false, json::error_handler_t::replace));
}

}  // namespace bs::app
