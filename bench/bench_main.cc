// parlay-bench: writes the benchmark data set into a database.
//
//   parlay-bench generate --db URL --legs 1000000 --seed 1
//
// Prints a JSON summary of what it wrote. The benchmark runs themselves
// are driven by bench/run_bench.py.

#include <CLI/CLI.hpp>
#include <iostream>
#include <nlohmann/json.hpp>

#include "bench/generate.h"
#include "store/store.h"

int main(int argc, char** argv) {
  CLI::App app("Benchmark data for parlay-settler");
  app.require_subcommand(1);
  std::string db;
  parlay::bench::GenerateOptions options;
  CLI::App* generate = app.add_subcommand(
      "generate", "Write games and parlays into an empty database");
  generate->add_option("--db", db, "SQLite path or postgresql:// URL")
      ->required();
  generate->add_option("--seed", options.seed, "Seed of the generator")
      ->capture_default_str();
  generate->add_option("--legs", options.legs, "Legs to write, about")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  generate
      ->add_option("--games", options.games,
                   "Games the legs are spread over (0: one per 200 "
                   "legs)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  generate
      ->add_option("--final-share", options.final_share,
                   "Share of the games that are final, from 0 to 1")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  generate
      ->add_option("--unrelated-pending-legs", options.unrelated_pending_legs,
                   "Extra pending legs on games that stay scheduled")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  try {
    std::unique_ptr<parlay::Store> store = parlay::OpenStore(db);
    parlay::bench::GenerateSummary summary =
        parlay::bench::Generate(*store, options);
    nlohmann::json out = {
        {"games", summary.games},
        {"final_games", summary.final_games},
        {"parlays", summary.parlays},
        {"legs", summary.legs},
        {"legs_on_final_games", summary.legs_on_final_games},
    };
    std::cout << out.dump() << "\n";
  } catch (const std::exception& error) {
    std::cerr << "parlay-bench: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
