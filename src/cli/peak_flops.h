// This core's fp32 peak, measured: independent chains of vector multiply-adds that keep the FMA units busy.
// The bench reports achieved GFLOP/s as a share of it.
#pragma once

#include <string>
#include <vector>

namespace bs::cli {

struct Peak {
  std::string name;  // "AVX2-FMA", "AVX-512-FMA", "SSE2 mul+add"
  double gflops;
};

// Every kernel this CPU can run (checked at run time), each timed for about `seconds`.
std::vector<Peak> measure_peaks(double seconds = 0.3);

}  // namespace bs::cli
