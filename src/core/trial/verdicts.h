// Each explanation of adversarial examples under trial, what it predicts for each experiment (fixed text,
// written after the first trial's results had been seen; docs/trial-rules.md fixes the second trial's in
// advance), and the rule that decides whether a measurement agrees. The page (the Trial
// view, the article) and the CLI (booksmart trial) judge with the same rules.
#pragma once

#include <string>
#include <vector>

#include "core/trial/features.h"
#include "core/trial/minimal_span.h"
#include "core/trial/optimizers.h"
#include "core/trial/thin_book.h"
#include "core/trial/tilt.h"
#include "core/trial/transfer.h"

namespace bs {

// One of the explanations under trial.
enum class Explanation { kOffSpan, kLinearity, kFeatures, kTilting };
constexpr size_t kExplanationCount = 4;
const char* explanation_name(Explanation e);   // "offSpan", "linearity", "features", "tilting"
const char* explanation_title(Explanation e);  // "Off-span leftovers", ...

// kUndecided and kNotRunAsDesigned come from the second trial's rules (docs/trial-rules.md), which read an
// interval: experiment f.
enum class Agreement { kSilent, kAgrees, kMixed, kDisagrees, kPending, kUndecided, kNotRunAsDesigned };
// "silent", "agrees", "mixed", "disagrees", "pending", "undecided", "notRunAsDesigned"
const char* agreement_name(Agreement a);

// What one explanation predicts for one experiment (fixed text), what was measured, and whether they agree.
struct Verdict {
  Verdict(Explanation e, const char* prediction, Agreement a = Agreement::kPending)
      : explanation(e), prediction(prediction), agreement(a) {}
  Explanation explanation;
  const char* prediction;
  std::string measured;  // empty until the experiment has finished
  Agreement agreement = Agreement::kPending;
};

// One verdict per explanation, in Explanation order. A null report (or an unfinished thin book): the
// predictions alone, pending.
std::vector<Verdict> span_verdicts(const MinimalSpanReport* r);
std::vector<Verdict> transfer_verdicts(const TransferReport* r);
std::vector<Verdict> thin_verdicts(const std::vector<ThinBookRun>* runs, bool done);
std::vector<Verdict> optimizer_verdicts(const OptimizersReport* r);
std::vector<Verdict> feature_verdicts(const FeaturesReport* r);
// f, by the second trial's rules read on this one model (an interval over its images; a check on its one
// value): what the page and a single seed show, never the trial's verdict, which reads five seeds.
std::vector<Verdict> tilt_verdicts(const TiltReport* r, uint64_t seed);

}  // namespace bs
