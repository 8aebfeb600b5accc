// A deterministic data set for the throughput benchmarks: games, some of
// them final, and parlays of 1 to 8 legs on them, written through the
// Store API a chunk at a time so that memory stays flat at any scale.

#ifndef PARLAY_BENCH_GENERATE_H_
#define PARLAY_BENCH_GENERATE_H_

#include <cstdint>

#include "store/store.h"

namespace parlay::bench {

struct GenerateOptions {
  uint64_t seed = 1;
  int64_t legs = 100'000;  // legs on the games below, approximately
  // Games the legs are spread over; 0 picks one game per 200 legs.
  int64_t games = 0;
  double final_share = 0.5;  // share of the games that are final
  // Extra pending legs on further games that stay scheduled, in parlays of
  // their own: work the settlement pass must not touch.
  int64_t unrelated_pending_legs = 0;
};

struct GenerateSummary {
  int64_t games = 0;
  int64_t final_games = 0;
  int64_t parlays = 0;
  int64_t legs = 0;
  int64_t legs_on_final_games = 0;
};

// Writes the data set into an empty, migrated store. The same options
// always produce the same rows, on either backend.
GenerateSummary Generate(Store& store, const GenerateOptions& options);

}  // namespace parlay::bench

#endif  // PARLAY_BENCH_GENERATE_H_
