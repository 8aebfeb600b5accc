#include "cli/commands.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <memory>
#include <span>

#include "engine/settlement.h"
#include "feeds/import.h"
#include "feeds/json_records.h"
#include "format/records.h"
#include "store/store.h"

namespace parlay::cli {
namespace {

std::unique_ptr<Store> Open(const std::string& db) { return OpenStore(db); }

void PrintReport(const std::string& what, const ImportReport& report) {
  std::cout << "imported " << report.imported << " of " << report.records << " "
            << what << "\n";
  if (!report.problems.empty()) {
    std::cout << "skipped " << report.problems.size() << " invalid:\n";
    for (const ImportProblem& problem : report.problems) {
      std::cout << "  " << problem.ToString() << "\n";
    }
  }
}

std::optional<ParlayStatus> ParseParlayStatusOption(const std::string& text) {
  if (text.empty()) return std::nullopt;
  std::optional<ParlayStatus> status = ParseParlayStatus(text);
  if (!status) {
    throw UsageError("invalid --status \"" + text +
                     "\": expected PENDING, WON, LOST, PUSH or VOID");
  }
  return status;
}

std::optional<GameStatus> ParseGameStatusOption(const std::string& text) {
  if (text.empty()) return std::nullopt;
  std::optional<GameStatus> status = ParseGameStatus(text);
  if (!status) {
    throw UsageError("invalid --status \"" + text +
                     "\": expected scheduled, in_progress, final, suspended, "
                     "postponed or cancelled");
  }
  return status;
}

// Reads PARLAY_TEST_SIGKILL_AT=STAGE:N, which makes the process kill
// itself with SIGKILL the Nth time a settlement batch reaches STAGE (a
// SettleOptions::fault_hook stage). The crash tests use it to stop a
// settlement at a chosen point. Without the variable it returns an empty
// hook.
std::function<void(std::string_view, std::span<const std::string>)>
SigkillHookFromEnvironment() {
  const char* value = std::getenv("PARLAY_TEST_SIGKILL_AT");
  if (value == nullptr || *value == '\0') return {};
  const std::string text(value);
  const size_t colon = text.rfind(':');
  int count = 0;
  if (colon != std::string::npos) {
    try {
      count = std::stoi(text.substr(colon + 1));
    } catch (const std::exception&) {
      count = 0;
    }
  }
  if (colon == std::string::npos || colon == 0 || count < 1) {
    throw UsageError("invalid PARLAY_TEST_SIGKILL_AT \"" + text +
                     "\": expected STAGE:N with N >= 1, e.g. "
                     "before_commit:3");
  }
  auto remaining = std::make_shared<int>(count);
  return [stage = text.substr(0, colon), remaining](
             std::string_view reached, std::span<const std::string>) {
    if (reached == stage && --*remaining == 0) raise(SIGKILL);
  };
}

}  // namespace

int ImportGamesCommand(const std::string& db,
                       const std::vector<std::string>& files,
                       bool skip_invalid) {
  std::unique_ptr<Store> store = Open(db);
  ImportReport report = ImportGames(*store, files, {skip_invalid});
  PrintReport("games", report);
  return kExitOk;
}

int ImportParlaysCommand(const std::string& db,
                         const std::vector<std::string>& files,
                         bool skip_invalid) {
  std::unique_ptr<Store> store = Open(db);
  SystemClock clock;
  ImportReport report = ImportParlays(*store, files, {skip_invalid}, clock);
  PrintReport("parlays", report);
  return kExitOk;
}

int ImportNflCsvCommand(const std::string& db, const std::string& file,
                        const std::string& teams, bool skip_invalid) {
  std::string teams_file = teams;
  if (teams_file.empty()) {
    teams_file =
        (std::filesystem::path(file).parent_path() / "nfl_teams.csv").string();
  }
  std::unique_ptr<Store> store = Open(db);
  ImportReport report = ImportNflCsv(*store, file, teams_file, {skip_invalid});
  PrintReport("games", report);
  return kExitOk;
}

int64_t DefaultTransactionLegs(const std::string& db) {
  return IsPostgresUrl(db) ? 0 : kSqliteTransactionLegs;
}

int SettleCommand(const std::string& db, bool dry_run,
                  const std::string& format, int batch_games,
                  int64_t transaction_legs, int max_games) {
  std::unique_ptr<Store> store = Open(db);
  SystemClock clock;
  Engine engine(*store, clock, LifecyclePolicyFromEnvironment());
  SettleOptions options;
  options.dry_run = dry_run;
  options.batch_games = batch_games;
  options.transaction_legs = transaction_legs;
  options.max_games = max_games;
  options.fault_hook = SigkillHookFromEnvironment();
  SettleSummary summary = engine.SettleAll(options);
  if (format == "json") {
    nlohmann::json out = SummaryToJson(summary);
    out["dry_run"] = dry_run;
    std::cout << out.dump(2) << "\n";
  } else {
    if (dry_run) std::cout << "dry run: nothing was written\n";
    std::cout << SummaryToText(summary);
  }
  return summary.failures.empty() ? kExitOk : kExitFailure;
}

int ParlaysCommand(const std::string& db, const std::string& status,
                   const std::string& account, int limit,
                   const std::string& format) {
  ParlayQuery query;
  query.status = ParseParlayStatusOption(status);
  if (!account.empty()) query.account = account;
  query.limit = limit;
  std::unique_ptr<Store> store = Open(db);
  std::vector<Parlay> parlays = store->ListParlays(query);
  if (format == "json") {
    nlohmann::json out = nlohmann::json::array();
    for (const Parlay& parlay : parlays) out.push_back(ParlayToJson(parlay));
    std::cout << out.dump(2) << "\n";
  } else {
    std::cout << ParlaysToTable(parlays);
  }
  return kExitOk;
}

int ParlayCommand(const std::string& db, const std::string& id,
                  const std::string& format) {
  std::unique_ptr<Store> store = Open(db);
  std::optional<Parlay> parlay = store->GetParlay(id);
  if (!parlay) {
    throw UsageError("parlay not found: " + QuoteForMessage(id) +
                     " (list ids with `parlay-settler parlays`)");
  }
  std::vector<AuditEvent> audit = store->ReadAudit(id);
  if (format == "json") {
    nlohmann::json out = ParlayToJson(*parlay);
    out["audit"] = nlohmann::json::array();
    for (const AuditEvent& event : audit) {
      out["audit"].push_back(AuditEventToJson(event));
    }
    std::cout << out.dump(2) << "\n";
  } else {
    std::cout << ParlayToText(*parlay);
    if (!audit.empty()) std::cout << "audit\n";
    for (const AuditEvent& event : audit) {
      std::cout << "  " << FormatIso8601(event.at) << "  " << event.entity
                << (event.leg_index >= 0 ? " " + std::to_string(event.leg_index)
                                         : std::string())
                << "  " << event.old_status << " -> " << event.new_status
                << (event.game_id.empty() ? std::string()
                                          : "  game " + event.game_id)
                << "  " << event.reason << "\n";
    }
  }
  return kExitOk;
}

int GamesCommand(const std::string& db, const std::string& status,
                 const std::string& format, int limit) {
  std::optional<GameStatus> filter = ParseGameStatusOption(status);
  std::unique_ptr<Store> store = Open(db);
  std::vector<Game> games = store->ListGames(filter);
  if (limit > 0 && games.size() > static_cast<size_t>(limit)) {
    games.resize(static_cast<size_t>(limit));
  }
  if (format == "json") {
    nlohmann::json out = nlohmann::json::array();
    for (const Game& game : games) out.push_back(GameToJson(game));
    std::cout << out.dump(2) << "\n";
  } else {
    std::cout << GamesToTable(games);
  }
  return kExitOk;
}

int VoidGameCommand(const std::string& db, const std::string& id,
                    const std::string& reason) {
  if (reason.find_first_not_of(" \t") == std::string::npos) {
    throw UsageError("--reason must not be empty");
  }
  if (feeds::HasControlCharacter(reason)) {
    throw UsageError(
        "--reason must not contain control characters such as "
        "a newline or tab");
  }
  if (!feeds::IsValidUtf8(reason)) {
    throw UsageError(
        "--reason is not valid UTF-8; pass it in a UTF-8 terminal or "
        "locale");
  }
  std::unique_ptr<Store> store = Open(db);
  std::optional<Game> game = store->GetGame(id);
  if (!game) {
    throw UsageError("game not found: " + QuoteForMessage(id) +
                     " (list ids with `parlay-settler games`)");
  }
  if (game->status == GameStatus::kCancelled && !game->void_reason.empty()) {
    throw UsageError("game \"" + id + "\" is already voided (" +
                     game->void_reason + "); its legs keep that reason");
  }
  SystemClock clock;
  Engine engine(*store, clock);
  SettleSummary summary = engine.VoidGame(id, reason);
  std::cout << "voided game " << id << ": " << summary.legs_settled()
            << " legs void, " << summary.parlays_settled()
            << " parlays settled\n";
  return kExitOk;
}

int EventsCommand(const std::string& db, int64_t after, int limit) {
  if (after < 0) {
    throw UsageError("invalid --after " + std::to_string(after) +
                     ": expected a sequence number >= 0");
  }
  std::unique_ptr<Store> store = Open(db);
  // Without a limit, every event after the cursor is printed, a page at a
  // time, so a long outbox is never cut short silently.
  constexpr int kPage = 1000;
  int64_t printed = 0;
  while (limit == 0 || printed < limit) {
    const int page =
        limit == 0
            ? kPage
            : static_cast<int>(std::min<int64_t>(kPage, limit - printed));
    std::vector<OutboxEvent> events = store->ReadOutbox(after, page);
    for (const OutboxEvent& event : events) {
      std::cout << OutboxEventToJson(event).dump() << "\n";
      after = event.seq;
    }
    printed += static_cast<int64_t>(events.size());
    // A short page may end before a broken event, which the next read
    // reports, so only an empty page ends the outbox.
    if (events.empty()) break;
  }
  return kExitOk;
}

int DemoCommand(const std::string& db, const DemoOptions& options) {
  namespace fs = std::filesystem;
  auto started = std::chrono::steady_clock::now();
  if (options.first_season > options.last_season) {
    throw UsageError("--from-season " + std::to_string(options.first_season) +
                     " is after --to-season " +
                     std::to_string(options.last_season));
  }
  std::string scores =
      (fs::path(options.data_dir) / "spreadspoke_scores.csv").string();
  std::string teams = (fs::path(options.data_dir) / "nfl_teams.csv").string();
  // Checked before --fresh deletes anything, so a wrong --data costs nothing.
  for (const std::string& file : {scores, teams}) {
    if (!fs::is_regular_file(file)) {
      throw UsageError("NFL data file " + file +
                       " not found; pass --data with the folder that "
                       "contains spreadspoke_scores.csv and nfl_teams.csv");
    }
  }
  if (options.fresh) {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
      fs::remove(db + suffix);
    }
  }
  std::unique_ptr<Store> store = Open(db);
  if (!store->ListParlays({std::nullopt, std::nullopt, "", 1}).empty()) {
    throw UsageError("database \"" + db +
                     "\" already has parlays; pass --fresh to rebuild it or "
                     "choose another --db");
  }

  ImportReport report;
  std::vector<NflGame> all = ReadNflCsv(scores, teams, report);
  std::vector<NflGame> selected;
  std::vector<Game> games;
  for (const NflGame& game : all) {
    if (game.season < options.first_season ||
        game.season > options.last_season) {
      continue;
    }
    selected.push_back(game);
    games.push_back(game.game);
  }
  if (games.empty()) {
    throw UsageError("no NFL games of seasons " +
                     std::to_string(options.first_season) + "-" +
                     std::to_string(options.last_season) + " in " + scores);
  }
  store->UpsertGames(games);
  std::vector<Parlay> parlays = GenerateNflParlays(
      selected, options.parlays, options.max_legs, options.seed);
  size_t legs = 0;
  for (const Parlay& parlay : parlays) legs += parlay.legs.size();
  store->InsertParlays(parlays);
  auto loaded = std::chrono::steady_clock::now();

  SystemClock clock;
  Engine engine(*store, clock);
  SettleSummary summary;
  if (options.settle) summary = engine.SettleAll();
  double load_seconds = std::chrono::duration<double>(loaded - started).count();

  if (options.format == "json") {
    nlohmann::json out = SummaryToJson(summary);
    out["database"] = db;
    out["seasons"] = {options.first_season, options.last_season};
    out["games"] = games.size();
    out["parlays_placed"] = parlays.size();
    out["legs_placed"] = legs;
    out["csv_rows_skipped"] = report.problems.size();
    out["settled"] = options.settle;
    std::cout << out.dump(2) << "\n";
  } else {
    std::cout << "NFL seasons " << options.first_season << "-"
              << options.last_season << ": " << games.size()
              << " games with real closing lines\n"
              << "placed " << parlays.size() << " parlays with " << legs
              << " legs (seed " << options.seed << "), loaded in "
              << fmt::format("{:.1f}", load_seconds) << " s\n\n"
              << (options.settle ? SummaryToText(summary)
                                 : "not settled (--no-settle): `parlay-settler "
                                   "serve` with FEATURE_SETTLEMENT=true "
                                   "settles them\n")
              << "\ndatabase: " << db << "\nlook around: parlay-settler --db "
              << db << " parlays --status WON --limit 10\n";
  }
  return summary.failures.empty() ? kExitOk : kExitFailure;
}

}  // namespace parlay::cli
