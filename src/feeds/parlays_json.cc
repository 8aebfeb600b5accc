// ImportParlays: the parlays JSON format (docs/formats.md).

#include <spdlog/spdlog.h>

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "feeds/import.h"
#include "feeds/import_internal.h"
#include "feeds/json_records.h"
#include "feeds/record_import.h"
#include "rules/grading.h"
#include "rules/line.h"
#include "rules/money.h"
#include "rules/odds.h"
#include "rules/parlay.h"
#include "rules/types.h"
#include "util/time.h"

namespace parlay {
namespace {

using feeds::RecordChecker;
using nlohmann::json;

constexpr std::string_view kParlayFields[] = {"id",       "account",   "stake",
                                              "currency", "placed_at", "legs"};

constexpr std::string_view kLegFields[] = {"game", "market", "selection",
                                           "line", "odds",   "period"};

constexpr std::string_view kMarketNames[] = {
    "moneyline",  "moneyline_3way", "spread",    "total",
    "team_total", "draw_no_bet",    "to_advance"};

constexpr std::string_view kPeriodNames[] = {
    "game", "regulation", "first_half", "q1", "q2", "q3", "q4"};

// The data from the store and from earlier records that checking a parlay
// needs.
struct Context {
  const std::map<std::string, Game>& games;  // stored games, by id
  const std::set<std::string>& stored_parlay_ids;
  const ParlayLimits& limits;
  int64_t now = 0;
  // The first record with each parlay id: "parlays.json record 2".
  std::map<std::string, std::string> first_record_with_id;
};

// Describes the selections a market takes on `game`, naming both teams.
std::string SelectionDescription(Market market, const Game& game) {
  const std::string teams =
      "\"" + game.home + "\" (home) or \"" + game.away + "\" (away)";
  switch (market) {
    case Market::kMoneyline:
    case Market::kSpread:
    case Market::kDrawNoBet:
    case Market::kToAdvance:
      return "\"home\", \"away\" or a team of game " + game.id + ": " + teams;
    case Market::kMoneyline3Way:
      return "\"home\", \"away\", \"draw\" or a team of game " + game.id +
             ": " + teams;
    case Market::kTotal:
      return "\"over\" or \"under\" (game " + game.id + ": " + teams + ")";
    case Market::kTeamTotal:
      return "\"home_over\", \"home_under\", \"away_over\" or "
             "\"away_under\" (game " +
             game.id + ": " + teams + ")";
  }
  return "";
}

// Reads a decimal quantity that must be a JSON string, so that its text is
// kept exactly as written. Returns nullopt, with a problem added, when it is
// not a string. `description` describes the expected value.
std::optional<std::string> ReadDecimalText(const json& value,
                                           const std::string& field,
                                           const std::string& description,
                                           RecordChecker& check) {
  if (value.is_string()) return value.get<std::string>();
  check.Invalid(
      field, value,
      description + ", as a string, not " + feeds::JsonTypeName(value));
  return std::nullopt;
}

std::optional<Odds> ReadOdds(const json& leg, const std::string& prefix,
                             RecordChecker& check) {
  const std::string field = prefix + "odds";
  const std::string description =
      "odds: American such as \"-110\" or \"+150\", or decimal such as "
      "\"1.91\"";
  const json* value = feeds::FindMember(leg, "odds");
  if (value == nullptr) {
    check.Missing(field, description);
    return std::nullopt;
  }
  const std::optional<std::string> text =
      ReadDecimalText(*value, field, description, check);
  if (!text) return std::nullopt;
  Result<Odds> odds = ParseOdds(*text);
  if (!odds.ok()) {
    check.Invalid(field, *value,
                  description + " (" + feeds::ReasonOf(odds.error()) + ")");
    return std::nullopt;
  }
  if (!IsPlaceableOdds(odds.value())) {
    check.Invalid(field, *value, std::string(kPlaceableOddsRange));
    return std::nullopt;
  }
  return odds.value();
}

// Reads the optional line. Sets `*valid` to false after adding a problem.
std::optional<Line> ReadLine(const json& leg, const std::string& prefix,
                             RecordChecker& check, bool* valid) {
  const json* value = feeds::FindMember(leg, "line");
  if (value == nullptr || value->is_null()) return std::nullopt;
  const std::string field = prefix + "line";
  const std::string description =
      "a line in points, a multiple of 0.25 such as \"-4.5\" or \"47.5\"";
  const std::optional<std::string> text =
      ReadDecimalText(*value, field, description, check);
  if (!text) {
    *valid = false;
    return std::nullopt;
  }
  Result<Line> line = ParseLine(*text);
  if (!line.ok()) {
    check.Invalid(field, *value,
                  description + " (" + feeds::ReasonOf(line.error()) + ")");
    *valid = false;
    return std::nullopt;
  }
  return line.value();
}

std::optional<Market> ReadMarket(const json& leg, const std::string& prefix,
                                 RecordChecker& check) {
  const std::string field = prefix + "market";
  const std::string expected = "one of " + feeds::JoinNames(kMarketNames, "or");
  const json* value = feeds::FindMember(leg, "market");
  if (value == nullptr) {
    check.Missing(field, expected);
    return std::nullopt;
  }
  std::optional<Market> market;
  if (value->is_string()) market = ParseMarket(value->get<std::string>());
  if (!market) check.Invalid(field, *value, expected);
  return market;
}

// Reads the optional period; absent or null means the whole game. An
// invalid period adds a problem and reads as the whole game.
Period ReadPeriod(const json& leg, const std::string& prefix,
                  RecordChecker& check) {
  const json* value = feeds::FindMember(leg, "period");
  if (value == nullptr || value->is_null()) return Period::kGame;
  std::optional<Period> period;
  if (value->is_string()) period = ParsePeriod(value->get<std::string>());
  if (!period) {
    check.Invalid(prefix + "period", *value,
                  "one of " + feeds::JoinNames(kPeriodNames, "or"));
    return Period::kGame;
  }
  return *period;
}

// Checks that the line fits the market, with a message naming the leg.
// Returns false after adding a problem.
bool CheckLineForMarket(Market market, const std::optional<Line>& line,
                        const std::string& prefix, RecordChecker& check) {
  const bool takes_line = market == Market::kSpread ||
                          market == Market::kTotal ||
                          market == Market::kTeamTotal;
  const std::string market_name(ToString(market));
  if (takes_line && !line) {
    check.Missing(prefix + "line",
                  "a line for a " + market_name + " leg, such as " +
                      (market == Market::kSpread ? "\"-4.5\"" : "\"47.5\""));
    return false;
  }
  if (!takes_line && line) {
    check.InvalidText(prefix + "line", FormatLine(*line, true),
                      "no line on a " + market_name + " leg");
    return false;
  }
  if ((market == Market::kTotal || market == Market::kTeamTotal) &&
      line->quarters <= 0) {
    check.InvalidText(prefix + "line", FormatLine(*line, false),
                      "a total line above 0");
    return false;
  }
  return true;
}

// Reads legs[index]. Returns nullopt when it has any problem.
std::optional<Leg> ReadLeg(const json& value, size_t index,
                           const Context& context, RecordChecker& check) {
  const std::string prefix = "legs[" + std::to_string(index) + "].";
  if (!value.is_object()) {
    check.Invalid(
        prefix.substr(0, prefix.size() - 1), value,
        "a leg object with the fields " + feeds::JoinNames(kLegFields, "and"));
    return std::nullopt;
  }
  const int problems_before = check.count();
  check.CheckKnownFields(value, prefix, kLegFields);

  const std::optional<std::string> game_id =
      check.RequiredText(value, prefix, "game", "the id of a stored game");
  const std::optional<Market> market = ReadMarket(value, prefix, check);
  // Selections compare ignoring case and spacing, so surrounding spaces
  // are trimmed here instead of rejected as in other text fields.
  json trimmed_leg = value;
  if (const json* raw = feeds::FindMember(value, "selection");
      raw != nullptr && raw->is_string()) {
    std::string text = raw->get<std::string>();
    const size_t first = text.find_first_not_of(" \t");
    const size_t last = text.find_last_not_of(" \t");
    trimmed_leg["selection"] = first == std::string::npos
                                   ? std::string()
                                   : text.substr(first, last - first + 1);
  }
  const std::optional<std::string> selection_text = check.RequiredText(
      trimmed_leg, prefix, "selection",
      "\"home\", \"away\", \"draw\", \"over\", \"under\" or a team name");
  bool line_valid = true;
  const std::optional<Line> line = ReadLine(value, prefix, check, &line_valid);
  const std::optional<Odds> odds = ReadOdds(value, prefix, check);
  const Period period = ReadPeriod(value, prefix, check);

  const Game* game = nullptr;
  if (game_id) {
    const auto it = context.games.find(*game_id);
    if (it == context.games.end()) {
      check.Invalid(prefix + "game", *game_id,
                    "the id of a stored game (no game has this id; import "
                    "the games first)");
    } else {
      game = &it->second;
    }
  }
  if (market && line_valid) CheckLineForMarket(*market, line, prefix, check);

  std::optional<Selection> selection;
  if (game != nullptr && market && selection_text) {
    Result<Selection> resolved =
        ResolveSelection(*market, *selection_text, game->home, game->away);
    if (resolved.ok()) {
      selection = resolved.value();
    } else {
      check.InvalidText(prefix + "selection", *selection_text,
                        SelectionDescription(*market, *game));
    }
  }
  if (check.count() != problems_before) return std::nullopt;

  // The checks above cover the rules' conditions with clearer messages.
  // This call keeps a rule added to ValidateLegTerms later from being
  // bypassed here.
  Result<LegTerms> terms =
      ValidateLegTerms(LegTerms{*market, *selection, line, period});
  if (!terms.ok()) {
    check.Add(prefix.substr(0, prefix.size() - 1), terms.error(),
              "a leg whose market, selection and line fit together");
    return std::nullopt;
  }

  Leg leg;
  leg.index = static_cast<int>(index);
  leg.game_id = *game_id;
  leg.market = *market;
  leg.selection = *selection;
  leg.selection_text = *selection_text;
  leg.line = line;
  leg.period = period;
  leg.odds = *odds;
  return leg;
}

// Reads the stake once the currency is known. Returns nullopt, with a
// problem added, when it is missing or invalid.
std::optional<int64_t> ReadStake(const json& object,
                                 const std::optional<std::string>& currency,
                                 const ParlayLimits& limits,
                                 RecordChecker& check) {
  std::optional<int> exponent;
  if (currency) exponent = CurrencyExponent(*currency);
  std::string description = "a stake above 0 such as \"10.00\"";
  if (exponent == 0) {
    description =
        "a stake above 0 in " + *currency + ", a whole number such as \"10\"";
  } else if (exponent) {
    description = "a stake above 0 in " + *currency + " with at most " +
                  std::to_string(*exponent) + " decimals, such as \"10." +
                  std::string(*exponent, '0') + "\"";
  }
  const json* value = feeds::FindMember(object, "stake");
  if (value == nullptr) {
    check.Missing("stake", description);
    return std::nullopt;
  }
  const std::optional<std::string> text =
      ReadDecimalText(*value, "stake", description, check);
  // Without a valid currency the stake's decimals cannot be checked, and
  // the currency's own problem is reported instead.
  if (!text || !exponent) return std::nullopt;
  Result<int64_t> amount = ParseAmount(*text, *exponent);
  if (!amount.ok()) {
    check.Invalid("stake", *value,
                  description + " (" + feeds::ReasonOf(amount.error()) + ")");
    return std::nullopt;
  }
  if (amount.value() == 0) {
    check.Invalid("stake", *value, description);
    return std::nullopt;
  }
  // The limit in minor units; the configuration caps max_stake_units so
  // that this product fits in int64_t.
  int64_t max_stake_minor = limits.max_stake_units;
  for (int i = 0; i < *exponent; ++i) max_stake_minor *= 10;
  if (amount.value() > max_stake_minor) {
    check.Invalid("stake", *value,
                  "a stake of at most " +
                      FormatAmount(max_stake_minor, *exponent) + " " +
                      *currency + ", the configured maximum stake");
    return std::nullopt;
  }
  return amount.value();
}

std::optional<std::string> ReadCurrency(const json& object,
                                        RecordChecker& check) {
  const std::string description =
      "an ISO 4217 currency code that this service settles in, such as "
      "\"USD\"";
  std::optional<std::string> currency =
      check.RequiredText(object, "", "currency", description);
  if (currency && !CurrencyExponent(*currency)) {
    check.InvalidText("currency", *currency, description);
    return std::nullopt;
  }
  return currency;
}

std::optional<std::vector<Leg>> ReadLegs(const json& object,
                                         const Context& context,
                                         RecordChecker& check) {
  const size_t max_legs = context.limits.max_legs;
  const std::string expected =
      "an array of 1 to " + std::to_string(max_legs) + " leg objects";
  const json* legs = feeds::FindMember(object, "legs");
  if (legs == nullptr) {
    check.Missing("legs", expected);
    return std::nullopt;
  }
  if (!legs->is_array() || legs->empty() || legs->size() > max_legs) {
    check.Invalid("legs", *legs, expected);
    return std::nullopt;
  }
  std::vector<Leg> result;
  bool valid = true;
  for (size_t i = 0; i < legs->size(); ++i) {
    std::optional<Leg> leg = ReadLeg((*legs)[i], i, context, check);
    if (!leg) {
      valid = false;
      continue;
    }
    for (const Leg& earlier : result) {
      if (earlier.game_id == leg->game_id && earlier.market == leg->market &&
          earlier.period == leg->period) {
        check.InvalidText("legs[" + std::to_string(i) + "].market",
                          ToString(leg->market),
                          "at most one leg per game, market and period "
                          "(legs[" +
                              std::to_string(earlier.index) + "] is also " +
                              std::string(ToString(leg->market)) + " on game " +
                              leg->game_id + ")");
        valid = false;
        break;
      }
    }
    result.push_back(std::move(*leg));
  }
  if (!valid) return std::nullopt;
  return result;
}

void CheckParlayId(const std::string& id, const std::string& file,
                   const feeds::JsonRecord& record, Context& context,
                   RecordChecker& check) {
  const auto [first, inserted] = context.first_record_with_id.emplace(
      id, file + " record " + std::to_string(record.number));
  if (!inserted) {
    check.AddWithValue(
        "id", "duplicate id", id,
        "an id used by one record only (" + first->second + " has it too)");
  }
  if (context.stored_parlay_ids.contains(id)) {
    check.AddWithValue("id", "duplicate id", id,
                       "an id not already stored (a parlay with this id "
                       "exists)");
  }
}

// Reads one parlay record. Returns nullopt when it has any problem.
std::optional<Parlay> ReadParlay(const std::string& file,
                                 const feeds::JsonRecord& record,
                                 Context& context, RecordChecker& check) {
  const json& object = record.value;
  if (!object.is_object()) {
    check.Invalid("", object,
                  "a JSON object with the fields " +
                      feeds::JoinNames(kParlayFields, "and") + ", not " +
                      feeds::JsonTypeName(object));
    return std::nullopt;
  }
  check.CheckDuplicateKeys();
  check.CheckKnownFields(object, "", kParlayFields);

  const std::optional<std::string> id =
      check.RequiredText(object, "", "id", "a parlay id such as \"t-1\"");
  if (id) {
    feeds::CheckIdHasNoSlash(*id, check);
    CheckParlayId(*id, file, record, context, check);
  }
  const std::optional<std::string> account = check.RequiredText(
      object, "", "account", "an account id such as \"a-42\"");
  const std::optional<std::string> currency = ReadCurrency(object, check);
  const std::optional<int64_t> stake = ReadStake(object, currency, context.limits, check);

  int64_t placed_at = context.now;
  const json* placed = feeds::FindMember(object, "placed_at");
  if (placed != nullptr && !placed->is_null()) {
    Result<int64_t> time = placed->is_string()
                               ? ParseIso8601(placed->get<std::string>())
                               : Result<int64_t>(Error{"not a string"});
    if (time.ok()) {
      placed_at = time.value();
    } else {
      check.Invalid("placed_at", *placed,
                    "an ISO 8601 time such as \"2023-09-07T18:00:00Z\", or "
                    "null for the time of the import");
    }
  }
  std::optional<std::vector<Leg>> legs = ReadLegs(object, context, check);
  if (!check.ok()) return std::nullopt;

  std::vector<Odds> odds;
  for (const Leg& leg : *legs) odds.push_back(leg.odds);
  if (!MaxPayoutMinor(*stake, odds)) {
    check.Invalid("stake", object.at("stake"),
                  "a stake whose payout, if every leg wins, stays within " +
                      FormatAmount(kMaxAmountMinor,
                                   CurrencyExponent(*currency).value_or(0)) +
                      " " + *currency + " (lower the stake or the odds)");
    return std::nullopt;
  }

  Parlay parlay;
  parlay.id = *id;
  parlay.account = *account;
  parlay.stake_minor = *stake;
  parlay.currency = *currency;
  parlay.placed_at = placed_at;
  parlay.legs = std::move(*legs);
  return parlay;
}

}  // namespace

ImportReport ImportParlays(Store& store, std::span<const std::string> files,
                           const ImportOptions& options, const Clock& clock) {
  ImportReport report;
  std::vector<feeds::FileRecords> inputs = feeds::ReadAllRecords(files, report);
  return feeds::ImportParlayRecords(store, inputs, std::move(report), options,
                                    clock);
}

namespace feeds {

void CollectParlayRecordIds(std::span<const feeds::FileRecords> inputs,
                std::vector<std::string>& parlay_ids,
                std::vector<std::string>& game_ids) {
  std::set<std::string> parlays;
  std::set<std::string> games;
  for (const feeds::FileRecords& input : inputs) {
    for (const feeds::JsonRecord& record : input.records) {
      const json& object = record.value;
      if (!object.is_object()) continue;
      const json* id = feeds::FindMember(object, "id");
      if (id != nullptr && id->is_string()) {
        parlays.insert(id->get<std::string>());
      }
      const json* legs = feeds::FindMember(object, "legs");
      if (legs == nullptr || !legs->is_array()) continue;
      for (const json& leg : *legs) {
        if (!leg.is_object()) continue;
        const json* game = feeds::FindMember(leg, "game");
        if (game != nullptr && game->is_string()) {
          games.insert(game->get<std::string>());
        }
      }
    }
  }
  parlay_ids.assign(parlays.begin(), parlays.end());
  game_ids.assign(games.begin(), games.end());
}

std::vector<Parlay> ReadParlayRecords(
    std::span<const FileRecords> inputs,
    const std::map<std::string, Game>& games,
    const std::set<std::string>& stored_parlay_ids, int64_t now,
    const ParlayLimits& limits, ImportReport& report) {
  Context context{games, stored_parlay_ids, limits, now, {}};
  std::vector<Parlay> parlays;
  for (const feeds::FileRecords& input : inputs) {
    for (const feeds::JsonRecord& record : input.records) {
      RecordChecker check(input.file, record, report.problems);
      if (std::optional<Parlay> parlay =
              ReadParlay(input.file, record, context, check)) {
        parlays.push_back(std::move(*parlay));
      }
    }
  }
  return parlays;
}

ImportReport ImportParlayRecords(Store& store,
                                 std::span<const FileRecords> inputs,
                                 ImportReport report,
                                 const ImportOptions& options,
                                 const Clock& clock) {
  std::vector<std::string> files;
  for (const FileRecords& input : inputs) files.push_back(input.file);

  std::vector<std::string> parlay_ids;
  std::vector<std::string> game_ids;
  CollectParlayRecordIds(inputs, parlay_ids, game_ids);
  std::map<std::string, Game> games;
  for (Game& game : store.GetGames(game_ids)) {
    std::string id = game.id;
    games.emplace(std::move(id), std::move(game));
  }
  std::set<std::string> stored_parlay_ids;
  for (std::string& id : store.ExistingParlayIds(parlay_ids)) {
    stored_parlay_ids.insert(std::move(id));
  }

  std::vector<Parlay> parlays =
      ReadParlayRecords(inputs, games, stored_parlay_ids, clock.NowSeconds(),
                        ParlayLimits{}, report);
  feeds::SortProblems(files, report.problems);
  feeds::ThrowIfInvalid(report, options);

  if (!parlays.empty()) store.InsertParlays(parlays);
  report.imported = static_cast<int>(parlays.size());
  spdlog::info("imported {} of {} parlay records from {} files ({} problems)",
               report.imported, report.records, files.size(),
               report.problems.size());
  return report;
}

}  // namespace feeds

}  // namespace parlay
