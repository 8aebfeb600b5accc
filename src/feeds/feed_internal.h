// Helpers shared by the score feed adapters in src/feeds. Not part of the
// public API.

#ifndef PARLAY_FEEDS_FEED_INTERNAL_H_
#define PARLAY_FEEDS_FEED_INTERNAL_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "feeds/import.h"
#include "feeds/score_feed.h"

namespace parlay::feeds {

// Scores above this are rejected as absurd: no sport the service settles
// comes near it.
inline constexpr int kMaxFeedScore = 999;

// Feed times must fall in [2000-01-01, 2100-01-01): a date such as 1900 in
// a live feed is a provider bug, not a game.
inline constexpr int64_t kMinFeedTime = 946'684'800;
inline constexpr int64_t kMaxFeedTime = 4'102'444'800;

// Adds problems for one record of a snapshot: an array element of an Odds
// API response, an event of an ESPN scoreboard or a CSV row.
class FeedChecker {
 public:
  FeedChecker(std::string source, int record, int line,
              std::vector<ImportProblem>& problems)
      : source_(std::move(source)),
        record_(record),
        line_(line),
        problems_(problems) {}

  void Invalid(std::string field, const nlohmann::json& value,
               std::string expected);
  void InvalidText(std::string field, std::string_view text,
                   std::string expected);
  void Missing(std::string field, std::string expected);
  void Add(std::string field, std::string error, std::string expected);

  bool ok() const { return added_ == 0; }

  // Reads a required non-empty string member. Adds a problem and returns
  // nullopt when it is missing, empty or not a string.
  std::optional<std::string> String(const nlohmann::json& object,
                                    std::string_view key,
                                    const std::string& field,
                                    std::string_view description);

  // Reads a required time member in ISO 8601, also without seconds
  // ("2026-06-29T17:00Z", as ESPN writes it), within the feed time range.
  std::optional<int64_t> Time(const nlohmann::json& object,
                              std::string_view key, const std::string& field);

  // Checks a time read from text; returns nullopt after adding a problem.
  std::optional<int64_t> TimeText(std::string_view text,
                                  const nlohmann::json& value,
                                  const std::string& field);

  // Reads a score given as a string of digits ("3"), or as a JSON integer
  // when `allow_number`, from 0 to kMaxFeedScore.
  std::optional<int> ScoreValue(const nlohmann::json& value,
                                const std::string& field, bool allow_number);

 private:
  std::string source_;
  int record_;
  int line_;
  std::vector<ImportProblem>& problems_;
  int added_ = 0;
};

// Parses the body of a JSON snapshot. Adds a problem naming `source` and
// returns nullopt when it is not valid JSON.
std::optional<nlohmann::json> ParseJsonSnapshot(
    std::string_view source, std::string_view text,
    std::vector<ImportProblem>& problems);

// Maps a provider's sport key ("soccer_epl", "americanfootball_nfl") to
// the Game::sport names, or "" for any other key.
std::string SportFromOddsApiKey(std::string_view sport_key);

// Logs `message` at warning level the first time `key` is seen in this
// process, and at debug level after that, so a repeated event does not
// flood the log on every poll.
void WarnOnce(const std::string& key, const std::string& message);

FeedSnapshot ParseOddsApiScores(std::string_view source, std::string_view text);
FeedSnapshot ParseEspnScoreboard(std::string_view source, std::string_view text,
                                 int64_t received_at);
FeedSnapshot ParseGamesCsv(std::string_view source, std::string_view text);
FeedSnapshot ParseGamesJsonSnapshot(std::string_view source,
                                    std::string_view text);

}  // namespace parlay::feeds

#endif  // PARLAY_FEEDS_FEED_INTERNAL_H_
