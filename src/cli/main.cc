// parlay-settler: command-line entry point.

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <optional>

#include "cli/commands.h"
#include "cli/feed_commands.h"
#include "feeds/import.h"
#include "service/serve_command.h"
#include "store/store.h"

namespace {

using namespace parlay::cli;

// Logs go to stderr so that stdout carries only command output.
void SetUpLogging(const std::string& level) {
  auto logger = spdlog::stderr_color_mt("parlay-settler");
  spdlog::set_default_logger(logger);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc);
  spdlog::set_level(spdlog::level::from_str(level));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "parlay-settler: grades sports parlays from final scores and records "
      "exact payouts"};
  app.require_subcommand(1);
  // Global options such as --db may also follow the subcommand.
  app.fallthrough();
  std::string db = "parlay-settler.db";
  std::string log_level = "warn";
  app.add_option("--db", db,
                 "SQLite database file, or a postgresql:// URL")->capture_default_str();
  app.add_option("--log-level", log_level,
                 "trace, debug, info, warn, error, critical or off")
      ->capture_default_str()
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error",
                             "critical", "off"}));

  std::function<int()> run;
  bool skip_invalid = false;
  std::vector<std::string> files;

  CLI::App* import = app.add_subcommand("import", "Import games or parlays");
  import->require_subcommand(1);
  import->fallthrough();
  CLI::App* import_games =
      import->add_subcommand("games", "Import games (JSON array or lines)");
  import_games->add_option("files", files, "Input files")->required();
  import_games->add_flag("--skip-invalid", skip_invalid,
                         "Import the valid records and report the rest");
  import_games->callback(
      [&] { run = [&] { return ImportGamesCommand(db, files, skip_invalid); }; });

  CLI::App* import_parlays =
      import->add_subcommand("parlays", "Import parlays (JSON array or lines)");
  import_parlays->add_option("files", files, "Input files")->required();
  import_parlays->add_flag("--skip-invalid", skip_invalid,
                           "Import the valid records and report the rest");
  import_parlays->callback([&] {
    run = [&] { return ImportParlaysCommand(db, files, skip_invalid); };
  });

  std::string nfl_file;
  std::string teams_file;
  CLI::App* import_nfl = import->add_subcommand(
      "nfl-csv", "Import games from the NFL history CSV (spreadspoke format)");
  import_nfl->add_option("file", nfl_file, "spreadspoke_scores.csv")
      ->required();
  import_nfl->add_option("--teams", teams_file,
                         "nfl_teams.csv (default: beside the scores file)");
  import_nfl->add_flag("--skip-invalid", skip_invalid,
                       "Import the valid rows and report the rest");
  import_nfl->callback([&] {
    run = [&] {
      return ImportNflCsvCommand(db, nfl_file, teams_file, skip_invalid);
    };
  });

  bool dry_run = false;
  std::string format = "text";
  int batch_games = 256;
  std::optional<int64_t> transaction_legs;
  int max_games = 0;
  CLI::App* settle = app.add_subcommand(
      "settle", "Settle every gradable game once and print a summary");
  settle->add_flag("--dry-run", dry_run,
                   "Grade and derive, print the summary, write nothing");
  settle->add_option("--format", format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  settle->add_option("--batch-games", batch_games,
                     "Games read, graded and written at a time")
      ->check(CLI::Range(1, 10'000))
      ->capture_default_str();
  settle->add_option("--transaction-legs", transaction_legs,
                     "Commit once a transaction has settled this many legs "
                     "(0: after every batch; default 500000 on SQLite, 0 on "
                     "PostgreSQL)")
      ->check(CLI::Range(int64_t{0}, int64_t{100'000'000}));
  settle->add_option("--max-games", max_games,
                     "Games settled in this pass (0: no limit)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  settle->callback([&] {
    run = [&] {
      return SettleCommand(
          db, dry_run, format, batch_games,
          transaction_legs.value_or(DefaultTransactionLegs(db)), max_games);
    };
  });

  std::string status;
  std::string account;
  int limit = 1000;
  CLI::App* parlays = app.add_subcommand("parlays", "List parlays");
  parlays->add_option("--status", status,
                      "PENDING, WON, LOST, PUSH or VOID");
  parlays->add_option("--account", account, "Only this account's parlays");
  parlays->add_option("--limit", limit, "Maximum number of parlays")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  parlays->add_option("--format", format, "table or json")
      ->check(CLI::IsMember({"table", "json", "text"}));
  parlays->callback([&] {
    run = [&] { return ParlaysCommand(db, status, account, limit, format); };
  });

  std::string id;
  CLI::App* parlay = app.add_subcommand(
      "parlay", "Show one parlay with its legs, reasons and audit trail");
  parlay->add_option("id", id, "Parlay id")->required();
  parlay->add_option("--format", format, "text or json")
      ->check(CLI::IsMember({"text", "json"}));
  parlay->callback([&] { run = [&] { return ParlayCommand(db, id, format); }; });

  CLI::App* games = app.add_subcommand("games", "List games");
  games->add_option("--status", status,
                    "scheduled, in_progress, final, suspended, postponed or "
                    "cancelled");
  games->add_option("--format", format, "table or json")
      ->check(CLI::IsMember({"table", "json", "text"}));
  int games_limit = 0;
  games->add_option("--limit", games_limit,
                    "Maximum number of games (0: every game)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  games->callback([&] {
    run = [&] { return GamesCommand(db, status, format, games_limit); };
  });

  std::string reason;
  CLI::App* void_game = app.add_subcommand(
      "void-game", "Cancel a game and void its pending legs");
  void_game->add_option("id", id, "Game id")->required();
  void_game->add_option("--reason", reason, "Why the game is voided")
      ->required();
  void_game->callback(
      [&] { run = [&] { return VoidGameCommand(db, id, reason); }; });

  int64_t after = 0;
  CLI::App* events = app.add_subcommand(
      "events", "Print outbox events as JSON lines, in order");
  events->add_option("--after", after,
                     "Print events with a sequence number above this")
      ->capture_default_str();
  int events_limit = 0;
  events->add_option("--limit", events_limit,
                     "Maximum number of events (0: every event)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  events->callback(
      [&] { run = [&] { return EventsCommand(db, after, events_limit); }; });

  DemoOptions demo;
  CLI::App* demo_command = app.add_subcommand(
      "demo",
      "Build a database from real NFL seasons, place deterministic parlays "
      "at the closing lines, settle them and print the summary");
  demo_command->add_option("--data", demo.data_dir,
                           "Folder with spreadspoke_scores.csv and "
                           "nfl_teams.csv")
      ->capture_default_str();
  demo_command->add_option("--from-season", demo.first_season)
      ->capture_default_str();
  demo_command->add_option("--to-season", demo.last_season)
      ->capture_default_str();
  demo_command->add_option("--parlays", demo.parlays, "Parlays to place")
      ->check(CLI::Range(1, 10'000'000))
      ->capture_default_str();
  demo_command->add_option("--max-legs", demo.max_legs, "Legs per parlay")
      ->check(CLI::Range(1, 12))
      ->capture_default_str();
  demo_command->add_option("--seed", demo.seed, "Seed of the parlay generator")
      ->capture_default_str();
  demo_command->add_flag("--fresh", demo.fresh,
                         "Delete the database file first if it exists");
  demo_command->add_flag("--no-settle{false}", demo.settle,
                         "Load the games and parlays but settle nothing, "
                         "e.g. for `serve` to settle");
  demo_command->add_option("--format", demo.format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  demo_command->callback([&] { run = [&] { return DemoCommand(db, demo); }; });

  parlay::service::AddServeCommand(app, run, db, log_level);
  parlay::cli::AddFeedCommands(app, run, db);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    int code = app.exit(error);
    return code == 0 ? kExitOk : kExitInvalid;
  }

  SetUpLogging(log_level);
  try {
    return run();
  } catch (const UsageError& error) {
    std::cerr << "error: " << error.what() << "\n";
    return kExitInvalid;
  } catch (const parlay::ImportError& error) {
    std::cerr << "error: " << error.what() << "\n";
    return kExitInvalid;
  } catch (const std::exception& error) {
    std::cerr << "error: " << error.what() << "\n";
    return kExitFailure;
  }
}
