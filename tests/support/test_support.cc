#include "support/test_support.h"

#include <stdlib.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include "rules/line.h"
#include "rules/odds.h"

namespace parlay::testing {

TempDir::TempDir() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "parlay-test-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("mkdtemp failed for " + pattern);
  }
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path);
}

Game MakeGame(const std::string& id, const std::string& home,
              const std::string& away, std::optional<int> home_score,
              std::optional<int> away_score, GameStatus status,
              int64_t start_time) {
  Game game;
  game.id = id;
  game.league = "NFL";
  game.home = home;
  game.away = away;
  game.start_time = start_time;
  game.status = status;
  game.home_score = home_score;
  game.away_score = away_score;
  game.updated_at = start_time;
  return game;
}

Leg MakeLeg(int index, const std::string& game_id, Market market,
            Selection selection, const std::string& line,
            const std::string& odds) {
  Leg leg;
  leg.index = index;
  leg.game_id = game_id;
  leg.market = market;
  leg.selection = selection;
  leg.selection_text = std::string(ToString(selection));
  if (!line.empty()) {
    Result<Line> parsed = ParseLine(line);
    if (!parsed.ok()) {
      std::fprintf(stderr, "bad test line %s: %s\n", line.c_str(),
                   parsed.error().c_str());
      std::abort();
    }
    leg.line = parsed.value();
  }
  Result<Odds> parsed_odds = ParseOdds(odds);
  if (!parsed_odds.ok()) {
    std::fprintf(stderr, "bad test odds %s: %s\n", odds.c_str(),
                 parsed_odds.error().c_str());
    std::abort();
  }
  leg.odds = parsed_odds.value();
  return leg;
}

Parlay MakeParlay(const std::string& id, int64_t stake_minor,
                  const std::string& currency, std::vector<Leg> legs) {
  Parlay parlay;
  parlay.id = id;
  parlay.account = "acct-1";
  parlay.stake_minor = stake_minor;
  parlay.currency = currency;
  parlay.legs = std::move(legs);
  return parlay;
}

}  // namespace parlay::testing
