#include "service/dashboard_routes.h"

#include <algorithm>
#include <set>

#include "format/records.h"
#include "rules/money.h"
#include "service/activity.h"
#include "service/dashboard_assets.h"
#include "util/time.h"

namespace parlay::service {
namespace {

using nlohmann::json;

// The page loads only its own script and style sheet and talks only to
// this server. No inline script or style runs.
constexpr char kContentSecurityPolicy[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; "
    "connect-src 'self'; img-src 'self'; base-uri 'none'; form-action "
    "'none'; frame-ancestors 'none'";

void SendAsset(httplib::Response& response, std::string_view body,
               const char* content_type) {
  response.status = 200;
  response.set_header("Content-Security-Policy", kContentSecurityPolicy);
  response.set_header("X-Content-Type-Options", "nosniff");
  response.set_header("Referrer-Policy", "no-referrer");
  response.set_header("Cache-Control", "no-cache");
  response.set_content(std::string(body), content_type);
}

std::string Amount(int64_t minor, const std::string& currency) {
  return FormatAmount(minor, CurrencyExponent(currency).value_or(0));
}

json ErrorRate(int64_t failed, int64_t attempted) {
  if (attempted == 0) return nullptr;
  return static_cast<double>(failed) / static_cast<double>(attempted);
}

json CountsToJson(const HourlyActivity& activity) {
  return {
      {"cycles", activity.cycles},
      {"cycles_failed", activity.cycles_failed},
      {"games_attempted", activity.games_attempted},
      {"games_failed", activity.games_failed},
      {"error_rate",
       ErrorRate(activity.games_failed, activity.games_attempted)},
      {"legs_settled", activity.legs_settled},
      {"parlays_settled", activity.parlays_settled()},
      {"parlays_won", activity.parlays_won},
      {"parlays_lost", activity.parlays_lost},
      {"parlays_push", activity.parlays_push},
      {"parlays_void", activity.parlays_void},
  };
}

void AddTo(const HourlyActivity& from, HourlyActivity& into) {
  into.cycles += from.cycles;
  into.cycles_failed += from.cycles_failed;
  into.games_attempted += from.games_attempted;
  into.games_failed += from.games_failed;
  into.legs_settled += from.legs_settled;
  into.parlays_won += from.parlays_won;
  into.parlays_lost += from.parlays_lost;
  into.parlays_push += from.parlays_push;
  into.parlays_void += from.parlays_void;
  for (const auto& [currency, amount] : from.staked_minor) {
    into.staked_minor[currency] += amount;
  }
  for (const auto& [currency, amount] : from.paid_minor) {
    into.paid_minor[currency] += amount;
  }
}

void GetActivity(RouteContext& context, const httplib::Request& request,
                 httplib::Response& response) {
  const int64_t hours = IntegerQueryParameter(
      request, "hours", kDefaultActivityHours, 1, kMaxActivityHours);
  const int64_t now = context.clock.NowSeconds();
  const int64_t last_hour = HourStart(now);
  const int64_t first_hour = last_hour - (hours - 1) * kSecondsPerHour;

  auto store = context.read_stores.Acquire();
  std::vector<HourlyActivity> stored =
      store->ReadActivity(first_hour, last_hour);

  // Every hour of the window is listed, hours without activity as zeros.
  json hourly = json::array();
  HourlyActivity totals;
  size_t next = 0;
  for (int64_t hour = first_hour; hour <= last_hour;
       hour += kSecondsPerHour) {
    HourlyActivity activity;
    activity.hour_start = hour;
    if (next < stored.size() && stored[next].hour_start == hour) {
      activity = stored[next++];
    }
    AddTo(activity, totals);
    json row = CountsToJson(activity);
    row["hour"] = FormatIso8601(hour);
    hourly.push_back(std::move(row));
  }

  json money = json::object();
  for (const auto& [currency, staked] : totals.staked_minor) {
    money[currency]["staked"] = Amount(staked, currency);
  }
  for (const auto& [currency, paid] : totals.paid_minor) {
    money[currency]["paid"] = Amount(paid, currency);
  }
  for (auto& [currency, amounts] : money.items()) {
    if (!amounts.contains("staked")) amounts["staked"] = Amount(0, currency);
    if (!amounts.contains("paid")) amounts["paid"] = Amount(0, currency);
  }
  json body_totals = CountsToJson(totals);
  body_totals["money"] = money;
  SendJson(response, 200,
           {{"generated_at", FormatIso8601(now)},
            {"from", FormatIso8601(first_hour)},
            {"hours", hourly},
            {"totals", body_totals}});
}

// Why a game is listed for an operator. The engine sets Game::attention
// only when it keeps a score correction outside the correction window for
// an operator.
std::string AttentionCategory(const Game& game) {
  if (!game.attention.empty()) return "correction_held";
  if (game.status == GameStatus::kUnknown) return "unknown_status";
  return "missing_score";
}

void GetGames(RouteContext& context, const httplib::Request& request,
              httplib::Response& response) {
  const int limit = static_cast<int>(IntegerQueryParameter(
      request, "limit", kDefaultDashboardGames, 1, kMaxDashboardGames));
  auto store = context.read_stores.Acquire();

  const std::vector<std::string> awaiting_ids = store->FindGamesToSettle(limit);
  std::vector<Game> awaiting = store->GetGames(awaiting_ids);
  // GetGames returns id order, but the list keeps the settlement order.
  std::map<std::string, size_t> order;
  for (size_t i = 0; i < awaiting_ids.size(); ++i) {
    order.emplace(awaiting_ids[i], i);
  }
  std::sort(awaiting.begin(), awaiting.end(),
            [&](const Game& a, const Game& b) {
              return order[a.id] < order[b.id];
            });
  json awaiting_games = json::array();
  for (const Game& game : awaiting) awaiting_games.push_back(GameToJson(game));

  // Games with an unknown status need a look whether or not they have
  // pending legs, because no known feed status maps to them.
  // NOTE: both queries may read the whole games table (not legs) on every
  // poll, because ListGames has an optional status filter and attention
  // has no index. That is cheap for thousands of games, untested for
  // millions.
  std::vector<Game> attention = store->FindGamesNeedingAttention();
  std::set<std::string> listed;
  for (const Game& game : attention) listed.insert(game.id);
  for (Game& game : store->ListGames(GameStatus::kUnknown)) {
    if (listed.insert(game.id).second) attention.push_back(std::move(game));
  }
  json attention_games = json::array();
  json categories = {
      {"missing_score", 0}, {"correction_held", 0}, {"unknown_status", 0}};
  for (const Game& game : attention) {
    const std::string category = AttentionCategory(game);
    categories[category] = categories[category].get<int64_t>() + 1;
    if (attention_games.size() >= static_cast<size_t>(limit)) continue;
    json row = GameToJson(game);
    row["category"] = category;
    attention_games.push_back(std::move(row));
  }

  SendJson(response, 200,
           {{"awaiting",
             {{"count", store->CountGamesToSettle()},
              {"games", awaiting_games}}},
            {"attention",
             {{"count", attention.size()},
              {"categories", categories},
              {"games", attention_games}}}});
}

void GetGame(RouteContext& context, const httplib::Request& request,
             httplib::Response& response) {
  const std::string id = request.matches[1];
  const int limit = static_cast<int>(IntegerQueryParameter(
      request, "limit", kDefaultGameLegs, 1, kMaxGameLegs));
  auto store = context.read_stores.Acquire();
  std::optional<Game> game = store->GetGame(id);
  if (!game) {
    throw ApiError(404, "not_found",
                   "game " + QuoteForMessage(id) + " not found", "id");
  }
  // One leg more than the limit shows whether the list is cut.
  std::vector<GameLeg> legs = store->ListGameLegs(id, limit + 1);
  const bool truncated = legs.size() > static_cast<size_t>(limit);
  if (truncated) legs.resize(static_cast<size_t>(limit));
  json items = json::array();
  for (const GameLeg& leg : legs) {
    json row = LegToJson(leg.leg);
    row["parlay_id"] = leg.parlay_id;
    items.push_back(std::move(row));
  }
  SendJson(response, 200,
           {{"game", GameToJson(*game)},
            {"legs", items},
            {"truncated", truncated}});
}

}  // namespace

void RegisterDashboardRoutes(Router& router, RouteContext& context) {
  const auto page = [](const httplib::Request&, httplib::Response& response) {
    SendAsset(response, kDashboardHtml, "text/html; charset=utf-8");
  };
  router.Get("/", page);
  router.Get("/dashboard", page);
  // Browsers request /favicon.ico on their own, and the dashboard has none.
  router.Get("/favicon.ico",
             [](const httplib::Request&, httplib::Response& response) {
               response.status = 204;
             });
  router.Get("/dashboard/dashboard.js",
             [](const httplib::Request&, httplib::Response& response) {
               SendAsset(response, kDashboardScript,
                         "text/javascript; charset=utf-8");
             });
  router.Get("/dashboard/dashboard.css",
             [](const httplib::Request&, httplib::Response& response) {
               SendAsset(response, kDashboardStyle, "text/css; charset=utf-8");
             });

  router.Get("/v1/dashboard/activity",
             [&context](const httplib::Request& request,
                        httplib::Response& response) {
               GetActivity(context, request, response);
             });
  router.Get("/v1/dashboard/games",
             [&context](const httplib::Request& request,
                        httplib::Response& response) {
               GetGames(context, request, response);
             });
  router.Get("/v1/dashboard/games/{id}",
             [&context](const httplib::Request& request,
                        httplib::Response& response) {
               GetGame(context, request, response);
             });
}

}  // namespace parlay::service
