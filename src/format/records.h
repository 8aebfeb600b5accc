// JSON and text renderings of stored records and settlement summaries,
// shared by the CLI and the HTTP API. The JSON shapes are documented in
// docs/formats.md and are stable: fields are only ever added.

#ifndef PARLAY_FORMAT_RECORDS_H_
#define PARLAY_FORMAT_RECORDS_H_

#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>

#include "engine/settlement.h"
#include "rules/model.h"
#include "store/store.h"

namespace parlay {

nlohmann::json GameToJson(const Game& game);
// One leg as ParlayToJson lists it. "home_score" and "away_score" are the
// scores its grade used.
nlohmann::json LegToJson(const Leg& leg);
nlohmann::json ParlayToJson(const Parlay& parlay);
nlohmann::json AuditEventToJson(const AuditEvent& event);
nlohmann::json OutboxEventToJson(const OutboxEvent& event);
nlohmann::json SummaryToJson(const SettleSummary& summary);

// Returns `text` as a JSON string literal, quotes included, for messages
// that name an id. Control characters such as NUL and newline are escaped,
// and invalid UTF-8 becomes U+FFFD.
std::string QuoteForMessage(std::string_view text);

// "USD 69.57"; amounts of unknown currencies print as minor units.
std::string FormatMoney(int64_t minor, const std::string& currency);

// A multi-line summary for a terminal.
std::string SummaryToText(const SettleSummary& summary);

// Fixed-width tables, one row per record, with a header line.
std::string GamesToTable(std::span<const Game> games);
std::string ParlaysToTable(std::span<const Parlay> parlays);

// A parlay with its legs and reasons, for `parlay ID`.
std::string ParlayToText(const Parlay& parlay);

}  // namespace parlay

#endif  // PARLAY_FORMAT_RECORDS_H_
