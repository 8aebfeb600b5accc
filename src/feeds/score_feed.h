// Score feeds: adapters that turn a provider's snapshot (The Odds API v4
// scores, ESPN's site scoreboard, the project's games CSV and games JSON)
// into game updates, and the step that matches those updates to stored
// games and writes them. The formats are described in docs/feeds.md.
//
// A snapshot is checked whole before anything is written: with any invalid
// record, ApplyFeedSnapshot throws ImportError and writes nothing. An event
// that matches no stored game, or more than one, is rejected on its own
// with a message, and the rest of the snapshot is applied.

#ifndef PARLAY_FEEDS_SCORE_FEED_H_
#define PARLAY_FEEDS_SCORE_FEED_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "feeds/import.h"
#include "rules/model.h"
#include "store/store.h"
#include "util/time.h"

namespace parlay {

enum class FeedProvider {
  kOddsApi,    // "odds-api": The Odds API v4 /sports/{sport}/scores
  kEspn,       // "espn": ESPN site scoreboard JSON
  kGamesCsv,   // "games-csv": the project's games CSV
  kGamesJson,  // "games-json": the project's games JSON (docs/formats.md)
};

std::string_view ToString(FeedProvider provider);
std::optional<FeedProvider> ParseFeedProvider(std::string_view text);

// One game's state as a feed reported it.
struct ScoreUpdate {
  // "scores.json record 3 (event \"e1\")": names the record in messages.
  std::string source;
  std::string event_id;  // the provider's id of the event
  // The stored game's id when the format names it (games CSV and JSON);
  // empty when the game is found by team names and start time.
  std::string game_id;
  // Team names as the feed gives them. Other names of the same team, such
  // as ESPN's short names, help matching.
  std::vector<std::string> home_names;
  std::vector<std::string> away_names;
  std::optional<int64_t> start_time;
  // The result fields: status, home_score, away_score, sport,
  // status_detail, extra_time, periods, shootout, period_scores and
  // updated_at (the provider's update time). Other fields are unused.
  Game result;
};

// A parsed snapshot. With any problem, the snapshot is rejected whole.
struct FeedSnapshot {
  std::vector<ScoreUpdate> updates;
  std::vector<ImportProblem> problems;
};

// Snapshots with more events than this are rejected as malformed.
inline constexpr size_t kMaxEventsPerSnapshot = 2000;

// Parses one snapshot: a file or an HTTP response body. `source` names it
// in problems. `received_at` (Unix seconds) is when it was received: ESPN
// events carry no update time, so they are stamped with it.
FeedSnapshot ParseFeedSnapshot(FeedProvider provider, std::string_view source,
                               std::string_view text, int64_t received_at);

// Team names as feeds write them, matched after normalisation
// (NormalizeTeamName: case, spaces, dots and hyphens ignored, and
// apostrophes too) and through a table of aliases such as "LA Rams" for
// "Los Angeles Rams".
class TeamAliases {
 public:
  // Returns a table with the built-in aliases (kBuiltInAliases in
  // feed_common.cc).
  static TeamAliases BuiltIn();

  // Adds `alias` as another name of `name`. Throws std::invalid_argument
  // when `alias` already names a different team.
  void Add(std::string_view alias, std::string_view name);

  // Adds the aliases of a CSV file with the header `alias,name`. Throws
  // ImportError naming the file and row on a malformed file.
  void AddFromCsv(const std::string& path);

  // True when both names name the same team.
  bool Same(std::string_view a, std::string_view b) const;

 private:
  static std::string Normalize(std::string_view name);
  std::string Key(std::string_view name) const;

  std::map<std::string, std::string> canonical_;  // normalised -> key
};

// Counters of the snapshots applied, for logs and the service's metrics.
struct FeedStats {
  int64_t snapshots = 0;           // snapshots applied
  int64_t snapshots_rejected = 0;  // invalid snapshots, nothing written
  int64_t updates = 0;             // events read from applied snapshots
  int64_t applied = 0;             // games whose result was written
  int64_t unchanged = 0;           // identical repeats
  int64_t out_of_order = 0;        // older than the stored update
  int64_t unmatched = 0;           // no stored game, or more than one
  int64_t operator_voided = 0;     // game voided by an operator: kept
  int64_t unknown_status = 0;      // events with an unrecognised status
  int64_t final_reopened = 0;      // a final game reported not final again

  void Add(const FeedStats& other);
};

// Matches each update of `snapshot` to a stored game and writes the newer
// ones in one transaction:
// - an update older than the stored game's updated_at is ignored;
// - an update with the stored result is a no-op (only updated_at moves);
// - a game voided by an operator is kept;
// - otherwise the result fields are written. The engine's next pass grades
//   the game, or re-grades its settled legs when the result of a settled
//   game changed (a score correction).
// Games are matched by the id the format names, by an earlier link of the
// provider's event id, or by team names (through `aliases`) with a stored
// start within 36 hours of the event's. The first match by names links the
// event id, so a rescheduled game stays matched. Throws ImportError,
// having written nothing, when the snapshot has problems. When
// `results_changed` is not null, it receives the games whose result fields
// the snapshot changed, as written; repeats that only move updated_at are
// left out.
FeedStats ApplyFeedSnapshot(Store& store, const Clock& clock,
                            FeedProvider provider, const FeedSnapshot& snapshot,
                            const TeamAliases& aliases,
                            std::vector<Game>* results_changed = nullptr);

// Reads, parses and applies the snapshot files in the given order. A
// directory stands for its .json files (.csv for the games CSV) in name
// order. A rejected
// snapshot is logged with its problems and the next one is applied; the
// problems are appended to `problems`. `after_each` runs after each applied
// snapshot (the CLI settles there).
FeedStats ReplayFeedFiles(Store& store, const Clock& clock,
                          FeedProvider provider,
                          const std::vector<std::string>& paths,
                          const TeamAliases& aliases,
                          std::vector<ImportProblem>& problems,
                          const std::function<void()>& after_each = {});

}  // namespace parlay

#endif  // PARLAY_FEEDS_SCORE_FEED_H_
