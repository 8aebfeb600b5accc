// Invariants of a parsed score feed snapshot, shared by the feed targets.

#ifndef PARLAY_FUZZ_FEED_CHECKS_H_
#define PARLAY_FUZZ_FEED_CHECKS_H_

#include "feeds/score_feed.h"
#include "fuzz_support.h"

namespace parlay::fuzz {

// Parses `input` as a snapshot of `provider` and checks that an accepted
// snapshot has at most kMaxEventsPerSnapshot events with non-negative
// scores, and that every problem has a message.
inline void CheckFeedSnapshot(FeedProvider provider, std::string_view input) {
  const FeedSnapshot snapshot =
      ParseFeedSnapshot(provider, "fuzz.json", input, 1'700'000'000);
  for (const ImportProblem& problem : snapshot.problems) {
    if (problem.ToString().empty()) Fail("problem without a message", input);
  }
  if (!snapshot.problems.empty()) return;
  if (snapshot.updates.size() > kMaxEventsPerSnapshot) {
    Fail("snapshot above the event limit accepted", input);
  }
  for (const ScoreUpdate& update : snapshot.updates) {
    if (update.result.home_score.value_or(0) < 0 ||
        update.result.away_score.value_or(0) < 0) {
      Fail("negative score accepted", input);
    }
    if (update.source.empty()) Fail("update without a source", input);
  }
}

}  // namespace parlay::fuzz

#endif  // PARLAY_FUZZ_FEED_CHECKS_H_
