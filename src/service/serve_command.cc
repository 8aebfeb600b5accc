#include "service/serve_command.h"

#include <pthread.h>
#include <signal.h>
#include <string.h>

#include <iostream>
#include <map>
#include <memory>

#include "service/config.h"
#include "service/logging.h"
#include "service/service.h"

namespace parlay::service {
namespace {

// The base URL to print: a wildcard bind address is reached on loopback.
std::string BaseUrl(const ServiceConfig& config, int port) {
  std::string host = config.bind_address;
  if (host == "0.0.0.0") host = "127.0.0.1";
  if (host == "::") host = "::1";
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return "http://" + host + ":" + std::to_string(port);
}

// Prints where to look once the service listens. Standard output carries
// nothing else; logs go to standard error.
void PrintUrls(const ServiceConfig& config, int port, bool enabled) {
  const std::string base = BaseUrl(config, port);
  std::string parlay_id;
  try {
    std::unique_ptr<Store> store =
        OpenStore(config.database_path,
                  {.busy_timeout_ms = kReadBusyTimeoutMillis, .migrate = false});
    std::vector<Parlay> first = store->ListParlays({{}, {}, "", 1});
    if (!first.empty()) parlay_id = first.front().id;
  } catch (const std::exception&) {
    // Only the example URL is missing then.
  }
  std::cout << "parlay-settler serve: listening on " << base << " (settlement "
            << (enabled ? "enabled" : "disabled") << ")\n"
            << "  settlement health  " << base << "/health/settlement\n"
            << "  metrics            " << base << "/metrics\n";
  if (!parlay_id.empty()) {
    std::cout << "  a parlay           " << base << "/v1/parlays/" << parlay_id
              << "\n";
  }
  std::cout << "stop with Ctrl-C or SIGTERM\n" << std::flush;
}

int Serve(const std::map<std::string, std::string>& flags) {
  Result<ServiceConfig> loaded = LoadConfig(flags, ReadEnvironment);
  if (!loaded.ok()) {
    std::cerr << "error: " << loaded.error() << "\n"
              << "see docs/configuration.md for every setting\n";
    return 2;
  }
  const ServiceConfig& config = loaded.value();
  SetUpServiceLogging(config.log_format, config.log_level, config.admin_token);

  // Every thread started from here on inherits the blocked signals, so only
  // sigwait() below receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  Service service(config);
  try {
    service.Start();
  } catch (const std::exception& error) {
    LogEvent(spdlog::level::critical, "service_start_failed",
             "settlement service failed to start", {{"error", error.what()}});
    std::cerr << "error: " << error.what() << "\n";
    return 1;
  }
  PrintUrls(config, service.port(), service.worker().enabled());

  int received = 0;
  sigwait(&signals, &received);
  LogEvent(spdlog::level::info, "signal_received",
           "signal received, shutting down",
           {{"signal", sigabbrev_np(received) != nullptr
                           ? sigabbrev_np(received)
                           : std::to_string(received)}});
  service.Stop();
  return 0;
}

}  // namespace

void AddServeCommand(CLI::App& app, std::function<int()>& run,
                     const std::string& db, const std::string& log_level) {
  CLI::App* serve = app.add_subcommand(
      "serve",
      "Run the settlement worker and the HTTP API until SIGTERM or SIGINT. "
      "Each setting is an environment variable (docs/configuration.md); a "
      "flag overrides it, and the global --log-level sets LOG_LEVEL");
  auto values = std::make_shared<std::map<std::string, std::string>>();
  for (const SettingName& setting : Settings()) {
    // The global --log-level sets LOG_LEVEL.
    if (setting.variable == "LOG_LEVEL") continue;
    serve->add_option(
        std::string(setting.flag), (*values)[std::string(setting.variable)],
        std::string(setting.help) + " [" + std::string(setting.variable) + "]");
  }
  serve->callback([&app, &run, &db, &log_level, values] {
    run = [&app, &db, &log_level, values] {
      std::map<std::string, std::string> flags = *values;
      if (app.get_option("--db")->count() > 0) {
        if (!flags["DATABASE_URL"].empty()) {
          std::cerr << "error: give the database with --db or "
                       "--database-url, not both\n";
          return 2;
        }
        flags["DATABASE_URL"] = db;
      }
      if (app.get_option("--log-level")->count() > 0) {
        flags["LOG_LEVEL"] = log_level;
      }
      return Serve(flags);
    };
  });
}

}  // namespace parlay::service
