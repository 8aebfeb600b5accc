#include "bench/generate.h"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>
#include <vector>

#include "rules/odds.h"

namespace parlay::bench {
namespace {

// SplitMix64: small, fast and fully specified, so a seed gives the same
// sequence with any compiler and standard library.
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}

  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  // A number in [0, bound).
  int64_t Below(int64_t bound) {
    return static_cast<int64_t>(Next() % static_cast<uint64_t>(bound));
  }

  // True with probability percent / 100.
  bool Percent(int percent) { return Below(100) < percent; }

 private:
  uint64_t state_;
};

constexpr int64_t kBaseTime = 1'767'225'600;  // 2026-01-01T00:00:00Z
constexpr int64_t kLegsPerGame = 200;
constexpr size_t kParlaysPerChunk = 10'000;
constexpr size_t kGamesPerChunk = 10'000;

// Legs per parlay, 1 to 8, weighted towards two to four.
constexpr std::array<int, 8> kLegCountWeights = {10, 25, 25, 15, 10, 7, 5, 3};

// Moneyline prices, and the prices of spread and total legs. The SQL
// reference multiplies leg odds in 64-bit integers on SQLite, so the
// numerators stay small: with stakes up to 10,000 minor units, eight legs
// each half won at -115 (66/46 before reduction) stay below 2^63.
constexpr std::array<const char*, 9> kMoneylineOdds = {
    "-200", "-150", "-130", "-120", "+100", "+120", "+130", "+150", "+200"};
constexpr std::array<const char*, 3> kLineOdds = {"-110", "-105", "-115"};

Odds MustParseOdds(const char* text) {
  Result<Odds> odds = ParseOdds(text);
  if (!odds.ok()) throw std::logic_error(std::string("invalid odds ") + text);
  return odds.value();
}

// An American football score: field goals and touchdowns.
int RandomScore(Random& random) {
  return static_cast<int>(3 * random.Below(5) + 7 * random.Below(6));
}

std::string NumberedId(char prefix, int64_t number) {
  std::string digits = std::to_string(number);
  return std::string(1, prefix) +
         std::string(9 - std::min<size_t>(9, digits.size()), '0') + digits;
}

Game MakeGame(const std::string& id, int64_t number, bool final,
              Random& random) {
  Game game;
  game.id = id;
  game.league = "BENCH";
  game.sport = "american_football";
  game.home = "Home " + std::to_string(number);
  game.away = "Away " + std::to_string(number);
  game.start_time = kBaseTime + number * 900;
  game.updated_at = game.start_time;
  if (final) {
    game.status = GameStatus::kFinal;
    game.home_score = RandomScore(random);
    game.away_score = RandomScore(random);
    game.updated_at = game.start_time + 4 * 3600;
  }
  return game;
}

// A line in quarter points: mostly whole and half points, and one in ten
// a quarter line (an odd number of quarters).
int RandomLineQuarters(Random& random, int low_points, int high_points) {
  int quarters =
      2 * static_cast<int>(random.Below(2 * (high_points - low_points) + 1)) +
      4 * low_points;
  if (random.Percent(10)) quarters += random.Percent(50) ? 1 : -1;
  return quarters;
}

Leg MakeLeg(int index, const std::string& game_id, Random& random) {
  Leg leg;
  leg.index = index;
  leg.game_id = game_id;
  const int64_t kind = random.Below(100);
  if (kind < 35) {
    leg.market = Market::kMoneyline;
    leg.selection = random.Percent(50) ? Selection::kHome : Selection::kAway;
    leg.odds =
        MustParseOdds(kMoneylineOdds[random.Below(kMoneylineOdds.size())]);
  } else if (kind < 70) {
    leg.market = Market::kSpread;
    leg.selection = random.Percent(50) ? Selection::kHome : Selection::kAway;
    leg.line = Line{RandomLineQuarters(random, -14, 14)};
    leg.odds = MustParseOdds(kLineOdds[random.Below(kLineOdds.size())]);
  } else {
    leg.market = Market::kTotal;
    leg.selection = random.Percent(50) ? Selection::kOver : Selection::kUnder;
    leg.line = Line{RandomLineQuarters(random, 30, 60)};
    leg.odds = MustParseOdds(kLineOdds[random.Below(kLineOdds.size())]);
  }
  leg.selection_text = std::string(ToString(leg.selection));
  return leg;
}

int RandomLegCount(Random& random) {
  int total = 0;
  for (int weight : kLegCountWeights) total += weight;
  int64_t pick = random.Below(total);
  for (size_t i = 0; i < kLegCountWeights.size(); ++i) {
    if (pick < kLegCountWeights[i]) return static_cast<int>(i) + 1;
    pick -= kLegCountWeights[i];
  }
  return 1;
}

// Writes parlays of random size on the games numbered [first_game,
// first_game + games), whose ids start with `game_prefix`, until about
// `legs` legs exist. Parlay ids start with `parlay_prefix`.
void WriteParlays(Store& store, char game_prefix, char parlay_prefix,
                  int64_t first_game, int64_t games, int64_t legs,
                  Random& random, GenerateSummary& summary,
                  const std::vector<bool>* final_games) {
  std::vector<Parlay> chunk;
  int64_t written = 0;
  int64_t number = 0;
  std::vector<int64_t> picked;
  while (written < legs) {
    Parlay parlay;
    parlay.id = NumberedId(parlay_prefix, ++number);
    parlay.account = "account-" + std::to_string(random.Below(10'000));
    parlay.stake_minor = 100 * (1 + random.Below(100));
    parlay.currency = "USD";
    parlay.placed_at = kBaseTime - 86'400 + random.Below(86'400);
    const int count = static_cast<int>(
        std::min<int64_t>({RandomLegCount(random), legs - written, games}));
    picked.clear();
    while (static_cast<int>(picked.size()) < count) {
      const int64_t game = random.Below(games);
      if (std::find(picked.begin(), picked.end(), game) != picked.end()) {
        continue;
      }
      picked.push_back(game);
      parlay.legs.push_back(MakeLeg(static_cast<int>(picked.size()) - 1,
                                    NumberedId(game_prefix, first_game + game),
                                    random));
      if (final_games && (*final_games)[game]) summary.legs_on_final_games++;
    }
    written += count;
    chunk.push_back(std::move(parlay));
    if (chunk.size() == kParlaysPerChunk) {
      store.InsertParlays(chunk);
      chunk.clear();
    }
  }
  if (!chunk.empty()) store.InsertParlays(chunk);
  summary.parlays += number;
  summary.legs += written;
}

}  // namespace

GenerateSummary Generate(Store& store, const GenerateOptions& options) {
  if (options.legs < 1) throw std::invalid_argument("legs must be positive");
  if (options.final_share < 0 || options.final_share > 1) {
    throw std::invalid_argument("final share must be from 0 to 1");
  }
  Random random(options.seed);
  GenerateSummary summary;
  const int64_t games =
      options.games > 0 ? options.games
                        : std::max<int64_t>(10, options.legs / kLegsPerGame);

  // Each game is final with probability final_share, so final games are
  // spread over the whole schedule and every chunk of legs has some.
  std::vector<bool> final_games(games);
  std::vector<Game> chunk;
  for (int64_t i = 0; i < games; ++i) {
    final_games[i] = static_cast<double>(random.Below(1'000'000)) <
                     options.final_share * 1'000'000;
    chunk.push_back(MakeGame(NumberedId('g', i), i, final_games[i], random));
    summary.final_games += final_games[i] ? 1 : 0;
    if (chunk.size() == kGamesPerChunk) {
      store.UpsertGames(chunk);
      chunk.clear();
    }
  }
  if (!chunk.empty()) store.UpsertGames(chunk);
  summary.games = games;
  WriteParlays(store, 'g', 'p', 0, games, options.legs, random, summary,
               &final_games);

  if (options.unrelated_pending_legs > 0) {
    const int64_t unrelated_games =
        std::max<int64_t>(10, options.unrelated_pending_legs / kLegsPerGame);
    for (int64_t i = 0; i < unrelated_games; ++i) {
      // Scheduled after every game above, so they never sort first.
      chunk.push_back(
          MakeGame(NumberedId('u', i), games + i, /*final=*/false, random));
      if (chunk.size() == kGamesPerChunk) {
        store.UpsertGames(chunk);
        chunk.clear();
      }
    }
    if (!chunk.empty()) store.UpsertGames(chunk);
    chunk.clear();
    summary.games += unrelated_games;
    WriteParlays(store, 'u', 'q', 0, unrelated_games,
                 options.unrelated_pending_legs, random, summary, nullptr);
  }
  return summary;
}

}  // namespace parlay::bench
