// Store: the persistence interface. It hides the SQL dialect; SQLite is the
// default implementation. Every method throws StoreError on a database
// failure, with the operation and the database's message.
//
// Thread-safety: a Store object is used by one thread at a time. Several
// Store objects (connections) may share one database file.

#ifndef PARLAY_STORE_STORE_H_
#define PARLAY_STORE_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "rules/grading.h"
#include "rules/model.h"
#include "rules/parlay.h"

namespace parlay {

class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A pending leg with what grading needs.
struct PendingLeg {
  std::string parlay_id;
  int index = 0;
  std::string game_id;
  LegTerms terms;
};

// A leg transition PENDING -> status, applied only if still PENDING.
struct LegUpdate {
  std::string game_id;
  std::string parlay_id;
  int index = 0;
  LegStatus status = LegStatus::kPending;
  std::string reason;
  std::optional<int> home_score;
  std::optional<int> away_score;
  int64_t settled_at = 0;
};

// A parlay with its legs' statuses and odds, as derivation needs it.
struct ParlayLegs {
  std::string id;
  int64_t stake_minor = 0;
  std::string currency;
  ParlayStatus status = ParlayStatus::kPending;
  std::vector<PricedLeg> legs;  // in leg order
};

// A parlay transition PENDING -> outcome, applied only if still PENDING.
struct ParlayUpdate {
  std::string id;
  ParlayOutcome outcome;
  int64_t settled_at = 0;
};

// One row of the settlement_events audit table. leg_index is -1 for a
// parlay transition. payout_minor is set for parlay transitions.
struct AuditEvent {
  int64_t id = 0;  // assigned by the store
  std::string entity;  // "leg" or "parlay"
  std::string parlay_id;
  int leg_index = -1;
  std::string game_id;  // empty for parlay events
  std::string old_status;
  std::string new_status;
  std::optional<int64_t> payout_minor;
  std::optional<int> home_score;
  std::optional<int> away_score;
  std::string reason;
  int64_t at = 0;
  std::string rules_version;
};

// One row of the outbox: an event for downstream consumers, in `seq`
// order. payload is a JSON object.
struct OutboxEvent {
  int64_t seq = 0;  // assigned by the store, increasing
  std::string type;  // "leg_settled" or "parlay_settled"
  std::string parlay_id;
  int leg_index = -1;
  std::string payload;
  int64_t created_at = 0;
};

// A write transaction. Destroying it without Commit() rolls it back.
class Transaction {
 public:
  virtual ~Transaction() = default;

  virtual std::vector<Game> LoadGames(std::span<const std::string> ids) = 0;

  // Reads the pending legs of the given games in one query.
  virtual std::vector<PendingLeg> LoadPendingLegs(
      std::span<const std::string> game_ids) = 0;

  // Applies each update whose leg is still PENDING. Returns, per update,
  // whether it changed the row.
  virtual std::vector<bool> SettleLegs(std::span<const LegUpdate> updates) = 0;

  // Reads the given parlays with all their legs. Unknown ids are skipped.
  virtual std::vector<ParlayLegs> LoadParlays(
      std::span<const std::string> parlay_ids) = 0;

  // Applies each update whose parlay is still PENDING. Returns, per update,
  // whether it changed the row.
  virtual std::vector<bool> SettleParlays(
      std::span<const ParlayUpdate> updates) = 0;

  virtual void AppendAudit(std::span<const AuditEvent> events) = 0;
  virtual void AppendOutbox(std::span<const OutboxEvent> events) = 0;

  // Marks a game cancelled with the operator's reason.
  virtual void VoidGame(std::string_view game_id, std::string_view reason,
                        int64_t updated_at) = 0;

  virtual void Commit() = 0;
};

// Filter and page for listing parlays. Results are ordered by id.
struct ParlayQuery {
  std::optional<ParlayStatus> status;
  std::optional<std::string> account;
  std::string after_id;  // exclusive cursor; empty starts at the beginning
  int limit = 1000;
};

class Store {
 public:
  virtual ~Store() = default;

  // Applies every schema migration not applied yet. Safe to call on every
  // start. Returns the schema version afterwards.
  virtual int Migrate() = 0;

  // Inserts or replaces games, all or none.
  virtual void UpsertGames(std::span<const Game> games) = 0;

  // Inserts parlays with their legs, all or none. Throws StoreError when an
  // id already exists.
  virtual void InsertParlays(std::span<const Parlay> parlays) = 0;

  virtual std::optional<Game> GetGame(std::string_view id) = 0;
  virtual std::vector<Game> GetGames(std::span<const std::string> ids) = 0;
  virtual std::vector<Game> ListGames(std::optional<GameStatus> status) = 0;

  // Ids of the given parlays that already exist.
  virtual std::vector<std::string> ExistingParlayIds(
      std::span<const std::string> ids) = 0;

  virtual std::optional<Parlay> GetParlay(std::string_view id) = 0;
  virtual std::vector<Parlay> ListParlays(const ParlayQuery& query) = 0;

  // Ids of gradable games (final with both scores, or cancelled) that still
  // have pending legs, earliest start first, at most `limit`.
  virtual std::vector<std::string> FindGamesToSettle(int limit) = 0;

  // Final games with a missing score that still have pending legs.
  virtual std::vector<Game> FindGamesNeedingAttention() = 0;

  virtual std::vector<AuditEvent> ReadAudit(std::string_view parlay_id) = 0;
  virtual int64_t CountAudit() = 0;
  virtual std::vector<OutboxEvent> ReadOutbox(int64_t after_seq,
                                              int limit) = 0;

  // Begins a write transaction that holds the database's write lock.
  virtual std::unique_ptr<Transaction> Begin() = 0;
};

// Opens (creating if needed) the SQLite database at `path` and migrates it.
std::unique_ptr<Store> OpenSqliteStore(const std::string& path);

}  // namespace parlay

#endif  // PARLAY_STORE_STORE_H_
