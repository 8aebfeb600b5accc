// Fuzzes the parser of The Odds API v4 scores snapshots.

#include "feed_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace parlay;
  fuzz::CheckFeedSnapshot(FeedProvider::kOddsApi, fuzz::AsText(data, size));
  return 0;
}
