// What a reader can take away: the figure as PNG (captured by the platform after the frame is drawn), any
// plotted series as CSV, and the model on view as a safetensors file. Requests queue up in
// AppState::downloads; the platform hands each one to the browser (a download) or writes it to the working
// folder (desktop).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/util/status.h"

namespace bs::app {

struct AppState;

struct Download {
  std::string name, mime;
  std::vector<uint8_t> bytes;
};

// The CSV series: "training" (loss and accuracy as plotted), "flip-rate" (the Attacks view's curves),
// "off-span" (every neuron's split), "sparsity" (images by number of active neurons), "robustness" (the
// Robustness survey's radii per image), "probabilities" (the overlay's ten classes at the current alpha).
inline constexpr const char* kCsvSeries[] = {"training", "flip-rate",  "off-span",
                                             "sparsity", "robustness", "probabilities"};

Expected<std::string> export_csv(const AppState& s, const std::string& series);

// "png", "model" or "csv:<series>": queues the download (a PNG is captured after the next frame). Returns a
// message if there is nothing to export yet or the kind is unknown.
Status request_export(AppState& s, const std::string& kind);

}  // namespace bs::app
