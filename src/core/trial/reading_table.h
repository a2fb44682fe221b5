// The second trial's reading as the Markdown tables docs/trial.md shows: the verdict per account and
// experiment, every rule with its interval, and every manipulation check per seed. The docs' tables are this
// function's output, pasted between markers by `booksmart trial-summary --markdown`; a test renders them
// again from docs/trial/summary.json's seed files and fails on any difference.
#pragma once

#include <string>

#include "core/trial/measures.h"

namespace bs {

std::string reading_markdown(const TrialReading& r);

// Replaces what lies between "<!-- trial-summary:begin -->" and "<!-- trial-summary:end -->" in `doc` with
// `tables`; an error when the markers are missing or out of order.
Expected<std::string> replace_between_markers(const std::string& doc, const std::string& tables);

}  // namespace bs
