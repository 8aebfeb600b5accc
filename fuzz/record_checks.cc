#include "record_checks.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "feeds/import_internal.h"
#include "feeds/json_records.h"
#include "fuzz_support.h"
#include "rules/money.h"
#include "rules/parlay.h"

namespace parlay::fuzz {
namespace {

void CheckText(const std::string& text, std::string_view what,
               std::string_view input) {
  if (text.empty() || text.size() > feeds::RecordChecker::kMaxTextBytes) {
    Fail(std::string(what) + " empty or too long", input);
  }
  for (const char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      Fail(std::string(what) + " with a control character", input);
    }
  }
}

}  // namespace

void CheckGame(const Game& game, std::string_view input) {
  CheckText(game.id, "game id", input);
  CheckText(game.league, "league", input);
  CheckText(game.home, "home team", input);
  CheckText(game.away, "away team", input);
  if (game.home == game.away) Fail("one team twice", input);
  if (game.home_score.value_or(0) < 0 || game.away_score.value_or(0) < 0) {
    Fail("negative score", input);
  }
}

void CheckParlay(const Parlay& parlay, const ParlayLimits& limits,
                 std::string_view input) {
  CheckText(parlay.id, "parlay id", input);
  CheckText(parlay.account, "account", input);
  if (parlay.legs.empty() || parlay.legs.size() > limits.max_legs) {
    Fail("leg count outside 1 to the maximum", input);
  }
  const std::optional<int> exponent = CurrencyExponent(parlay.currency);
  if (!exponent) Fail("unknown currency accepted", input);
  int64_t max_stake = limits.max_stake_units;
  for (int i = 0; i < *exponent; ++i) max_stake *= 10;
  if (parlay.stake_minor <= 0 || parlay.stake_minor > max_stake) {
    Fail("stake outside 1 minor unit to the maximum", input);
  }
  std::vector<Odds> odds;
  for (size_t i = 0; i < parlay.legs.size(); ++i) {
    const Leg& leg = parlay.legs[i];
    if (!IsPlaceableOdds(leg.odds)) Fail("odds not placeable", input);
    odds.push_back(leg.odds);
    for (size_t j = 0; j < i; ++j) {
      const Leg& earlier = parlay.legs[j];
      if (earlier.game_id == leg.game_id && earlier.market == leg.market &&
          earlier.period == leg.period) {
        Fail("two legs on one game, market and period", input);
      }
    }
  }
  if (!MaxPayoutMinor(parlay.stake_minor, odds)) {
    Fail("payout above the maximum amount", input);
  }
}

std::optional<std::vector<feeds::FileRecords>> ReadInputRecords(
    std::string_view input, ImportReport& report) {
  const std::vector<std::string> files = {WriteInputFile(input, ".json")};
  try {
    return feeds::ReadAllRecords(files, report);
  } catch (const ImportError& error) {
    if (error.problems().empty()) {
      Fail("ImportError without problems", input);
    }
    return std::nullopt;
  }
}

const std::map<std::string, Game>& ScenarioGames() {
  static const std::map<std::string, Game> games = [] {
    std::map<std::string, Game> by_id;
    const std::filesystem::path dir =
        std::filesystem::path(PARLAY_SOURCE_DIR) / "tests" / "scenarios";
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      if (entry.path().extension() != ".json") continue;
      std::ifstream in(entry.path());
      const nlohmann::json scenario = nlohmann::json::parse(
          std::string(std::istreambuf_iterator<char>(in), {}));
      if (!scenario.contains("games")) continue;
      const feeds::JsonFile file =
          feeds::ParseJsonBody("scenario", scenario["games"].dump());
      ImportReport report;
      const std::vector<feeds::FileRecords> inputs = {
          {"scenario", file.records}};
      for (Game& game : feeds::ReadGameRecords(inputs, report)) {
        std::string id = game.id;
        by_id.emplace(std::move(id), std::move(game));
      }
    }
    return by_id;
  }();
  return games;
}

}  // namespace parlay::fuzz
