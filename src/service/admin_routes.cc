#include "service/admin_routes.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <strings.h>

#include "engine/settlement.h"
#include "feeds/json_records.h"
#include "format/records.h"
#include "service/activity.h"
#include "service/logging.h"

namespace parlay::service {
namespace {

using nlohmann::json;

constexpr size_t kMaxReasonBytes = 500;

// Compares the SHA-256 digests of both tokens with CRYPTO_memcmp, so the
// comparison takes the same time wherever the tokens first differ and
// whatever their lengths. Hashing takes time in proportion to each token's
// length, which reveals only the length of the presented token.
bool TokensEqual(std::string_view presented, std::string_view expected) {
  unsigned char presented_digest[SHA256_DIGEST_LENGTH];
  unsigned char expected_digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(presented.data()),
         presented.size(), presented_digest);
  SHA256(reinterpret_cast<const unsigned char*>(expected.data()),
         expected.size(), expected_digest);
  return CRYPTO_memcmp(presented_digest, expected_digest,
                       SHA256_DIGEST_LENGTH) == 0;
}

void RejectUnauthorized(httplib::Response& response,
                        const std::string& message) {
  response.set_header("WWW-Authenticate", "Bearer realm=\"parlay-settler\"");
  SendError(response, 401, "unauthorized", message);
}

std::string FlagName(bool enabled) { return enabled ? "enabled" : "disabled"; }

// Reads an optional operator reason: a non-blank string of at most
// kMaxReasonBytes bytes without control characters, since it is logged.
std::optional<std::string> ReadReason(const json& body, bool required) {
  const json* value = feeds::FindMember(body, "reason");
  if (value == nullptr || value->is_null()) {
    if (!required) return std::nullopt;
    throw ApiError(422, "invalid_field", "missing reason: expected a string",
                   "reason");
  }
  const bool valid =
      value->is_string() && !value->get<std::string>().empty() &&
      value->get<std::string>().size() <= kMaxReasonBytes &&
      value->get<std::string>().find_first_not_of(" \t") != std::string::npos &&
      !feeds::HasControlCharacter(value->get<std::string>());
  if (!valid) {
    throw ApiError(422, "invalid_field",
                   "invalid reason " + feeds::JsonValueText(*value) +
                       ": expected a non-blank string of at most " +
                       std::to_string(kMaxReasonBytes) +
                       " bytes without control characters",
                   "reason");
  }
  return value->get<std::string>();
}

void CheckKnownFields(const json& body,
                      std::initializer_list<std::string_view> known) {
  for (const auto& [key, value] : body.items()) {
    bool is_known = false;
    for (std::string_view name : known) is_known = is_known || key == name;
    if (!is_known) {
      throw ApiError(422, "invalid_field", "unknown field " + key, key);
    }
  }
}

void SetSettlement(RouteContext& context, const httplib::Request& request,
                   httplib::Response& response) {
  const json body = ParseJsonObject(request.body);
  CheckKnownFields(body, {"enabled", "reason"});
  const json* enabled = feeds::FindMember(body, "enabled");
  if (enabled == nullptr || !enabled->is_boolean()) {
    throw ApiError(422, "invalid_field",
                   enabled == nullptr
                       ? "missing enabled: expected true or false"
                       : "invalid enabled " + feeds::JsonValueText(*enabled) +
                             ": expected true or false",
                   "enabled");
  }
  const bool requested = enabled->get<bool>();
  const std::optional<std::string> reason = ReadReason(body, false);

  std::lock_guard lock(context.flag_mutex);
  const bool previous = context.worker.enabled();
  if (previous != requested) {
    // The audit row is written first: a flip that cannot be recorded does
    // not happen.
    AuditEvent event;
    event.entity = "settlement_flag";
    event.old_status = FlagName(previous);
    event.new_status = FlagName(requested);
    event.reason = reason.value_or("set through the admin API");
    event.at = context.clock.NowSeconds();
    event.rules_version = kRulesVersion;
    {
      auto store = context.write_stores.Acquire();
      std::unique_ptr<Transaction> transaction = store->Begin();
      transaction->AppendAudit(std::span<AuditEvent>(&event, 1));
      transaction->Commit();
    }
    context.worker.SetEnabled(requested);
    LogEvent(spdlog::level::warn, "settlement_flag_changed",
             "settlement switched " + std::string(requested ? "on" : "off") +
                 " through the admin API",
             {{"worker_id", context.worker.id()},
              {"from", FlagName(previous)},
              {"to", FlagName(requested)},
              {"reason", event.reason},
              {"remote_addr", request.remote_addr}});
  }
  SendJson(response, 200,
           {{"feature_enabled", requested},
            {"previous", previous},
            {"changed", previous != requested}});
}

void SettleNow(RouteContext& context, httplib::Response& response) {
  std::optional<CycleReport> report =
      context.worker.RunCycleNow(kAdminSettleTimeout);
  if (!report) {
    throw ApiError(503, "unavailable",
                   "no settlement cycle completed: the worker is stopping or "
                   "the cycle is still running after " +
                       std::to_string(kAdminSettleTimeout.count()) + " s");
  }
  switch (report->outcome) {
    case CycleOutcome::kDisabled:
      throw ApiError(409, "settlement_disabled",
                     "settlement is disabled; enable it with POST "
                     "/v1/admin/settlement {\"enabled\": true}");
    case CycleOutcome::kSkipped:
      throw ApiError(503, "circuit_open",
                     "the circuit breaker is open, so the cycle was skipped; "
                     "GET /health/settlement shows when it opened");
    case CycleOutcome::kFailed:
      throw ApiError(500, "cycle_failed",
                     "the settlement cycle failed: " + report->error);
    case CycleOutcome::kCompleted:
      break;
  }
  json body = SummaryToJson(report->summary);
  body["cycle"] = report->number;
  body["games"] = report->games_attempted;
  SendJson(response, 200, body);
}

void VoidGame(RouteContext& context, const httplib::Request& request,
              httplib::Response& response) {
  const std::string id = request.matches[1];
  const json body = ParseJsonObject(request.body);
  CheckKnownFields(body, {"reason"});
  const std::string reason = *ReadReason(body, true);
  if (!context.worker.enabled()) {
    throw ApiError(409, "settlement_disabled",
                   "settlement is disabled, and voiding a game settles its "
                   "legs; enable settlement first");
  }

  auto store = context.write_stores.Acquire();
  std::optional<Game> game = store->GetGame(id);
  if (!game) {
    throw ApiError(404, "not_found",
                   "game " + QuoteForMessage(id) + " not found", "id");
  }
  if (!game->void_reason.empty()) {
    throw ApiError(
        409, "already_voided",
        "game \"" + id + "\" is already voided (" + game->void_reason + ")",
        "id");
  }
  Engine engine(*store, context.clock, context.config.lifecycle);
  SettleSummary summary = engine.VoidGame(id, reason);
  context.metrics.AddSettled(summary);
  RecordActivity(*store, context.worker.id(),
                 ActivityOf(summary, 1, false, context.clock.NowSeconds()),
                 context.metrics);
  LogEvent(spdlog::level::warn, "game_voided",
           "game voided through the admin API",
           {{"game_id", id},
            {"reason", reason},
            {"legs_voided", summary.legs_settled()},
            {"parlays_settled", summary.parlays_settled()},
            {"remote_addr", request.remote_addr}});
  json result = {{"game", GameToJson(*store->GetGame(id))},
                 {"legs_voided", summary.legs_settled()},
                 {"parlays_settled", summary.parlays_settled()}};
  SendJson(response, 200, result);
}

void ResettleGame(RouteContext& context, const httplib::Request& request,
                  httplib::Response& response) {
  const std::string id = request.matches[1];
  std::optional<std::string> reason;
  if (!request.body.empty()) {
    const json body = ParseJsonObject(request.body);
    CheckKnownFields(body, {"reason"});
    reason = ReadReason(body, false);
  }
  if (!context.worker.enabled()) {
    throw ApiError(409, "settlement_disabled",
                   "settlement is disabled, and re-settling a game settles "
                   "its legs; enable settlement first");
  }

  auto store = context.write_stores.Acquire();
  if (!store->GetGame(id)) {
    throw ApiError(404, "not_found",
                   "game " + QuoteForMessage(id) + " not found", "id");
  }
  Engine engine(*store, context.clock, context.config.lifecycle);
  const SettleSummary summary = engine.ResettleGame(id);
  context.metrics.AddSettled(summary);
  RecordActivity(*store, context.worker.id(),
                 ActivityOf(summary, 1, false, context.clock.NowSeconds()),
                 context.metrics);
  if (!summary.failures.empty()) {
    // The corrections are committed; settling the pending legs was rolled
    // back, and a retry settles them.
    throw StoreError("settling the pending legs of game \"" + id +
                     "\" failed: " + summary.failures.front().error);
  }
  LogEvent(spdlog::level::warn, "game_resettled",
           "game re-settled through the admin API",
           {{"game_id", id},
            {"reason", reason ? nlohmann::ordered_json(*reason)
                              : nlohmann::ordered_json(nullptr)},
            {"legs_corrected", summary.legs_corrected},
            {"parlays_corrected", summary.parlays_corrected},
            {"legs_settled", summary.legs_settled()},
            {"parlays_settled", summary.parlays_settled()},
            {"remote_addr", request.remote_addr}});
  SendJson(response, 200,
           {{"game", GameToJson(*store->GetGame(id))},
            {"legs_corrected", summary.legs_corrected},
            {"parlays_corrected", summary.parlays_corrected},
            {"legs_settled", summary.legs_settled()},
            {"parlays_settled", summary.parlays_settled()}});
}

}  // namespace

bool AuthorizeAdmin(const RouteContext& context,
                    const httplib::Request& request,
                    httplib::Response& response) {
  if (request.path != "/v1/admin" && !request.path.starts_with("/v1/admin/")) {
    return true;
  }
  SetCurrentRoute("/v1/admin/*");
  if (context.config.admin_token.empty()) {
    SendError(response, 403, "forbidden",
              "admin routes are disabled: no SETTLEMENT_ADMIN_TOKEN is "
              "configured");
    return false;
  }
  if (!request.has_header("Authorization")) {
    RejectUnauthorized(response,
                       "missing Authorization header: expected Bearer "
                       "<SETTLEMENT_ADMIN_TOKEN>");
    return false;
  }
  const std::string header = request.get_header_value("Authorization");
  constexpr std::string_view kScheme = "Bearer ";
  const bool bearer =
      header.size() > kScheme.size() &&
      strncasecmp(header.c_str(), kScheme.data(), kScheme.size()) == 0;
  if (!bearer || !TokensEqual(std::string_view(header).substr(kScheme.size()),
                              context.config.admin_token)) {
    LogEvent(spdlog::level::warn, "admin_auth_rejected",
             "admin request with a missing or wrong token rejected",
             {{"path", request.path}, {"remote_addr", request.remote_addr}});
    RejectUnauthorized(response, "invalid admin token");
    return false;
  }
  return true;
}

void RegisterAdminRoutes(Router& router, RouteContext& context) {
  router.Post(
      "/v1/admin/settlement",
      [&context](const httplib::Request& request, httplib::Response& response) {
        SetSettlement(context, request, response);
      });
  router.Post("/v1/admin/settle",
              [&context](const httplib::Request&, httplib::Response& response) {
                SettleNow(context, response);
              });
  router.Post(
      "/v1/admin/games/{id}/void",
      [&context](const httplib::Request& request, httplib::Response& response) {
        VoidGame(context, request, response);
      });
  router.Post(
      "/v1/admin/games/{id}/resettle",
      [&context](const httplib::Request& request, httplib::Response& response) {
        ResettleGame(context, request, response);
      });
}

}  // namespace parlay::service
