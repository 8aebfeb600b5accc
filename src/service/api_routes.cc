#include "service/api_routes.h"

#include <charconv>
#include <map>
#include <set>

#include "feeds/import.h"
#include "feeds/json_records.h"
#include "feeds/record_import.h"
#include "format/records.h"
#include "rules/types.h"
#include "service/logging.h"
#include "service/request_body.h"

namespace parlay::service {
namespace {

using nlohmann::json;

constexpr char kBase64UrlAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// Paging cursors are the last id of a page in unpadded base64url, so that
// clients treat them as opaque.
std::string EncodeCursor(std::string_view id) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : id) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kBase64UrlAlphabet[(buffer >> bits) & 0x3F];
    }
  }
  if (bits > 0) out += kBase64UrlAlphabet[(buffer << (6 - bits)) & 0x3F];
  return out;
}

std::optional<std::string> DecodeCursor(std::string_view cursor) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : cursor) {
    const char* found = std::strchr(kBase64UrlAlphabet, c);
    if (c == '\0' || found == nullptr) return std::nullopt;
    buffer = (buffer << 6) | static_cast<uint32_t>(found - kBase64UrlAlphabet);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  if (out.empty()) return std::nullopt;
  return out;
}

// Returns the "id" string of every object record, with its field path.
std::vector<std::pair<std::string, std::string>> RecordIds(
    const feeds::FileRecords& input, bool array_body) {
  std::vector<std::pair<std::string, std::string>> ids;
  for (const feeds::JsonRecord& record : input.records) {
    if (!record.value.is_object()) continue;
    const json* id = feeds::FindMember(record.value, "id");
    if (id == nullptr || !id->is_string()) continue;
    const std::string field =
        array_body ? "[" + std::to_string(record.number - 1) + "].id" : "id";
    ids.emplace_back(id->get<std::string>(), field);
  }
  return ids;
}

void PostGames(RouteContext& context, const httplib::Request& request,
               httplib::Response& response) {
  const bool array_body = IsArrayBody(request.body);
  std::vector<feeds::FileRecords> inputs = ParseRecordsBody(
      request.body, "game", context.config.max_records_per_request);
  ImportReport report;
  report.records = static_cast<int>(inputs.front().records.size());

  auto store = context.write_stores.Acquire();
  try {
    report = feeds::ImportGameRecords(*store, inputs, report, {});
  } catch (const ImportError& error) {
    ThrowInvalidRecords(error.problems(), array_body);
  }

  // The records are valid, so each has an id and a known status.
  std::vector<std::string> ids;
  std::vector<std::string> gradable;
  for (const feeds::JsonRecord& record : inputs.front().records) {
    const std::string id = record.value.at("id").get<std::string>();
    const std::string status = record.value.at("status").get<std::string>();
    ids.push_back(id);
    const std::optional<GameStatus> parsed = ParseGameStatus(status);
    if (parsed && IsFinalOrVoid(*parsed)) gradable.push_back(id);
  }
  context.worker.NotifyFinalGames(gradable);

  json games = json::array();
  for (const Game& game : store->GetGames(ids)) {
    games.push_back(GameToJson(game));
  }
  SendJson(response, 200,
           {{"records", report.records},
            {"imported", report.imported},
            {"superseded", report.superseded},
            {"games", games}});
}

// Returns the first field in which a posted parlay differs from the stored
// one with its id, such as "stake" or "legs[1].odds", or an empty string
// when they are the same bet. Legs compare by their resolved terms, so
// "home" and the home team's name are the same selection, and odds by
// value, so "2.50" and "2.5" are the same odds. placed_at is compared only
// when the request gave it, because it defaults to the time of the request.
std::string FirstDifference(const Parlay& stored, const Parlay& posted,
                            bool compare_placed_at) {
  if (stored.account != posted.account) return "account";
  if (stored.currency != posted.currency) return "currency";
  if (stored.stake_minor != posted.stake_minor) return "stake";
  if (compare_placed_at && stored.placed_at != posted.placed_at) {
    return "placed_at";
  }
  if (stored.legs.size() != posted.legs.size()) return "legs";
  for (size_t i = 0; i < stored.legs.size(); ++i) {
    const Leg& a = stored.legs[i];
    const Leg& b = posted.legs[i];
    const std::string prefix = "legs[" + std::to_string(i) + "].";
    if (a.game_id != b.game_id) return prefix + "game";
    if (a.market != b.market) return prefix + "market";
    if (a.selection != b.selection) return prefix + "selection";
    if (a.line != b.line) return prefix + "line";
    if (a.period != b.period) return prefix + "period";
    if (a.odds.numerator != b.odds.numerator ||
        a.odds.denominator != b.odds.denominator) {
      return prefix + "odds";
    }
  }
  return "";
}

// Places the parlays whose ids are not stored yet and returns how many it
// placed. A parlay whose id is stored with the same terms is a repeat of an
// earlier request and is skipped. One stored with other terms throws
// ApiError 409, and nothing is written. `placed_at_given[i]` tells whether
// parlays[i] came with its own placed_at.
int PlaceNewParlays(
    Store& store, const std::vector<Parlay>& parlays,
    const std::vector<bool>& placed_at_given,
    const std::vector<std::pair<std::string, std::string>>& field_of_id) {
  std::vector<std::string> ids;
  for (const Parlay& parlay : parlays) ids.push_back(parlay.id);
  const std::vector<std::string> existing_list = store.ExistingParlayIds(ids);
  const std::set<std::string> existing(existing_list.begin(),
                                       existing_list.end());
  std::vector<Parlay> placed;
  for (size_t i = 0; i < parlays.size(); ++i) {
    const Parlay& parlay = parlays[i];
    if (!existing.contains(parlay.id)) {
      placed.push_back(parlay);
      continue;
    }
    const std::optional<Parlay> stored = store.GetParlay(parlay.id);
    const std::string difference =
        stored ? FirstDifference(*stored, parlay, placed_at_given[i]) : "id";
    if (difference.empty()) continue;
    std::string field;
    for (const auto& [id, path] : field_of_id) {
      if (id == parlay.id) field = path;
    }
    throw ApiError(409, "duplicate_id",
                   "parlay \"" + parlay.id +
                       "\" already exists with a different " + difference +
                       "; parlay ids are unique, so place a changed bet "
                       "under a new id",
                   field);
  }
  if (!placed.empty()) store.InsertParlays(placed);
  return static_cast<int>(placed.size());
}

void PostParlays(RouteContext& context, const httplib::Request& request,
                 httplib::Response& response) {
  const bool array_body = IsArrayBody(request.body);
  std::vector<feeds::FileRecords> inputs = ParseRecordsBody(
      request.body, "parlay", context.config.max_records_per_request);
  const auto field_of_id = RecordIds(inputs.front(), array_body);
  std::vector<std::string> parlay_ids;
  std::vector<std::string> game_ids;
  feeds::CollectParlayRecordIds(inputs, parlay_ids, game_ids);

  auto store = context.write_stores.Acquire();
  std::map<std::string, Game> games;
  for (Game& game : store->GetGames(game_ids)) {
    std::string id = game.id;
    games.emplace(std::move(id), std::move(game));
  }
  // Stored ids are not problems here: PlaceNewParlays compares the stored
  // parlay with the posted one, so that a retried request succeeds.
  ImportReport report;
  const std::vector<Parlay> parlays =
      feeds::ReadParlayRecords(inputs, games, {}, context.clock.NowSeconds(),
                               context.config.parlay_limits, report);
  if (!report.problems.empty()) {
    ThrowInvalidRecords(report.problems, array_body);
  }
  // Every record is valid, so records[i] is parlays[i].
  std::vector<bool> placed_at_given;
  for (const feeds::JsonRecord& record : inputs.front().records) {
    const json* placed_at = feeds::FindMember(record.value, "placed_at");
    placed_at_given.push_back(placed_at != nullptr && !placed_at->is_null());
  }

  int placed = 0;
  try {
    placed = PlaceNewParlays(*store, parlays, placed_at_given, field_of_id);
  } catch (const StoreError&) {
    // Another request may have placed one of the ids since the check, so
    // the check runs again. A second failure is a database error.
    placed = PlaceNewParlays(*store, parlays, placed_at_given, field_of_id);
  }

  json body = json::array();
  for (const Parlay& parlay : parlays) {
    if (std::optional<Parlay> stored = store->GetParlay(parlay.id)) {
      body.push_back(ParlayToJson(*stored));
    }
  }
  LogEvent(spdlog::level::info, "parlays_placed", "parlays placed",
           {{"count", placed},
            {"repeated", parlays.size() - static_cast<size_t>(placed)},
            {"parlay_ids",
             parlay_ids.size() <= 20 ? json(parlay_ids) : json(nullptr)}});
  // 201 when this request placed a parlay, 200 when every parlay was a
  // repeat of an earlier request.
  SendJson(response, placed > 0 ? 201 : 200, {{"parlays", body}});
}

void ListParlays(RouteContext& context, const httplib::Request& request,
                 httplib::Response& response) {
  ParlayQuery query;
  if (std::optional<std::string> status = QueryParameter(request, "status")) {
    query.status = ParseParlayStatus(*status);
    if (!query.status) {
      throw ApiError(400, "invalid_parameter",
                     "invalid status \"" + *status +
                         "\": expected PENDING, WON, LOST, PUSH or VOID",
                     "status");
    }
  }
  if (std::optional<std::string> account = QueryParameter(request, "account")) {
    if (account->empty()) {
      throw ApiError(400, "invalid_parameter",
                     "invalid account \"\": expected an account id", "account");
    }
    query.account = *account;
  }
  const int limit = static_cast<int>(IntegerQueryParameter(
      request, "limit", kDefaultPageSize, 1, kMaxPageSize));
  if (std::optional<std::string> cursor = QueryParameter(request, "cursor")) {
    std::optional<std::string> after = DecodeCursor(*cursor);
    if (!after) {
      throw ApiError(400, "invalid_parameter",
                     "invalid cursor \"" + *cursor +
                         "\": pass the next_cursor of a previous page",
                     "cursor");
    }
    query.after_id = *after;
  }
  // One parlay more than the page size shows whether another page follows.
  query.limit = limit + 1;

  auto store = context.read_stores.Acquire();
  std::vector<Parlay> parlays = store->ListParlays(query);
  json next_cursor = nullptr;
  if (parlays.size() > static_cast<size_t>(limit)) {
    parlays.resize(static_cast<size_t>(limit));
    next_cursor = EncodeCursor(parlays.back().id);
  }
  json items = json::array();
  for (const Parlay& parlay : parlays) items.push_back(ParlayToJson(parlay));
  SendJson(response, 200, {{"parlays", items}, {"next_cursor", next_cursor}});
}

}  // namespace

void RegisterApiRoutes(Router& router, RouteContext& context) {
  router.Post("/v1/games", [&context](const httplib::Request& request,
                                      httplib::Response& response) {
    PostGames(context, request, response);
  });

  router.Get("/v1/games/{id}", [&context](const httplib::Request& request,
                                          httplib::Response& response) {
    const std::string id = request.matches[1];
    auto store = context.read_stores.Acquire();
    std::optional<Game> game = store->GetGame(id);
    if (!game) {
      throw ApiError(404, "not_found",
                     "game " + QuoteForMessage(id) + " not found", "id");
    }
    SendJson(response, 200, GameToJson(*game));
  });

  router.Post("/v1/parlays", [&context](const httplib::Request& request,
                                        httplib::Response& response) {
    PostParlays(context, request, response);
  });

  router.Get("/v1/parlays", [&context](const httplib::Request& request,
                                       httplib::Response& response) {
    ListParlays(context, request, response);
  });

  router.Get("/v1/parlays/{id}", [&context](const httplib::Request& request,
                                            httplib::Response& response) {
    const std::string id = request.matches[1];
    auto store = context.read_stores.Acquire();
    std::optional<Parlay> parlay = store->GetParlay(id);
    if (!parlay) {
      throw ApiError(404, "not_found",
                     "parlay " + QuoteForMessage(id) + " not found", "id");
    }
    json body = ParlayToJson(*parlay);
    body["audit"] = json::array();
    for (const AuditEvent& event : store->ReadAudit(id)) {
      body["audit"].push_back(AuditEventToJson(event));
    }
    SendJson(response, 200, body);
  });

  router.Get("/v1/events", [&context](const httplib::Request& request,
                                      httplib::Response& response) {
    const int64_t after = IntegerQueryParameter(
        request, "after", 0, 0, std::numeric_limits<int64_t>::max());
    const int limit = static_cast<int>(IntegerQueryParameter(
        request, "limit", kDefaultPageSize, 1, kMaxPageSize));
    auto store = context.read_stores.Acquire();
    json events = json::array();
    int64_t next_after = after;
    for (const OutboxEvent& event : store->ReadOutbox(after, limit)) {
      events.push_back(OutboxEventToJson(event));
      next_after = event.seq;
    }
    SendJson(response, 200, {{"events", events}, {"next_after", next_after}});
  });
}

}  // namespace parlay::service
