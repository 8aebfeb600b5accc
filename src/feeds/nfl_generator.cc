// GenerateNflParlays: synthetic parlays on NFL games at their closing
// lines, for load tests and demos.

#include <algorithm>
#include <cstdlib>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "feeds/import.h"
#include "rules/odds.h"

namespace parlay {
namespace {

// Synthetic American moneyline prices by the favourite's spread, one row
// per half point from 0 to 14; larger spreads use the last row. The CSV has
// no moneyline odds, so these approximate typical NFL conversions and are
// not market prices. Quarter-point spreads use the row below them.
struct MoneylinePrice {
  int favorite;
  int underdog;
};

constexpr MoneylinePrice kMoneylineBySpread[] = {
    {-110, -110},   // 0: pick'em
    {-115, -105},   // 0.5
    {-120, +100},   // 1
    {-125, +105},   // 1.5
    {-130, +110},   // 2
    {-140, +120},   // 2.5
    {-150, +130},   // 3
    {-170, +150},   // 3.5
    {-185, +160},   // 4
    {-200, +170},   // 4.5
    {-215, +180},   // 5
    {-235, +195},   // 5.5
    {-260, +215},   // 6
    {-285, +235},   // 6.5
    {-330, +265},   // 7
    {-360, +290},   // 7.5
    {-400, +320},   // 8
    {-420, +335},   // 8.5
    {-450, +350},   // 9
    {-480, +375},   // 9.5
    {-500, +400},   // 10
    {-550, +420},   // 10.5
    {-600, +450},   // 11
    {-650, +475},   // 11.5
    {-700, +500},   // 12
    {-750, +525},   // 12.5
    {-800, +550},   // 13
    {-900, +600},   // 13.5
    {-1000, +650},  // 14 or more
};

// The price of every spread and total leg.
constexpr int kStandardPrice = -110;

// Stakes are uniform from 1.00 to 100.00 USD, in cents.
constexpr uint64_t kMinStakeCents = 100;
constexpr uint64_t kMaxStakeCents = 10'000;

// Accounts are acct-1 to acct-kAccounts.
constexpr uint64_t kAccounts = 1000;

// The other legs of a parlay come from the games within this many places
// of its first game in start order: about three weeks of a regular season.
constexpr size_t kGameWindow = 48;

// A parlay is placed between 1 hour and 1 hour + 7 days before its first
// game starts.
constexpr int64_t kMinLeadSeconds = 3600;
constexpr uint64_t kLeadRangeSeconds = 7 * 86400;

std::string AmericanText(int price) {
  return price > 0 ? "+" + std::to_string(price) : std::to_string(price);
}

Odds MustParseOdds(int price) {
  Result<Odds> odds = ParseOdds(AmericanText(price));
  if (!odds.ok()) throw std::logic_error(odds.error());
  return odds.value();
}

// Draws from std::mt19937_64 with a fixed mapping, so that a seed gives the
// same parlays with every standard library (std::uniform_int_distribution
// is implementation-defined).
class Draw {
 public:
  explicit Draw(uint64_t seed) : engine_(seed) {}

  // A value from 0 to n - 1. The modulo bias is below n / 2^64.
  uint64_t Below(uint64_t n) { return engine_() % n; }
  bool Coin() { return Below(2) == 1; }

 private:
  std::mt19937_64 engine_;
};

// Parsed prices, computed once rather than per leg.
struct Prices {
  Prices() : standard(MustParseOdds(kStandardPrice)) {
    for (const MoneylinePrice& row : kMoneylineBySpread) {
      favorite.push_back(MustParseOdds(row.favorite));
      underdog.push_back(MustParseOdds(row.underdog));
    }
  }

  // The moneyline price of `side` on a game with this spread and favourite.
  const Odds& Moneyline(const NflGame& game, Selection side) const {
    if (!game.favorite) return standard;  // pick'em
    const size_t half_points = std::min<size_t>(
        static_cast<size_t>(std::abs(game.spread->quarters) / 2),
        favorite.size() - 1);
    return side == *game.favorite ? favorite[half_points]
                                  : underdog[half_points];
  }

  Odds standard;
  std::vector<Odds> favorite;
  std::vector<Odds> underdog;
};

Leg MakeLeg(const NflGame& nfl, int index, const Prices& prices, Draw& draw) {
  const Game& game = nfl.game;
  Market markets[3];
  int market_count = 0;
  if (nfl.spread) {
    markets[market_count++] = Market::kMoneyline;
    markets[market_count++] = Market::kSpread;
  }
  if (nfl.total) markets[market_count++] = Market::kTotal;

  Leg leg;
  leg.index = index;
  leg.game_id = game.id;
  leg.market = markets[draw.Below(market_count)];
  if (leg.market == Market::kTotal) {
    leg.selection = draw.Coin() ? Selection::kOver : Selection::kUnder;
    leg.selection_text = std::string(ToString(leg.selection));
    leg.line = nfl.total;
    leg.odds = prices.standard;
    return leg;
  }

  leg.selection = draw.Coin() ? Selection::kHome : Selection::kAway;
  // Half the selections are the team's name, half "home" or "away".
  if (draw.Coin()) {
    leg.selection_text =
        leg.selection == Selection::kHome ? game.home : game.away;
  } else {
    leg.selection_text = std::string(ToString(leg.selection));
  }
  if (leg.market == Market::kMoneyline) {
    leg.odds = prices.Moneyline(nfl, leg.selection);
    return leg;
  }
  // The favourite gives the spread and the underdog gets it; a pick'em is
  // 0 for both.
  const bool is_favorite = nfl.favorite && *nfl.favorite == leg.selection;
  leg.line = Line{is_favorite ? nfl.spread->quarters : -nfl.spread->quarters};
  leg.odds = prices.standard;
  return leg;
}

// Picks `count` distinct games, the first at random and the rest near it in
// start order. REQUIRES: 1 <= count <= games.size().
std::vector<size_t> PickGames(size_t game_count, size_t count, Draw& draw) {
  const size_t first = draw.Below(game_count);
  size_t low = first > kGameWindow ? first - kGameWindow : 0;
  size_t high = std::min(first + kGameWindow, game_count - 1);
  if (high - low + 1 < count) {
    low = 0;
    high = game_count - 1;
  }
  std::vector<size_t> picked = {first};
  while (picked.size() < count) {
    const size_t candidate = low + draw.Below(high - low + 1);
    if (std::find(picked.begin(), picked.end(), candidate) == picked.end()) {
      picked.push_back(candidate);
    }
  }
  return picked;
}

}  // namespace

std::vector<Parlay> GenerateNflParlays(std::span<const NflGame> games,
                                       int count, int max_legs, uint64_t seed) {
  if (count < 0) throw std::invalid_argument("parlay count is negative");
  if (max_legs < 1) throw std::invalid_argument("max_legs is below 1");

  // Games with at least one line, in start order so that the window of
  // PickGames spans nearby dates. Ids break ties, so the order is total.
  std::vector<const NflGame*> eligible;
  for (const NflGame& game : games) {
    if (game.spread || game.total) eligible.push_back(&game);
  }
  std::sort(eligible.begin(), eligible.end(),
            [](const NflGame* a, const NflGame* b) {
              if (a->game.start_time != b->game.start_time) {
                return a->game.start_time < b->game.start_time;
              }
              return a->game.id < b->game.id;
            });
  if (count > 0 && eligible.empty()) {
    throw std::invalid_argument("no game has a closing spread or total");
  }

  const Prices prices;
  Draw draw(seed);
  std::vector<Parlay> parlays;
  parlays.reserve(static_cast<size_t>(count));
  const std::string id_prefix = "nfl-" + std::to_string(seed) + "-";
  for (int n = 1; n <= count; ++n) {
    // With fewer games than max_legs, a parlay has at most one leg per game.
    const size_t leg_count = std::min<size_t>(
        1 + draw.Below(static_cast<uint64_t>(max_legs)), eligible.size());
    Parlay parlay;
    parlay.id = id_prefix + std::to_string(n);
    int64_t first_start = 0;
    for (size_t game_index : PickGames(eligible.size(), leg_count, draw)) {
      const NflGame& game = *eligible[game_index];
      parlay.legs.push_back(
          MakeLeg(game, static_cast<int>(parlay.legs.size()), prices, draw));
      if (parlay.legs.size() == 1 || game.game.start_time < first_start) {
        first_start = game.game.start_time;
      }
    }
    parlay.stake_minor = static_cast<int64_t>(
        kMinStakeCents + draw.Below(kMaxStakeCents - kMinStakeCents + 1));
    parlay.currency = "USD";
    parlay.account = "acct-" + std::to_string(1 + draw.Below(kAccounts));
    parlay.placed_at = first_start - kMinLeadSeconds -
                       static_cast<int64_t>(draw.Below(kLeadRangeSeconds));
    parlays.push_back(std::move(parlay));
  }
  return parlays;
}

}  // namespace parlay
