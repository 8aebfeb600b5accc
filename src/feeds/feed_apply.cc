// Matching feed updates to stored games and writing them: ApplyFeedSnapshot
// and ReplayFeedFiles.

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "feeds/feed_internal.h"
#include "feeds/import_internal.h"

namespace parlay {
namespace {

// How far a stored game's scheduled start may be from the event's start
// for the two to match by team names.
constexpr int64_t kMatchWindowSeconds = 36 * 3600;

bool AnySame(const TeamAliases& aliases, const std::vector<std::string>& names,
             const std::string& stored) {
  return std::any_of(names.begin(), names.end(), [&](const std::string& name) {
    return aliases.Same(name, stored);
  });
}

bool TeamsMatch(const TeamAliases& aliases, const ScoreUpdate& update,
                const Game& game) {
  return AnySame(aliases, update.home_names, game.home) &&
         AnySame(aliases, update.away_names, game.away);
}

bool TeamsSwapped(const TeamAliases& aliases, const ScoreUpdate& update,
                  const Game& game) {
  return AnySame(aliases, update.home_names, game.away) &&
         AnySame(aliases, update.away_names, game.home);
}

std::string Matchup(const ScoreUpdate& update) {
  return update.away_names.front() + " @ " + update.home_names.front();
}

// True when the fields a feed writes are equal.
bool SameResult(const Game& a, const Game& b) {
  return a.status == b.status && a.home_score == b.home_score &&
         a.away_score == b.away_score && a.sport == b.sport &&
         a.status_detail == b.status_detail && a.extra_time == b.extra_time &&
         a.periods == b.periods && a.shootout == b.shootout &&
         a.period_scores == b.period_scores;
}

// The stored game with the result fields of `update` written over it.
Game Merge(const Game& stored, const Game& update) {
  Game merged = stored;
  merged.status = update.status;
  merged.home_score = update.home_score;
  merged.away_score = update.away_score;
  merged.status_detail = update.status_detail;
  merged.extra_time = update.extra_time;
  merged.periods = update.periods;
  merged.shootout = update.shootout;
  merged.updated_at = update.updated_at;
  if (!update.sport.empty()) merged.sport = update.sport;
  if (!update.period_scores.empty()) {
    merged.period_scores = update.period_scores;
  }
  return merged;
}

std::string ScoreText(const Game& game) {
  const auto one = [](std::optional<int> score) {
    return score ? std::to_string(*score) : std::string("-");
  };
  return one(game.away_score) + "-" + one(game.home_score);
}

// Finds the stored game of each update. Rejected updates are logged and
// counted, and get an empty id.
class GameMatcher {
 public:
  GameMatcher(Store& store, FeedProvider provider, const TeamAliases& aliases,
              FeedStats& stats)
      : store_(store), provider_(provider), aliases_(aliases), stats_(stats) {}

  std::vector<std::string> Match(const std::vector<ScoreUpdate>& updates,
                                 std::vector<FeedLink>& new_links) {
    LoadCandidates(updates);
    std::vector<std::string> ids;
    std::map<std::string, std::string> matched_by;  // game id -> event id
    for (const ScoreUpdate& update : updates) {
      std::string id = MatchOne(update, new_links);
      if (!id.empty()) {
        const auto [it, inserted] = matched_by.emplace(id, update.event_id);
        if (!inserted && it->second != update.event_id) {
          Reject(update, "matches game \"" + id + "\", which event \"" +
                             it->second +
                             "\" of the same snapshot also matches");
          id.clear();
        }
      }
      ids.push_back(std::move(id));
    }
    return ids;
  }

 private:
  // Reads the games named by id or by an earlier link, and the games that
  // start near any event to be matched by names, in three queries.
  void LoadCandidates(const std::vector<ScoreUpdate>& updates) {
    std::vector<std::string> event_ids;
    for (const ScoreUpdate& update : updates) {
      if (update.game_id.empty()) event_ids.push_back(update.event_id);
    }
    links_ = store_.FindFeedLinks(ToString(provider_), event_ids);

    std::vector<std::string> known_ids;
    std::optional<int64_t> earliest;
    std::optional<int64_t> latest;
    for (const ScoreUpdate& update : updates) {
      if (!update.game_id.empty()) {
        known_ids.push_back(update.game_id);
      } else if (const auto link = links_.find(update.event_id);
                 link != links_.end()) {
        known_ids.push_back(link->second);
      } else if (update.start_time) {
        earliest =
            std::min(earliest.value_or(*update.start_time), *update.start_time);
        latest =
            std::max(latest.value_or(*update.start_time), *update.start_time);
      }
    }
    for (Game& game : store_.GetGames(known_ids)) {
      std::string id = game.id;
      known_.emplace(std::move(id), std::move(game));
    }
    if (earliest) {
      nearby_ = store_.ListGamesStartingBetween(*earliest - kMatchWindowSeconds,
                                                *latest + kMatchWindowSeconds);
    }
  }

  std::string MatchOne(const ScoreUpdate& update,
                       std::vector<FeedLink>& new_links) {
    std::string named_id = update.game_id;
    if (named_id.empty()) {
      if (const auto link = links_.find(update.event_id);
          link != links_.end()) {
        named_id = link->second;
      }
    }
    if (!named_id.empty()) {
      const auto found = known_.find(named_id);
      if (found == known_.end()) {
        Reject(update, "game \"" + named_id + "\" not found; import it first");
        return "";
      }
      if (!TeamsMatch(aliases_, update, found->second)) {
        Reject(update, "teams " + Matchup(update) + " do not match game \"" +
                           named_id + "\" (" + found->second.away + " @ " +
                           found->second.home + ")");
        return "";
      }
      return named_id;
    }

    std::vector<const Game*> matches;
    const Game* swapped = nullptr;
    for (const Game& game : nearby_) {
      if (!update.start_time ||
          std::llabs(game.start_time - *update.start_time) >
              kMatchWindowSeconds) {
        continue;
      }
      if (TeamsMatch(aliases_, update, game)) matches.push_back(&game);
      if (TeamsSwapped(aliases_, update, game)) swapped = &game;
    }
    if (matches.size() == 1) {
      new_links.push_back({update.event_id, matches.front()->id});
      return matches.front()->id;
    }
    if (matches.size() > 1) {
      std::string ids;
      for (const Game* game : matches) {
        ids += (ids.empty() ? "\"" : ", \"") + game->id + "\"";
      }
      Reject(update, "ambiguous: " + Matchup(update) + " matches " +
                         std::to_string(matches.size()) +
                         " stored games starting within 36 hours: " + ids);
      return "";
    }
    if (swapped != nullptr) {
      Reject(update, Matchup(update) + " matches game \"" + swapped->id +
                         "\" only with home and away swapped (" +
                         swapped->away + " @ " + swapped->home +
                         "); not applied");
      return "";
    }
    Reject(update, "no stored game " + Matchup(update) +
                       " starting within 36 hours of " +
                       (update.start_time ? FormatIso8601(*update.start_time)
                                          : std::string("an unknown time")) +
                       "; import the game or add a team alias");
    return "";
  }

  void Reject(const ScoreUpdate& update, const std::string& reason) {
    stats_.unmatched++;
    feeds::WarnOnce(
        std::string(ToString(provider_)) + "|" + update.event_id + "|" + reason,
        "feed update rejected: " + update.source + ": " + reason);
  }

  Store& store_;
  FeedProvider provider_;
  const TeamAliases& aliases_;
  FeedStats& stats_;
  std::map<std::string, std::string> links_;
  std::map<std::string, Game> known_;
  std::vector<Game> nearby_;
};

// Decides what to write for one matched update against the game as the
// snapshot has left it so far. Returns true when `game` changed.
bool ApplyOne(FeedProvider provider, const ScoreUpdate& update, Game& game,
              FeedStats& stats) {
  const Game& result = update.result;
  if (!game.void_reason.empty()) {
    stats.operator_voided++;
    spdlog::info("feed update ignored: an operator voided game {} ({})",
                 game.id, game.void_reason);
    return false;
  }
  if (result.updated_at < game.updated_at) {
    stats.out_of_order++;
    spdlog::info(
        "feed update ignored as out of order: game_id={} update "
        "time {} is before the stored {} ({})",
        game.id, FormatIso8601(result.updated_at),
        FormatIso8601(game.updated_at), update.source);
    return false;
  }
  Game merged = Merge(game, result);
  if (SameResult(merged, game)) {
    stats.unchanged++;
    if (merged.updated_at == game.updated_at) return false;
    game.updated_at = merged.updated_at;
    return true;
  }
  if (merged.status == GameStatus::kUnknown) {
    stats.unknown_status++;
    feeds::WarnOnce(
        std::string(ToString(provider)) + "|status|" + merged.status_detail,
        "unknown " + std::string(ToString(provider)) + " status \"" +
            merged.status_detail +
            "\" kept as unknown, legs stay pending: game_id=" + game.id);
  }
  if (game.status == GameStatus::kFinal &&
      merged.status != GameStatus::kFinal && !IsVoidStatus(merged.status)) {
    // Stored as reported. Settled legs stay as they are: the engine
    // re-grades them only from a final or void result.
    stats.final_reopened++;
    spdlog::warn(
        "final game reported {} again: game_id={} ({}); settled "
        "legs are kept",
        ToString(merged.status), game.id, update.source);
  }
  spdlog::info(
      "game updated from feed: game_id={} status={} score={} "
      "updated_at={}",
      game.id, ToString(merged.status), ScoreText(merged),
      FormatIso8601(merged.updated_at));
  stats.applied++;
  game = std::move(merged);
  return true;
}

// Files of a folder that hold snapshots: .csv for the games CSV, .json
// for the JSON providers. Other files, such as a README, are skipped.
bool IsSnapshotFile(const std::filesystem::path& path, FeedProvider provider) {
  const std::string extension = path.extension().string();
  if (provider == FeedProvider::kGamesCsv) return extension == ".csv";
  return extension == ".json" || extension == ".jsonl";
}

std::vector<std::string> ExpandPaths(const std::vector<std::string>& paths,
                                     FeedProvider provider) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code error;
    if (!fs::is_directory(path, error)) {
      files.push_back(path);
      continue;
    }
    std::vector<std::string> entries;
    for (const auto& entry : fs::directory_iterator(path, error)) {
      if (entry.is_regular_file() && IsSnapshotFile(entry.path(), provider)) {
        entries.push_back(entry.path().string());
      }
    }
    std::sort(entries.begin(), entries.end());
    files.insert(files.end(), entries.begin(), entries.end());
  }
  return files;
}

}  // namespace

FeedStats ApplyFeedSnapshot(Store& store, const Clock& clock,
                            FeedProvider provider, const FeedSnapshot& snapshot,
                            const TeamAliases& aliases,
                            std::vector<Game>* results_changed) {
  if (!snapshot.problems.empty()) throw ImportError(snapshot.problems);
  FeedStats stats;
  stats.snapshots = 1;
  stats.updates = static_cast<int64_t>(snapshot.updates.size());

  std::vector<FeedLink> new_links;
  GameMatcher matcher(store, provider, aliases, stats);
  const std::vector<std::string> ids =
      matcher.Match(snapshot.updates, new_links);

  std::vector<std::string> matched_ids;
  for (const std::string& id : ids) {
    if (!id.empty()) matched_ids.push_back(id);
  }
  std::unique_ptr<Transaction> transaction = store.Begin();
  std::map<std::string, Game> games;
  for (Game& game : transaction->LoadGames(matched_ids)) {
    std::string id = game.id;
    games.emplace(std::move(id), std::move(game));
  }
  const std::map<std::string, Game> stored = games;
  std::set<std::string> changed;
  for (size_t i = 0; i < snapshot.updates.size(); ++i) {
    const auto game = games.find(ids[i]);
    if (game == games.end()) continue;
    if (ApplyOne(provider, snapshot.updates[i], game->second, stats)) {
      changed.insert(ids[i]);
    }
  }
  std::vector<Game> writes;
  for (const std::string& id : changed) writes.push_back(games.at(id));
  transaction->WriteGameResults(writes);
  transaction->LinkFeedEvents(ToString(provider), new_links,
                              clock.NowSeconds());
  transaction->Commit();
  if (results_changed != nullptr) {
    for (const Game& game : writes) {
      if (!SameResult(stored.at(game.id), game)) {
        results_changed->push_back(game);
      }
    }
  }
  return stats;
}

FeedStats ReplayFeedFiles(Store& store, const Clock& clock,
                          FeedProvider provider,
                          const std::vector<std::string>& paths,
                          const TeamAliases& aliases,
                          std::vector<ImportProblem>& problems,
                          const std::function<void()>& after_each) {
  FeedStats stats;
  for (const std::string& file : ExpandPaths(paths, provider)) {
    Result<std::string> text = feeds::ReadFileText(file);
    FeedSnapshot snapshot;
    if (!text.ok()) {
      snapshot.problems.push_back({file, 0, 0, "", "", text.error(), ""});
    } else {
      snapshot =
          ParseFeedSnapshot(provider, file, text.value(), clock.NowSeconds());
    }
    try {
      const FeedStats applied =
          ApplyFeedSnapshot(store, clock, provider, snapshot, aliases);
      stats.Add(applied);
      spdlog::info(
          "snapshot applied: file={} events={} applied={} "
          "unchanged={} out_of_order={} unmatched={}",
          file, applied.updates, applied.applied, applied.unchanged,
          applied.out_of_order, applied.unmatched);
    } catch (const ImportError& error) {
      stats.snapshots_rejected++;
      spdlog::error("snapshot rejected, nothing applied: {}", error.what());
      problems.insert(problems.end(), error.problems().begin(),
                      error.problems().end());
      continue;
    }
    if (after_each) after_each();
  }
  return stats;
}

}  // namespace parlay
