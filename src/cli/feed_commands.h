// The score feed commands (`feed replay`, `feed poll`) and
// `resettle-game`.

#ifndef PARLAY_CLI_FEED_COMMANDS_H_
#define PARLAY_CLI_FEED_COMMANDS_H_

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

namespace parlay::cli {

// Adds the commands to `app`. A parsed command sets `run`; `db` is the
// global --db option.
void AddFeedCommands(CLI::App& app, std::function<int()>& run,
                     const std::string& db);

}  // namespace parlay::cli

#endif  // PARLAY_CLI_FEED_COMMANDS_H_
