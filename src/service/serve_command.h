// The `parlay-settler serve` command: reads the configuration, runs the
// settlement service in the foreground and stops it gracefully on SIGTERM
// or SIGINT (the batch in flight finishes or rolls back, exit code 0).

#ifndef PARLAY_SERVICE_SERVE_COMMAND_H_
#define PARLAY_SERVICE_SERVE_COMMAND_H_

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

namespace parlay::service {

// Adds the `serve` subcommand to `app` and sets `run` to it when chosen.
// The global options `db` (--db) and `log_level` (--log-level), when given
// explicitly, act as flags for DATABASE_URL and LOG_LEVEL. Exit codes: 0
// after a signal, 2 for an invalid configuration, 1 when starting fails.
void AddServeCommand(CLI::App& app, std::function<int()>& run,
                     const std::string& db, const std::string& log_level);

}  // namespace parlay::service

#endif  // PARLAY_SERVICE_SERVE_COMMAND_H_
