// Fuzzes the parser of ESPN site scoreboard snapshots.

#include "feed_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace parlay;
  fuzz::CheckFeedSnapshot(FeedProvider::kEspn, fuzz::AsText(data, size));
  return 0;
}
