#include "service/api_routes.h"

#include <charconv>
#include <set>

#include "feeds/import.h"
#include "feeds/json_records.h"
#include "feeds/record_import.h"
#include "format/records.h"
#include "rules/types.h"
#include "service/logging.h"

namespace parlay::service {
namespace {

using nlohmann::json;

// Names the request body in validation messages.
const std::string kBodySource = "request body";

// Problems listed in a 422 response; the message names the first.
constexpr size_t kMaxProblemsListed = 100;

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

int64_t IntegerParameter(const httplib::Request& request,
                         const std::string& name, int64_t fallback, int64_t min,
                         int64_t max) {
  std::optional<std::string> text = QueryParameter(request, name);
  if (!text) return fallback;
  int64_t value = 0;
  const char* end = text->data() + text->size();
  auto [ptr, error] = std::from_chars(text->data(), end, value);
  if (text->empty() || error != std::errc() || ptr != end || value < min ||
      value > max) {
    throw ApiError(400, "invalid_parameter",
                   "invalid " + name + " \"" + *text +
                       "\": expected an integer from " + std::to_string(min) +
                       " to " + std::to_string(max),
                   name);
  }
  return value;
}

bool IsArrayBody(const std::string& body) {
  const size_t first = body.find_first_not_of(" \t\r\n");
  return first != std::string::npos && body[first] == '[';
}

// The field of a problem as a path into the body: "stake" for an object
// body, "[2].stake" for the third record of an array body.
std::string FieldPath(const ImportProblem& problem, bool array_body) {
  if (!array_body) return problem.field;
  std::string path = "[" + std::to_string(problem.record - 1) + "]";
  if (!problem.field.empty()) path += "." + problem.field;
  return path;
}

[[noreturn]] void ThrowInvalidRecords(
    const std::vector<ImportProblem>& problems, bool array_body) {
  const ImportProblem& first = problems.front();
  ApiError error(422, "invalid_record", first.ToString(),
                 FieldPath(first, array_body));
  json listed = json::array();
  for (size_t i = 0; i < problems.size() && i < kMaxProblemsListed; ++i) {
    listed.push_back({{"field", FieldPath(problems[i], array_body)},
                      {"message", problems[i].ToString()}});
  }
  error.details["problems"] = listed;
  error.details["problem_count"] = problems.size();
  throw error;
}

// Parses a games or parlays body into records, or throws ApiError.
std::vector<feeds::FileRecords> ParseRecords(const std::string& body,
                                             std::string_view what) {
  feeds::JsonFile file = feeds::ParseJsonBody(kBodySource, body);
  if (!file.readable) {
    throw ApiError(400, "invalid_json",
                   file.problems.empty() ? "the request body is not valid JSON"
                                         : file.problems.front().ToString());
  }
  if (file.records.empty()) {
    throw ApiError(422, "invalid_body",
                   "the request body has no " + std::string(what) +
                       ": send one object or a non-empty array of objects");
  }
  return {{kBodySource, std::move(file.records)}};
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
  std::vector<feeds::FileRecords> inputs = ParseRecords(request.body, "game");
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

void PostParlays(RouteContext& context, const httplib::Request& request,
                 httplib::Response& response) {
  const bool array_body = IsArrayBody(request.body);
  std::vector<feeds::FileRecords> inputs = ParseRecords(request.body, "parlay");
  ImportReport report;
  report.records = static_cast<int>(inputs.front().records.size());
  const auto ids = RecordIds(inputs.front(), array_body);
  std::vector<std::string> id_list;
  for (const auto& [id, field] : ids) id_list.push_back(id);

  auto store = context.write_stores.Acquire();
  auto reject_existing = [&] {
    std::vector<std::string> existing = store->ExistingParlayIds(id_list);
    if (existing.empty()) return;
    std::string field;
    for (const auto& [id, path] : ids) {
      if (id == existing.front()) field = path;
    }
    throw ApiError(409, "duplicate_id",
                   "parlay \"" + existing.front() +
                       "\" already exists; parlay ids are unique",
                   field);
  };
  reject_existing();
  try {
    report =
        feeds::ImportParlayRecords(*store, inputs, report, {}, context.clock);
  } catch (const ImportError& error) {
    ThrowInvalidRecords(error.problems(), array_body);
  } catch (const StoreError&) {
    // Another request may have placed the same id since the check above.
    reject_existing();
    throw;
  }

  json placed = json::array();
  for (const std::string& id : id_list) {
    if (std::optional<Parlay> parlay = store->GetParlay(id)) {
      placed.push_back(ParlayToJson(*parlay));
    }
  }
  LogEvent(
      spdlog::level::info, "parlays_placed", "parlays placed",
      {{"count", report.imported},
       {"parlay_ids", id_list.size() <= 20 ? json(id_list) : json(nullptr)}});
  SendJson(response, 201, {{"parlays", placed}});
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
  const int limit = static_cast<int>(
      IntegerParameter(request, "limit", kDefaultPageSize, 1, kMaxPageSize));
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
      throw ApiError(404, "not_found", "game \"" + id + "\" not found", "id");
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
      throw ApiError(404, "not_found", "parlay \"" + id + "\" not found", "id");
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
    const int64_t after = IntegerParameter(request, "after", 0, 0,
                                           std::numeric_limits<int64_t>::max());
    const int limit = static_cast<int>(
        IntegerParameter(request, "limit", kDefaultPageSize, 1, kMaxPageSize));
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
