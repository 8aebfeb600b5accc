// A Store test double for the service tests: it forwards every call to a
// real store, except the calls that a test has switched to throw
// StoreError, as a database that has become unreachable would.

#ifndef PARLAY_TESTS_SERVICE_FAILING_STORE_H_
#define PARLAY_TESTS_SERVICE_FAILING_STORE_H_

#include <atomic>
#include <memory>

#include "store/store.h"

namespace parlay::testing {

// Switches shared by a test and the FailingStore objects it created.
struct StoreFaults {
  std::atomic<bool> find_games{false};      // FindGamesToSettle throws
  std::atomic<bool> read_heartbeat{false};  // ReadHeartbeat throws
  std::atomic<bool> begin{false};           // Begin throws
};

class FailingStore final : public Store {
 public:
  FailingStore(std::unique_ptr<Store> real, StoreFaults& faults)
      : real_(std::move(real)), faults_(faults) {}

  std::vector<std::string> FindGamesToSettle(int limit) override {
    if (faults_.find_games) {
      throw StoreError("sqlite: step failed: disk I/O error (injected)");
    }
    return real_->FindGamesToSettle(limit);
  }
  std::optional<WorkerHeartbeat> ReadHeartbeat(
      std::string_view worker_id) override {
    if (faults_.read_heartbeat) {
      throw StoreError("sqlite: step failed: database is locked (injected)");
    }
    return real_->ReadHeartbeat(worker_id);
  }

  std::vector<WorkerHeartbeat> ListHeartbeats() override {
    if (faults_.read_heartbeat) {
      throw StoreError("sqlite: step failed: database is locked (injected)");
    }
    return real_->ListHeartbeats();
  }

  // Every other method forwards unchanged.
  int Migrate() override { return real_->Migrate(); }
  void UpsertGames(std::span<const Game> games) override {
    real_->UpsertGames(games);
  }
  void InsertParlays(std::span<const Parlay> parlays) override {
    real_->InsertParlays(parlays);
  }
  std::optional<Game> GetGame(std::string_view id) override {
    return real_->GetGame(id);
  }
  std::vector<Game> GetGames(std::span<const std::string> ids) override {
    return real_->GetGames(ids);
  }
  std::vector<Game> ListGames(std::optional<GameStatus> status) override {
    return real_->ListGames(status);
  }
  std::vector<std::string> ExistingParlayIds(
      std::span<const std::string> ids) override {
    return real_->ExistingParlayIds(ids);
  }
  std::optional<Parlay> GetParlay(std::string_view id) override {
    return real_->GetParlay(id);
  }
  std::vector<Parlay> ListParlays(const ParlayQuery& query) override {
    return real_->ListParlays(query);
  }
  std::vector<std::string> FindPostponedGames(int64_t started_before,
                                              int limit) override {
    return real_->FindPostponedGames(started_before, limit);
  }
  std::vector<std::string> FindGamesWithChangedResults(int limit) override {
    return real_->FindGamesWithChangedResults(limit);
  }
  std::vector<Game> FindGamesNeedingAttention() override {
    return real_->FindGamesNeedingAttention();
  }
  std::vector<Game> ListGamesStartingBetween(int64_t from,
                                             int64_t to) override {
    return real_->ListGamesStartingBetween(from, to);
  }
  std::map<std::string, std::string> FindFeedLinks(
      std::string_view provider,
      std::span<const std::string> event_ids) override {
    return real_->FindFeedLinks(provider, event_ids);
  }
  std::vector<AuditEvent> ReadAudit(std::string_view parlay_id) override {
    return real_->ReadAudit(parlay_id);
  }
  int64_t CountAudit() override { return real_->CountAudit(); }
  std::vector<OutboxEvent> ReadOutbox(int64_t after_seq, int limit) override {
    return real_->ReadOutbox(after_seq, limit);
  }
  std::unique_ptr<Transaction> Begin() override {
    if (faults_.begin) {
      throw StoreError("sqlite: database is locked (injected)");
    }
    return real_->Begin();
  }
  void WriteHeartbeat(const WorkerHeartbeat& heartbeat) override {
    real_->WriteHeartbeat(heartbeat);
  }
  SettlementBacklog CountBacklog() override { return real_->CountBacklog(); }
  AttentionCounts CountGamesNeedingAttention() override {
    return real_->CountGamesNeedingAttention();
  }
  void RecordActivity(std::string_view source,
                      const HourlyActivity& delta) override {
    real_->RecordActivity(source, delta);
  }
  std::vector<HourlyActivity> ReadActivity(int64_t from_hour,
                                           int64_t to_hour) override {
    return real_->ReadActivity(from_hour, to_hour);
  }
  int64_t CountGamesToSettle() override {
    return real_->CountGamesToSettle();
  }
  std::vector<GameLeg> ListGameLegs(std::string_view game_id,
                                    int limit) override {
    return real_->ListGameLegs(game_id, limit);
  }

 private:
  std::unique_ptr<Store> real_;
  StoreFaults& faults_;
};

}  // namespace parlay::testing

#endif  // PARLAY_TESTS_SERVICE_FAILING_STORE_H_
