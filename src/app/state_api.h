// The state as data, for everything outside the interface: the page's window.booksmart.state()/set(), the
// embed's postMessage commands, URL parameters and share links. Input here comes from strangers (any URL, any
// parent page), so every field is checked; a bad value is ignored with a message naming the field, and the
// good ones in the same request still apply. Which fields exist, and their ranges, is the table in
// state_fields.h.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/app_state.h"

namespace bs::app {

// A JSON-serialisable snapshot: every readable field of the table (docs/state-api.md lists them).
nlohmann::json state_json(const AppState& s);
// What the page's milestones read every frame until all are reached (first figure, the live model's accuracy
// levels): the same values as state_json's fields of these names, without building JSON, so that the
// per-frame path allocates nothing.
struct Milestones {
  long analysis_generation = 0;  // analysisGeneration
  int prediction = -1;           // prediction
  bool live = false;             // model == "live"
  double test_accuracy = 0;      // testAccuracy
  double test_images = 0;        // testAccuracyImages
};
Milestones milestones(const AppState& s);

// Applies the fields of `changes` (an object) that are valid, in the table's apply order (Stage, then table
// order; state_fields.h), so the order of the keys does not matter; returns one message per rejected field.
std::vector<std::string> apply_changes(AppState& s, const nlohmann::json& changes);

// URL parameters as [name, value] pairs of strings, in the page's order (the browser's URLSearchParams has
// decoded them) -> the same changes as set() takes, keyed by field. Values are typed strictly; unknown
// parameters and bad values become messages.
nlohmann::json query_changes(const nlohmann::json& params, std::vector<std::string>* errors);

// Both of the above, with the messages shown to the reader as a notice. Returns the messages.
std::vector<std::string> apply_query(AppState& s, const nlohmann::json& params);

// Replaces the state in `holder` by a fresh one (fresh_state) when it asks for another dataset
// (AppState::book_wanted: the `dataset` field, the Data view). Returns whether it did. Every platform calls
// it after each frame and each set(); the page then streams the new book's files into the new state.
bool switch_book_if_wanted(std::unique_ptr<AppState>& holder);

// apply_changes and apply_query for the state in `holder`: `dataset` first (Stage::kBook), switching the
// state if it changes, then everything else on the state that now holds the data (so
// ?dataset=fashion&view=overlay opens the overlay on Fashion-MNIST).
std::vector<std::string> apply_changes(std::unique_ptr<AppState>& holder, const nlohmann::json& changes);
std::vector<std::string> apply_query(std::unique_ptr<AppState>& holder, const nlohmann::json& params);

// The URL parameters that reproduce this view, as [name, value] pairs: training replays deterministically to
// the same step, a pretrained model is named as such.
nlohmann::json share_params(const AppState& s);

}  // namespace bs::app
