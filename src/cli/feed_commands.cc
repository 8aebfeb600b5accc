#include "cli/feed_commands.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <memory>
#include <thread>

#include "cli/commands.h"
#include "engine/settlement.h"
#include "feeds/feed_poller.h"
#include "feeds/score_feed.h"
#include "format/records.h"
#include "store/store.h"

namespace parlay::cli {
namespace {

std::atomic<bool> stop_requested{false};

extern "C" void RequestStop(int /*signal*/) { stop_requested = true; }

struct FeedOptions {
  std::string provider;
  std::vector<std::string> paths;
  std::string url;
  int interval_seconds = 60;
  int timeout_seconds = 10;
  int attempts = 3;
  int max_polls = 0;
  std::string aliases;
  bool settle = false;
};

FeedProvider ProviderOption(const std::string& text) {
  std::optional<FeedProvider> provider = ParseFeedProvider(text);
  if (!provider) {
    throw UsageError("invalid --provider \"" + text +
                     "\": expected odds-api, espn, games-csv or games-json");
  }
  return *provider;
}

TeamAliases AliasesOption(const std::string& path) {
  TeamAliases aliases = TeamAliasesFromEnvironment();
  if (!path.empty()) aliases.AddFromCsv(path);
  return aliases;
}

void PrintFeedStats(const FeedStats& stats) {
  std::cout << "snapshots applied   " << stats.snapshots << "\n"
            << "snapshots rejected  " << stats.snapshots_rejected << "\n"
            << "events read         " << stats.updates << "\n"
            << "games updated       " << stats.applied << "\n"
            << "unchanged repeats   " << stats.unchanged << "\n"
            << "out of order        " << stats.out_of_order << "\n"
            << "unmatched           " << stats.unmatched << "\n"
            << "unknown status      " << stats.unknown_status << "\n"
            << "final reopened      " << stats.final_reopened << "\n"
            << "operator voided     " << stats.operator_voided << "\n";
}

void PrintCorrections(const SettleSummary& summary) {
  std::cout << "corrections         applied " << summary.corrections_applied
            << "  unchanged " << summary.corrections_unchanged << "  held "
            << summary.corrections_held << "  legs " << summary.legs_corrected
            << "  parlays " << summary.parlays_corrected << "\n";
}

// Settles after a snapshot and adds the pass to `total`.
void SettleInto(Store& store, const Clock& clock, SettleSummary& total) {
  Engine engine(store, clock, LifecyclePolicyFromEnvironment());
  const SettleSummary pass = engine.SettleAll();
  total.games_graded += pass.games_graded;
  for (const auto& [status, count] : pass.legs) total.legs[status] += count;
  for (const auto& [status, count] : pass.parlays) {
    total.parlays[status] += count;
  }
  total.corrections_applied += pass.corrections_applied;
  total.corrections_unchanged += pass.corrections_unchanged;
  total.corrections_held += pass.corrections_held;
  total.legs_corrected += pass.legs_corrected;
  total.parlays_corrected += pass.parlays_corrected;
  total.postponed_games_voided += pass.postponed_games_voided;
  total.games_needing_attention = pass.games_needing_attention;
  for (const GameFailure& failure : pass.failures) {
    total.failures.push_back(failure);
  }
}

int ReplayCommand(const std::string& db, const FeedOptions& options) {
  const FeedProvider provider = ProviderOption(options.provider);
  const TeamAliases aliases = AliasesOption(options.aliases);
  std::unique_ptr<Store> store = OpenStore(db);
  SystemClock clock;
  SettleSummary settled;
  std::vector<ImportProblem> problems;
  const FeedStats stats = ReplayFeedFiles(
      *store, clock, provider, options.paths, aliases, problems, [&] {
        if (options.settle) SettleInto(*store, clock, settled);
      });
  PrintFeedStats(stats);
  if (options.settle) {
    std::cout << "legs settled        " << settled.legs_settled() << "\n"
              << "parlays settled     " << settled.parlays_settled() << "\n";
    PrintCorrections(settled);
  }
  if (!problems.empty()) {
    std::cerr << "error: " << stats.snapshots_rejected
              << " snapshots rejected, nothing of them applied:\n";
    for (const ImportProblem& problem : problems) {
      std::cerr << "  " << problem.ToString() << "\n";
    }
    return kExitInvalid;
  }
  return settled.failures.empty() ? kExitOk : kExitFailure;
}

int PollCommand(const std::string& db, const FeedOptions& options) {
  FeedPollerConfig config;
  config.provider = ProviderOption(options.provider);
  if (!options.url.starts_with("http://") &&
      !options.url.starts_with("https://")) {
    throw UsageError("invalid --url \"" + RedactUrl(options.url) +
                     "\": expected an http:// or https:// URL");
  }
  config.url = options.url;
  config.interval = std::chrono::seconds(options.interval_seconds);
  config.timeout = std::chrono::seconds(options.timeout_seconds);
  config.max_attempts = options.attempts;

  SystemClock clock;
  SettleSummary settled;
  FeedPoller poller(
      config, [&] { return OpenStore(db); }, clock,
      AliasesOption(options.aliases),
      [&](Store& store, std::span<const Game>) {
        if (options.settle) SettleInto(store, clock, settled);
      });
  std::unique_ptr<Store> store = OpenStore(db);

  stop_requested = false;
  std::signal(SIGINT, RequestStop);
  std::signal(SIGTERM, RequestStop);
  int polls = 0;
  while (!stop_requested) {
    const auto started = std::chrono::steady_clock::now();
    try {
      poller.PollOnce(*store);
    } catch (const std::exception& error) {
      // A database error ends this poll only; the next one tries again.
      spdlog::error("feed poll failed: provider={} url={} error={}",
                    options.provider, RedactUrl(options.url), error.what());
    }
    ++polls;
    if (options.max_polls > 0 && polls >= options.max_polls) break;
    // Sleeps in short steps so that Ctrl-C stops the loop promptly.
    while (!stop_requested &&
           std::chrono::steady_clock::now() - started < config.interval) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  const FeedPollerStats stats = poller.stats();
  std::cout << "polls               " << stats.polls << "\n"
            << "failed polls        " << stats.failed_polls << "\n"
            << "failed attempts     " << stats.failed_attempts << "\n";
  PrintFeedStats(stats.feed);
  if (options.settle) PrintCorrections(settled);
  return kExitOk;
}

int ResettleGameCommand(const std::string& db, const std::string& id) {
  std::unique_ptr<Store> store = OpenStore(db);
  if (!store->GetGame(id)) {
    throw UsageError("game not found: " + QuoteForMessage(id) +
                     " (list ids with `parlay-settler games`)");
  }
  SystemClock clock;
  Engine engine(*store, clock, LifecyclePolicyFromEnvironment());
  const SettleSummary summary = engine.ResettleGame(id);
  std::cout << "re-settled game " << id << ": " << summary.legs_corrected
            << " settled legs changed, " << summary.parlays_corrected
            << " parlays corrected, " << summary.legs_settled()
            << " pending legs settled\n";
  return summary.failures.empty() ? kExitOk : kExitFailure;
}

}  // namespace

void AddFeedCommands(CLI::App& app, std::function<int()>& run,
                     const std::string& db) {
  static FeedOptions options;
  static std::string game_id;

  CLI::App* feed = app.add_subcommand("feed", "Apply score feeds");
  feed->require_subcommand(1);
  feed->fallthrough();

  CLI::App* replay = feed->add_subcommand(
      "replay",
      "Apply recorded feed snapshots in order (a folder: its files "
      "in name order)");
  replay
      ->add_option("--provider", options.provider,
                   "odds-api, espn, games-csv or games-json")
      ->required();
  replay->add_option("paths", options.paths, "Snapshot files or folders")
      ->required();
  replay->add_option("--aliases", options.aliases,
                     "CSV of team aliases (alias,name) added to the "
                     "built-in ones");
  replay->add_flag("--settle", options.settle,
                   "Run a settlement pass after each applied snapshot");
  replay->callback([&] { run = [&] { return ReplayCommand(db, options); }; });

  CLI::App* poll = feed->add_subcommand(
      "poll", "Poll a feed over HTTP and apply each snapshot until stopped");
  poll->add_option("--provider", options.provider,
                   "odds-api, espn, games-csv or games-json")
      ->required();
  poll->add_option("--url", options.url, "http:// or https:// URL to fetch")
      ->required();
  poll->add_option("--interval", options.interval_seconds,
                   "Seconds from the start of one poll to the next")
      ->check(CLI::Range(1, 86'400))
      ->capture_default_str();
  poll->add_option("--timeout", options.timeout_seconds,
                   "Seconds to wait to connect, and for each read")
      ->check(CLI::Range(1, 300))
      ->capture_default_str();
  poll->add_option("--attempts", options.attempts,
                   "Requests per poll before it counts as failed")
      ->check(CLI::Range(1, 10))
      ->capture_default_str();
  poll->add_option("--max-polls", options.max_polls,
                   "Stop after this many polls (0: until interrupted)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  poll->add_option("--aliases", options.aliases,
                   "CSV of team aliases (alias,name) added to the "
                   "built-in ones");
  poll->add_flag("--settle", options.settle,
                 "Run a settlement pass after each applied snapshot");
  poll->callback([&] { run = [&] { return PollCommand(db, options); }; });

  CLI::App* resettle = app.add_subcommand(
      "resettle-game",
      "Re-grade a game's settled legs from its stored result, whatever the "
      "correction window, and settle its pending legs");
  resettle->add_option("id", game_id, "Game id")->required();
  resettle->callback(
      [&] { run = [&] { return ResettleGameCommand(db, game_id); }; });
}

}  // namespace parlay::cli
