// The state as data, for everything outside the interface: the page's window.booksmart.state()/set(), the
// embed's postMessage commands and URL parameters. Input here comes from strangers (any URL, any parent page),
// so every field is checked; a bad value is ignored with a message naming the field, and the good ones in the
// same request still apply.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/app_state.h"

namespace bs::app {

// A JSON-serialisable snapshot: phase, imagesLoaded, epoch, step, testAccuracy, alpha, prediction, confidence,
// flipAlpha, selectedNeuron, fps, error, and the rest documented in the README.
nlohmann::json state_json(const AppState& s);

// Applies the fields of `changes` (an object) that are valid; returns one message per rejected field.
std::vector<std::string> apply_changes(AppState& s, const nlohmann::json& changes);

// Parses a URL query ("?view=overlay&alpha=0.5") into the same changes: view, neuron, image, digit, target,
// alpha, seed, train, model. Values are typed strictly; unknown keys and bad values become messages.
nlohmann::json query_changes(const std::string& query, std::vector<std::string>* errors);

// Both of the above, with the messages shown to the reader as a notice. Returns the messages.
std::vector<std::string> apply_query(AppState& s, const std::string& query);

}  // namespace bs::app
