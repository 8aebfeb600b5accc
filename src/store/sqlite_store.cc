// SQLite implementation of Store.

#include <nlohmann/json.hpp>
#include <unordered_map>

#include "store/sqlite_db.h"
#include "store/row_codec.h"
#include "store/sqlite_schema.h"
#include "store/store.h"

namespace parlay {
namespace {

std::optional<int> OptionalScore(const SqliteStatement& row, int column) {
  if (row.IsNull(column)) return std::nullopt;
  return static_cast<int>(row.Int(column));
}

std::optional<bool> OptionalBool(const SqliteStatement& row, int column) {
  if (row.IsNull(column)) return std::nullopt;
  return row.Int(column) != 0;
}

std::optional<int64_t> BoolColumn(std::optional<bool> value) {
  if (!value) return std::nullopt;
  return *value ? 1 : 0;
}

std::optional<int64_t> ShootoutColumn(const Game& game, bool home) {
  if (!game.shootout) return std::nullopt;
  return home ? game.shootout->home : game.shootout->away;
}

Game ReadGame(const SqliteStatement& row) {
  Game game;
  game.id = row.Text(0);
  game.league = row.Text(1);
  game.home = row.Text(2);
  game.away = row.Text(3);
  game.start_time = row.Int(4);
  game.status =
      ParseColumn<GameStatus>(row.Text(5), ParseGameStatus, "game status");
  game.home_score = OptionalScore(row, 6);
  game.away_score = OptionalScore(row, 7);
  game.period_scores = row.Text(8);
  game.updated_at = row.Int(9);
  game.void_reason = row.Text(10);
  game.sport = row.Text(11);
  game.status_detail = row.Text(12);
  game.extra_time = OptionalBool(row, 13);
  game.periods = ParsePeriodResults(row.Text(14));
  if (!row.IsNull(15) && !row.IsNull(16)) {
    game.shootout =
        Score{static_cast<int>(row.Int(15)), static_cast<int>(row.Int(16))};
  }
  game.first_settled_at = row.OptionalInt(17);
  game.attention = row.Text(18);
  return game;
}

Period ParsePeriodColumn(const std::string& text) {
  return ParseColumn<Period>(text, ParsePeriod, "period");
}

// Reads market, selection, line and period from four columns starting at
// `first_column`.
LegTerms ReadTerms(const SqliteStatement& row, int first_column) {
  LegTerms terms;
  terms.market =
      ParseColumn<Market>(row.Text(first_column), ParseMarket, "market");
  terms.selection = ParseColumn<Selection>(row.Text(first_column + 1),
                                           ParseSelection, "selection");
  if (!row.IsNull(first_column + 2)) {
    terms.line = Line{static_cast<int>(row.Int(first_column + 2))};
  }
  terms.period = ParsePeriodColumn(row.Text(first_column + 3));
  return terms;
}

Leg ReadLeg(const SqliteStatement& row) {
  Leg leg;
  leg.index = static_cast<int>(row.Int(1));
  leg.game_id = row.Text(2);
  leg.market = ParseColumn<Market>(row.Text(3), ParseMarket, "market");
  leg.selection =
      ParseColumn<Selection>(row.Text(4), ParseSelection, "selection");
  leg.selection_text = row.Text(5);
  if (!row.IsNull(6)) leg.line = Line{static_cast<int>(row.Int(6))};
  leg.odds = Odds{row.Text(7), row.Int(8), row.Int(9)};
  leg.status = ParseColumn<LegStatus>(row.Text(10), ParseLegStatus,
                                      "leg status");
  leg.reason = row.Text(11);
  leg.graded_home_score = OptionalScore(row, 12);
  leg.graded_away_score = OptionalScore(row, 13);
  leg.settled_at = row.OptionalInt(14);
  leg.period = ParsePeriodColumn(row.Text(15));
  return leg;
}

Parlay ReadParlay(const SqliteStatement& row) {
  Parlay parlay;
  parlay.id = row.Text(0);
  parlay.account = row.Text(1);
  parlay.stake_minor = row.Int(2);
  parlay.currency = row.Text(3);
  parlay.placed_at = row.Int(4);
  parlay.status = ParseColumn<ParlayStatus>(row.Text(5), ParseParlayStatus,
                                            "parlay status");
  parlay.payout_minor = row.OptionalInt(6);
  parlay.settled_at = row.OptionalInt(7);
  return parlay;
}

// Reads an audit row whose columns start at `first`.
AuditEvent ReadAuditEvent(const SqliteStatement& row, int first = 0) {
  AuditEvent event;
  event.id = row.Int(first);
  event.entity = row.Text(first + 1);
  event.parlay_id = row.Text(first + 2);
  event.leg_index = static_cast<int>(row.Int(first + 3));
  event.game_id = row.Text(first + 4);
  event.old_status = row.Text(first + 5);
  event.new_status = row.Text(first + 6);
  event.payout_minor = row.OptionalInt(first + 7);
  event.home_score = OptionalScore(row, first + 8);
  event.away_score = OptionalScore(row, first + 9);
  event.reason = row.Text(first + 10);
  event.at = row.Int(first + 11);
  event.rules_version = row.Text(first + 12);
  return event;
}

// Runs `body` inside BEGIN IMMEDIATE ... COMMIT, rolling back on any
// exception.
template <typename Body>
void WriteTransaction(SqliteDb& db, Body body) {
  db.Execute("BEGIN IMMEDIATE");
  try {
    body();
    db.Execute("COMMIT");
  } catch (...) {
    try {
      db.Execute("ROLLBACK");
    } catch (const StoreError&) {
      // The transaction is already gone (SQLite rolls back on some errors).
    }
    throw;
  }
}

// Rows per statement of the audit and outbox inserts, the leg updates and
// the pending-leg count updates. At 1M legs, 64 rows to a statement took the inserts from 2.9 s
// to 2.4 s and the leg updates from 2.8 s to 2.1 s.
constexpr size_t kRowsPerInsert = 64;

// "head (?, ?), (?, ?)" for `rows` rows of `columns` values.
std::string InsertSql(std::string_view head, int columns, size_t rows) {
  std::string sql(head);
  for (size_t row = 0; row < rows; ++row) {
    sql += row == 0 ? "(" : ", (";
    for (int column = 0; column < columns; ++column) {
      sql += column == 0 ? "?" : ", ?";
    }
    sql += ')';
  }
  return sql;
}

// UPDATE of `rows` legs from a VALUES list of nine columns per leg: the
// new status, reason, scores, settlement time and postponement flag, and
// the leg's key.
std::string SettleLegsSql(size_t rows) {
  return InsertSql(
             "UPDATE legs SET status = v.column1, reason = v.column2, "
             "graded_home_score = v.column3, graded_away_score = v.column4, "
             "settled_at = v.column5, postponement_void = v.column9 FROM "
             "(VALUES ",
             9, rows) +
         ") AS v WHERE legs.game_id = v.column6 AND legs.parlay_id = "
         "v.column7 AND legs.leg_index = v.column8 AND legs.status = "
         "'PENDING' RETURNING legs.game_id, legs.parlay_id, legs.leg_index";
}

class SqliteTransaction final : public Transaction {
 public:
  explicit SqliteTransaction(SqliteDb& db) : db_(db) {
    db_.Execute("BEGIN IMMEDIATE");
  }

  ~SqliteTransaction() override {
    if (open_) {
      try {
        db_.Execute("ROLLBACK");
      } catch (const StoreError&) {
        // Already rolled back by SQLite after an error.
      }
    }
  }

  std::vector<std::string> ClaimGames(
      std::span<const std::string> ids) override {
    std::vector<std::string> claimed;
    auto& select = db_.Prepare(
        "SELECT id FROM games WHERE id IN (SELECT value FROM json_each(?1)) "
        "ORDER BY id");
    select.Bind(1, IdArray(ids));
    while (select.Step()) claimed.push_back(select.Text(0));
    return claimed;
  }

  std::vector<Game> LoadGames(std::span<const std::string> ids) override {
    std::vector<Game> games;
    auto& select = db_.Prepare(
        std::string("SELECT ") + kGameColumns +
        " FROM games WHERE id IN (SELECT value FROM json_each(?1))");
    select.Bind(1, IdArray(ids));
    while (select.Step()) games.push_back(ReadGame(select));
    return games;
  }

  std::vector<PendingLeg> LoadPendingLegs(
      std::span<const std::string> game_ids) override {
    std::vector<PendingLeg> legs;
    auto& select = db_.Prepare(
        "SELECT parlay_id, leg_index, game_id, market, selection, "
        "line_quarters, period FROM legs WHERE status = 'PENDING' AND "
        "game_id IN "
        "(SELECT value FROM json_each(?1)) ORDER BY game_id, parlay_id, "
        "leg_index");
    select.Bind(1, IdArray(game_ids));
    while (select.Step()) {
      PendingLeg leg;
      leg.parlay_id = select.Text(0);
      leg.index = static_cast<int>(select.Int(1));
      leg.game_id = select.Text(2);
      leg.terms = ReadTerms(select, 3);
      legs.push_back(std::move(leg));
    }
    return legs;
  }

  std::vector<bool> SettleLegs(std::span<const LegUpdate> updates) override {
    // Legs are updated kRowsPerInsert to a statement, joined to a VALUES
    // list; RETURNING names the legs that were still pending.
    const std::string full_sql = SettleLegsSql(kRowsPerInsert);
    const std::string single_sql = SettleLegsSql(1);
    std::vector<bool> changed(updates.size(), false);
    size_t next = 0;
    while (next < updates.size()) {
      const size_t count =
          updates.size() - next >= kRowsPerInsert ? kRowsPerInsert : 1;
      auto& update = db_.Prepare(count == 1 ? single_sql : full_sql);
      for (size_t i = 0; i < count; ++i) {
        const LegUpdate& leg = updates[next + i];
        const int first = static_cast<int>(i) * 9 + 1;
        update.Bind(first, ToString(leg.status))
            .Bind(first + 1, leg.reason)
            .Bind(first + 2, Widen(leg.home_score))
            .Bind(first + 3, Widen(leg.away_score))
            .Bind(first + 4, leg.settled_at)
            .Bind(first + 5, leg.game_id)
            .Bind(first + 6, leg.parlay_id)
            .Bind(first + 7, int64_t{leg.index})
            .Bind(first + 8, int64_t{leg.postponement_void ? 1 : 0});
      }
      // Rows usually come back in VALUES order, so each search starts
      // after the last match.
      size_t position = 0;
      while (update.Step()) {
        for (size_t tried = 0; tried < count; ++tried) {
          const size_t at = next + (position + tried) % count;
          const LegUpdate& leg = updates[at];
          if (update.TextView(0) == leg.game_id &&
              update.TextView(1) == leg.parlay_id &&
              update.Int(2) == leg.index) {
            changed[at] = true;
            position = (position + tried + 1) % count;
            break;
          }
        }
      }
      update.Reset();
      next += count;
    }
    return changed;
  }

  std::vector<ParlayLegs> LoadParlayRows(
      std::span<const std::string> parlay_ids) override {
    std::vector<ParlayLegs> parlays;
    auto& select = db_.Prepare(
        "SELECT id, stake_minor, currency, status, payout_minor, leg_count, "
        "pending_legs FROM parlays WHERE id IN (SELECT value FROM "
        "json_each(?1)) ORDER BY id");
    select.Bind(1, IdArray(parlay_ids));
    while (select.Step()) {
      ParlayLegs parlay;
      parlay.id = select.Text(0);
      parlay.stake_minor = select.Int(1);
      parlay.currency = select.Text(2);
      parlay.status = ParseColumn<ParlayStatus>(
          select.Text(3), ParseParlayStatus, "parlay status");
      parlay.payout_minor = select.OptionalInt(4);
      parlay.leg_count = static_cast<int>(select.Int(5));
      parlay.pending_legs = static_cast<int>(select.Int(6));
      parlays.push_back(std::move(parlay));
    }
    return parlays;
  }

  std::vector<ParlayLegs> LoadParlays(
      std::span<const std::string> parlay_ids) override {
    std::vector<ParlayLegs> parlays = LoadParlayRows(parlay_ids);
    LoadLegs(Pointers(parlays));
    return parlays;
  }

  void LoadLegs(std::span<ParlayLegs* const> parlays) override {
    if (parlays.empty()) return;
    std::unordered_map<std::string_view, ParlayLegs*> by_id;
    for (ParlayLegs* parlay : parlays) by_id.emplace(parlay->id, parlay);
    auto& select_legs = db_.Prepare(
        "SELECT parlay_id, status, odds, odds_numerator, odds_denominator "
        "FROM legs WHERE parlay_id IN (SELECT value FROM json_each(?1)) "
        "ORDER BY parlay_id, leg_index");
    select_legs.Bind(1, IdArray(parlays));
    while (select_legs.Step()) {
      auto found = by_id.find(select_legs.TextView(0));
      if (found == by_id.end()) continue;
      PricedLeg leg;
      leg.status = ParseColumn<LegStatus>(select_legs.Text(1),
                                          ParseLegStatus, "leg status");
      leg.odds = Odds{select_legs.Text(2), select_legs.Int(3),
                      select_legs.Int(4)};
      found->second->legs.push_back(std::move(leg));
    }
  }

  void SetPendingLegs(std::span<const ParlayLegs* const> parlays) override {
    RunWithValues(
        "UPDATE parlays SET pending_legs = v.column2 FROM (VALUES ", 2,
        parlays,
        [](SqliteStatement& update, int first, const ParlayLegs* parlay) {
          update.Bind(first, parlay->id)
              .Bind(first + 1, int64_t{parlay->pending_legs});
        },
        ") AS v WHERE parlays.id = v.column1");
  }

  std::vector<bool> SettleParlays(
      std::span<const ParlayUpdate> updates) override {
    std::vector<bool> changed;
    changed.reserve(updates.size());
    auto& update = db_.Prepare(
        "UPDATE parlays SET status = ?1, payout_minor = ?2, settled_at = ?3 "
        "WHERE id = ?4 AND status = 'PENDING'");
    for (const ParlayUpdate& parlay : updates) {
      update.Reset();
      update.Bind(1, ToString(parlay.outcome.status))
          .Bind(2, parlay.outcome.payout_minor)
          .Bind(3, parlay.settled_at)
          .Bind(4, parlay.id);
      update.Run();
      changed.push_back(db_.Changes() == 1);
    }
    return changed;
  }

  void AppendAudit(std::span<AuditEvent> events) override {
    if (events.empty()) return;
    // Ids go on from the AUTOINCREMENT sequence, so that the outbox rows
    // written next can refer to them. The write lock this transaction
    // holds keeps other writers from taking the same ids.
    auto& last = db_.Prepare(
        "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = "
        "'settlement_events'), 0), coalesce((SELECT max(id) FROM "
        "settlement_events), 0))");
    last.Step();
    int64_t id = last.Int(0);
    last.Reset();
    for (AuditEvent& event : events) event.id = ++id;
    RunWithValues(
        "INSERT INTO settlement_events (id, entity, parlay_id, leg_index, "
        "game_id, old_status, new_status, payout_minor, home_score, "
        "away_score, reason, at, rules_version) VALUES ",
        13, std::span<const AuditEvent>(events),
        [](SqliteStatement& insert, int first, const AuditEvent& event) {
          insert.Bind(first, event.id)
              .Bind(first + 1, event.entity)
              .Bind(first + 2, event.parlay_id)
              .Bind(first + 3, int64_t{event.leg_index})
              .Bind(first + 4, event.game_id)
              .Bind(first + 5, event.old_status)
              .Bind(first + 6, event.new_status)
              .Bind(first + 7, event.payout_minor)
              .Bind(first + 8, Widen(event.home_score))
              .Bind(first + 9, Widen(event.away_score))
              .Bind(first + 10, event.reason)
              .Bind(first + 11, event.at)
              .Bind(first + 12, event.rules_version);
        });
  }

  void AppendOutbox(std::span<const OutboxEvent> events) override {
    RunWithValues(
        "INSERT INTO outbox (type, parlay_id, leg_index, payload, "
        "created_at, event_id) VALUES ",
        6, events,
        [](SqliteStatement& insert, int first, const OutboxEvent& event) {
          insert.Bind(first, event.type)
              .Bind(first + 1, event.parlay_id)
              .Bind(first + 2, int64_t{event.leg_index})
              .Bind(first + 3, event.payload)
              .Bind(first + 4, event.created_at)
              .Bind(first + 5, event.event_id != 0
                                   ? std::optional<int64_t>(event.event_id)
                                   : std::nullopt);
        });
  }

  void VoidGame(std::string_view game_id, std::string_view reason,
                int64_t updated_at) override {
    auto& update = db_.Prepare(
        "UPDATE games SET status = 'cancelled', void_reason = ?1, "
        "updated_at = ?2 WHERE id = ?3");
    update.Bind(1, reason).Bind(2, updated_at).Bind(3, game_id);
    update.Run();
    if (db_.Changes() != 1) {
      throw StoreError("game not found: \"" + std::string(game_id) + "\"");
    }
  }

  void WriteGameResults(std::span<const Game> games) override {
    auto& update = db_.Prepare(
        "UPDATE games SET status = ?1, home_score = ?2, away_score = ?3, "
        "period_scores = ?4, updated_at = ?5, sport = ?6, status_detail = "
        "?7, extra_time = ?8, period_results = ?9, shootout_home_score = "
        "?10, shootout_away_score = ?11, result = ?12 WHERE id = ?13");
    for (const Game& game : games) {
      update.Reset();
      update.Bind(1, ToString(game.status))
          .Bind(2, Widen(game.home_score))
          .Bind(3, Widen(game.away_score))
          .Bind(4, game.period_scores)
          .Bind(5, game.updated_at)
          .Bind(6, game.sport)
          .Bind(7, game.status_detail)
          .Bind(8, BoolColumn(game.extra_time))
          .Bind(9, PeriodResultsText(game.periods))
          .Bind(10, ShootoutColumn(game, true))
          .Bind(11, ShootoutColumn(game, false))
          .Bind(12, ResultText(game))
          .Bind(13, game.id);
      update.Run();
    }
  }

  void LinkFeedEvents(std::string_view provider,
                      std::span<const FeedLink> links,
                      int64_t linked_at) override {
    auto& insert = db_.Prepare(
        "INSERT INTO feed_links (provider, event_id, game_id, linked_at) "
        "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (provider, event_id) DO "
        "NOTHING");
    for (const FeedLink& link : links) {
      insert.Reset();
      insert.Bind(1, provider)
          .Bind(2, link.event_id)
          .Bind(3, link.game_id)
          .Bind(4, linked_at);
      insert.Run();
    }
  }

  std::vector<SettledLeg> LoadSettledLegs(
      std::span<const std::string> game_ids) override {
    std::vector<SettledLeg> legs;
    auto& select = db_.Prepare(
        "SELECT parlay_id, leg_index, game_id, market, selection, "
        "line_quarters, period, status, reason, graded_home_score, "
        "graded_away_score FROM legs WHERE status != 'PENDING' AND "
        "postponement_void = 0 AND game_id IN (SELECT value FROM "
        "json_each(?1)) ORDER BY game_id, parlay_id, leg_index");
    select.Bind(1, IdArray(game_ids));
    while (select.Step()) {
      SettledLeg leg;
      leg.parlay_id = select.Text(0);
      leg.index = static_cast<int>(select.Int(1));
      leg.game_id = select.Text(2);
      leg.terms = ReadTerms(select, 3);
      leg.status =
          ParseColumn<LegStatus>(select.Text(7), ParseLegStatus, "leg status");
      leg.reason = select.Text(8);
      leg.home_score = OptionalScore(select, 9);
      leg.away_score = OptionalScore(select, 10);
      legs.push_back(std::move(leg));
    }
    return legs;
  }

  std::vector<bool> CorrectLegs(
      std::span<const LegCorrection> corrections) override {
    std::vector<bool> changed;
    changed.reserve(corrections.size());
    auto& update = db_.Prepare(
        "UPDATE legs SET status = ?1, reason = ?2, graded_home_score = ?3, "
        "graded_away_score = ?4, settled_at = ?5 WHERE game_id = ?6 AND "
        "parlay_id = ?7 AND leg_index = ?8 AND status = ?9 AND "
        "graded_home_score IS ?10 AND graded_away_score IS ?11 AND "
        "postponement_void = 0");
    for (const LegCorrection& leg : corrections) {
      update.Reset();
      update.Bind(1, ToString(leg.status))
          .Bind(2, leg.reason)
          .Bind(3, Widen(leg.home_score))
          .Bind(4, Widen(leg.away_score))
          .Bind(5, leg.settled_at)
          .Bind(6, leg.old_leg.game_id)
          .Bind(7, leg.old_leg.parlay_id)
          .Bind(8, int64_t{leg.old_leg.index})
          .Bind(9, ToString(leg.old_leg.status))
          .Bind(10, Widen(leg.old_leg.home_score))
          .Bind(11, Widen(leg.old_leg.away_score));
      update.Run();
      changed.push_back(db_.Changes() == 1);
    }
    return changed;
  }

  std::vector<bool> CorrectParlays(
      std::span<const ParlayCorrection> corrections) override {
    std::vector<bool> changed;
    changed.reserve(corrections.size());
    auto& update = db_.Prepare(
        "UPDATE parlays SET status = ?1, payout_minor = ?2, settled_at = ?3 "
        "WHERE id = ?4 AND status = ?5 AND payout_minor IS ?6");
    for (const ParlayCorrection& parlay : corrections) {
      const bool pending = parlay.outcome.status == ParlayStatus::kPending;
      update.Reset();
      update.Bind(1, ToString(parlay.outcome.status));
      if (pending) {
        update.BindNull(2).BindNull(3);
      } else {
        update.Bind(2, parlay.outcome.payout_minor).Bind(3, parlay.settled_at);
      }
      update.Bind(4, parlay.id)
          .Bind(5, ToString(parlay.old_status))
          .Bind(6, parlay.old_payout_minor);
      update.Run();
      changed.push_back(db_.Changes() == 1);
    }
    return changed;
  }

  void MarkGamesSettled(std::span<const std::string> game_ids,
                        int64_t now) override {
    // SQLite evaluates every expression of an UPDATE on the old row, so
    // settled_result is copied only on the first settlement.
    auto& update = db_.Prepare(
        "UPDATE games SET settled_result = CASE WHEN first_settled_at IS "
        "NULL THEN result ELSE settled_result END, first_settled_at = "
        "COALESCE(first_settled_at, ?1) WHERE id IN (SELECT value FROM "
        "json_each(?2))");
    update.Bind(1, now).Bind(2, IdArray(game_ids));
    update.Run();
  }

  void MarkResultChecked(std::string_view game_id) override {
    auto& update =
        db_.Prepare("UPDATE games SET settled_result = result WHERE id = ?1");
    update.Bind(1, game_id);
    update.Run();
  }

  void SetGameAttention(std::string_view game_id,
                        std::string_view attention) override {
    auto& update = db_.Prepare("UPDATE games SET attention = ?1 WHERE id = ?2");
    update.Bind(1, attention).Bind(2, game_id);
    update.Run();
  }

  void Commit() override {
    db_.Execute("COMMIT");
    open_ = false;
  }

 private:
  // Runs a statement with a VALUES list over `rows` in order, kRowsPerInsert
  // rows to a statement. `head` is the statement up to its VALUES list and
  // `tail` the rest. bind(statement, first, row) binds one row's `columns`
  // values from index `first`.
  template <typename Row, typename BindRow>
  void RunWithValues(std::string_view head, int columns,
                     std::span<const Row> rows, BindRow bind,
                     std::string_view tail = "") {
    const std::string full_sql =
        InsertSql(head, columns, kRowsPerInsert) + std::string(tail);
    const std::string single_sql =
        InsertSql(head, columns, 1) + std::string(tail);
    size_t next = 0;
    for (; rows.size() - next >= kRowsPerInsert; next += kRowsPerInsert) {
      auto& insert = db_.Prepare(full_sql);
      for (size_t i = 0; i < kRowsPerInsert; ++i) {
        bind(insert, static_cast<int>(i) * columns + 1, rows[next + i]);
      }
      insert.Run();
    }
    for (; next < rows.size(); ++next) {
      auto& insert = db_.Prepare(single_sql);
      bind(insert, 1, rows[next]);
      insert.Run();
    }
  }

  SqliteDb& db_;
  bool open_ = true;
};

class SqliteStore final : public Store {
 public:
  SqliteStore(const std::string& path, int busy_timeout_ms, bool create)
      : db_(path, create) {
    sqlite3_busy_timeout(db_.handle(), busy_timeout_ms);
    db_.Execute("PRAGMA journal_mode = WAL");
    // FULL syncs the WAL on every commit: a settled payout survives a power
    // loss, not only a process crash.
    db_.Execute("PRAGMA synchronous = FULL");
    db_.Execute("PRAGMA foreign_keys = ON");
    // A settlement batch touches legs, parlays, audit and outbox pages; the
    // default 2 MiB cache made every batch re-read pages from the OS.
    db_.Execute("PRAGMA cache_size = -65536");  // KiB, so 64 MiB
    db_.Execute("PRAGMA temp_store = MEMORY");
  }

  int Migrate() override {
    int version = 0;
    WriteTransaction(db_, [&] {
      db_.Execute(
          "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER "
          "PRIMARY KEY, applied_at INTEGER NOT NULL)");
      auto& current =
          db_.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
      current.Step();
      version = static_cast<int>(current.Int(0));
      current.Reset();
      RejectNewerSchema(version, SqliteMigrations().back().version);
      for (const Migration& migration : SqliteMigrations()) {
        if (migration.version <= version) continue;
        db_.Execute(migration.sql);
        auto& record = db_.Prepare(
            "INSERT INTO schema_migrations (version, applied_at) VALUES "
            "(?1, CAST(strftime('%s', 'now') AS INTEGER))");
        record.Bind(1, int64_t{migration.version});
        record.Run();
        version = migration.version;
      }
    });
    return version;
  }

  void UpsertGames(std::span<const Game> games) override {
    WriteTransaction(db_, [&] {
      auto& upsert = db_.Prepare(
          "INSERT INTO games (id, league, home, away, start_time, status, "
          "home_score, away_score, period_scores, updated_at, void_reason, "
          "sport, status_detail, extra_time, period_results, "
          "shootout_home_score, shootout_away_score, result) VALUES (?1, "
          "?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
          "?16, ?17, ?18) ON CONFLICT (id) DO UPDATE SET league = "
          "excluded.league, home = excluded.home, away = excluded.away, "
          "start_time = excluded.start_time, status = excluded.status, "
          "home_score = excluded.home_score, away_score = "
          "excluded.away_score, period_scores = excluded.period_scores, "
          "updated_at = excluded.updated_at, void_reason = "
          "excluded.void_reason, sport = excluded.sport, status_detail = "
          "excluded.status_detail, extra_time = excluded.extra_time, "
          "period_results = excluded.period_results, shootout_home_score = "
          "excluded.shootout_home_score, shootout_away_score = "
          "excluded.shootout_away_score, result = excluded.result");
      for (const Game& game : games) {
        upsert.Reset();
        upsert.Bind(1, game.id)
            .Bind(2, game.league)
            .Bind(3, game.home)
            .Bind(4, game.away)
            .Bind(5, game.start_time)
            .Bind(6, ToString(game.status))
            .Bind(7, Widen(game.home_score))
            .Bind(8, Widen(game.away_score))
            .Bind(9, game.period_scores)
            .Bind(10, game.updated_at)
            .Bind(11, game.void_reason)
            .Bind(12, game.sport)
            .Bind(13, game.status_detail)
            .Bind(14, BoolColumn(game.extra_time))
            .Bind(15, PeriodResultsText(game.periods))
            .Bind(16, ShootoutColumn(game, true))
            .Bind(17, ShootoutColumn(game, false))
            .Bind(18, ResultText(game));
        upsert.Run();
      }
    });
  }

  void InsertParlays(std::span<const Parlay> parlays) override {
    WriteTransaction(db_, [&] {
      auto& insert_parlay = db_.Prepare(
          "INSERT INTO parlays (id, account, stake_minor, currency, "
          "placed_at, status, payout_minor, settled_at, leg_count, "
          "pending_legs) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
      auto& insert_leg = db_.Prepare(
          "INSERT INTO legs (game_id, parlay_id, leg_index, market, "
          "selection, selection_text, line_quarters, odds, odds_numerator, "
          "odds_denominator, status, reason, graded_home_score, "
          "graded_away_score, settled_at, period) VALUES (?1, ?2, ?3, ?4, "
          "?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)");
      for (const Parlay& parlay : parlays) {
        insert_parlay.Reset();
        insert_parlay.Bind(1, parlay.id)
            .Bind(2, parlay.account)
            .Bind(3, parlay.stake_minor)
            .Bind(4, parlay.currency)
            .Bind(5, parlay.placed_at)
            .Bind(6, ToString(parlay.status))
            .Bind(7, parlay.payout_minor)
            .Bind(8, parlay.settled_at)
            .Bind(9, static_cast<int64_t>(parlay.legs.size()))
            .Bind(10, PendingLegCount(parlay));
        try {
          insert_parlay.Run();
        } catch (const StoreError& error) {
          throw StoreError("cannot insert parlay \"" + parlay.id +
                           "\": " + error.what());
        }
        for (const Leg& leg : parlay.legs) {
          insert_leg.Reset();
          insert_leg.Bind(1, leg.game_id)
              .Bind(2, parlay.id)
              .Bind(3, int64_t{leg.index})
              .Bind(4, ToString(leg.market))
              .Bind(5, ToString(leg.selection))
              .Bind(6, leg.selection_text);
          if (leg.line) {
            insert_leg.Bind(7, int64_t{leg.line->quarters});
          } else {
            insert_leg.BindNull(7);
          }
          insert_leg.Bind(8, leg.odds.text)
              .Bind(9, leg.odds.numerator)
              .Bind(10, leg.odds.denominator)
              .Bind(11, ToString(leg.status))
              .Bind(12, leg.reason)
              .Bind(13, Widen(leg.graded_home_score))
              .Bind(14, Widen(leg.graded_away_score))
              .Bind(15, leg.settled_at)
              .Bind(16, ToString(leg.period));
          insert_leg.Run();
        }
      }
    });
  }

  std::optional<Game> GetGame(std::string_view id) override {
    auto& select = db_.Prepare(std::string("SELECT ") + kGameColumns +
                               " FROM games WHERE id = ?1");
    select.Bind(1, id);
    if (!select.Step()) return std::nullopt;
    Game game = ReadGame(select);
    select.Reset();
    return game;
  }

  std::vector<Game> GetGames(std::span<const std::string> ids) override {
    std::vector<Game> games;
    auto& select = db_.Prepare(
        std::string("SELECT ") + kGameColumns +
        " FROM games WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY "
        "id");
    select.Bind(1, IdArray(ids));
    while (select.Step()) games.push_back(ReadGame(select));
    return games;
  }

  std::vector<Game> ListGames(std::optional<GameStatus> status) override {
    std::vector<Game> games;
    auto& select = db_.Prepare(
        std::string("SELECT ") + kGameColumns +
        " FROM games WHERE ?1 IS NULL OR status = ?1 ORDER BY start_time, id");
    if (status) {
      select.Bind(1, ToString(*status));
    } else {
      select.BindNull(1);
    }
    while (select.Step()) games.push_back(ReadGame(select));
    return games;
  }

  std::vector<std::string> ExistingParlayIds(
      std::span<const std::string> ids) override {
    std::vector<std::string> existing;
    auto& select = db_.Prepare(
        "SELECT id FROM parlays WHERE id IN (SELECT value FROM "
        "json_each(?1)) ORDER BY id");
    select.Bind(1, IdArray(ids));
    while (select.Step()) existing.push_back(select.Text(0));
    return existing;
  }

  std::optional<Parlay> GetParlay(std::string_view id) override {
    auto& select = db_.Prepare(std::string("SELECT ") + kParlayColumns +
                               " FROM parlays WHERE id = ?1");
    select.Bind(1, id);
    if (!select.Step()) return std::nullopt;
    std::vector<Parlay> parlays;
    parlays.push_back(ReadParlay(select));
    select.Reset();
    AttachLegs(parlays);
    return std::move(parlays.front());
  }

  std::vector<Parlay> ListParlays(const ParlayQuery& query) override {
    std::vector<Parlay> parlays;
    auto& select = db_.Prepare(
        std::string("SELECT ") + kParlayColumns +
        " FROM parlays WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR "
        "account = ?2) AND id > ?3 ORDER BY id LIMIT ?4");
    if (query.status) {
      select.Bind(1, ToString(*query.status));
    } else {
      select.BindNull(1);
    }
    if (query.account) {
      select.Bind(2, *query.account);
    } else {
      select.BindNull(2);
    }
    select.Bind(3, query.after_id).Bind(4, int64_t{query.limit});
    while (select.Step()) parlays.push_back(ReadParlay(select));
    AttachLegs(parlays);
    return parlays;
  }

  std::vector<std::string> FindGamesToSettle(int limit) override {
    std::vector<std::string> ids;
    auto& select = db_.Prepare(std::string("SELECT id FROM games WHERE ") +
                               kGamesToSettleCondition +
                               " ORDER BY start_time, id LIMIT ?1");
    select.Bind(1, int64_t{limit});
    while (select.Step()) ids.push_back(select.Text(0));
    return ids;
  }

  std::vector<std::string> FindPostponedGames(int64_t started_before,
                                              int limit) override {
    std::vector<std::string> ids;
    auto& select = db_.Prepare(
        "SELECT id FROM games WHERE status = 'postponed' AND start_time < ?1 "
        "AND EXISTS (SELECT 1 FROM legs WHERE legs.game_id = games.id AND "
        "legs.status = 'PENDING') ORDER BY start_time, id LIMIT ?2");
    select.Bind(1, started_before).Bind(2, int64_t{limit});
    while (select.Step()) ids.push_back(select.Text(0));
    return ids;
  }

  std::vector<std::string> FindGamesWithChangedResults(int limit) override {
    std::vector<std::string> ids;
    // The first two conditions are those of the partial index
    // games_with_changed_result, so the query reads only that index.
    auto& select = db_.Prepare(
        "SELECT id FROM games WHERE result != settled_result AND "
        "first_settled_at IS NOT NULL AND attention = '' ORDER BY "
        "start_time, id LIMIT ?1");
    select.Bind(1, int64_t{limit});
    while (select.Step()) ids.push_back(select.Text(0));
    return ids;
  }

  std::vector<Game> ListGamesStartingBetween(int64_t from,
                                             int64_t to) override {
    std::vector<Game> games;
    auto& select = db_.Prepare(std::string("SELECT ") + kGameColumns +
                               " FROM games WHERE start_time BETWEEN ?1 AND "
                               "?2 ORDER BY start_time, id");
    select.Bind(1, from).Bind(2, to);
    while (select.Step()) games.push_back(ReadGame(select));
    return games;
  }

  std::map<std::string, std::string> FindFeedLinks(
      std::string_view provider,
      std::span<const std::string> event_ids) override {
    std::map<std::string, std::string> links;
    auto& select = db_.Prepare(
        "SELECT event_id, game_id FROM feed_links WHERE provider = ?1 AND "
        "event_id IN (SELECT value FROM json_each(?2))");
    select.Bind(1, provider).Bind(2, IdArray(event_ids));
    while (select.Step()) links.emplace(select.Text(0), select.Text(1));
    return links;
  }

  std::vector<Game> FindGamesNeedingAttention() override {
    std::vector<Game> games;
    auto& select = db_.Prepare(
        std::string("SELECT ") + kGameColumns +
        " FROM games WHERE attention != '' OR (status = 'final' AND "
        "(home_score IS NULL OR away_score IS NULL) AND EXISTS (SELECT 1 "
        "FROM legs WHERE legs.game_id = games.id AND legs.status = "
        "'PENDING')) ORDER BY start_time, id");
    while (select.Step()) games.push_back(ReadGame(select));
    return games;
  }

  std::vector<AuditEvent> ReadAudit(std::string_view parlay_id) override {
    std::vector<AuditEvent> events;
    auto& select = db_.Prepare(
        "SELECT id, entity, parlay_id, leg_index, game_id, old_status, "
        "new_status, payout_minor, home_score, away_score, reason, at, "
        "rules_version FROM settlement_events WHERE parlay_id = ?1 AND "
        "game_id IN (SELECT game_id FROM legs WHERE parlay_id = ?1 "
        "UNION ALL SELECT '') ORDER BY id");
    select.Bind(1, parlay_id);
    while (select.Step()) events.push_back(ReadAuditEvent(select));
    return events;
  }

  int64_t CountAudit() override {
    auto& select = db_.Prepare("SELECT COUNT(*) FROM settlement_events");
    select.Step();
    int64_t count = select.Int(0);
    select.Reset();
    return count;
  }

  std::vector<OutboxEvent> ReadOutbox(int64_t after_seq, int limit) override {
    std::vector<OutboxEvent> events;
    auto& select = db_.Prepare(Placeholders(kReadOutboxSql));
    // The page may end before a broken event, with rows left.
    StatementReset reset(select);
    select.Bind(1, after_seq).Bind(2, int64_t{limit});
    while (select.Step()) {
      OutboxEvent event;
      event.seq = select.Int(0);
      event.type = select.Text(1);
      event.parlay_id = select.Text(2);
      event.leg_index = static_cast<int>(select.Int(3));
      event.payload = select.Text(4);
      event.created_at = select.Int(5);
      event.event_id = select.OptionalInt(6).value_or(0);
      if (event.event_id != 0) {
        OutboxSource source;
        if (!select.IsNull(7)) source.audit = ReadAuditEvent(select, 7);
        if (!select.IsNull(21)) {
          source.currency = select.Text(20);
          source.stake_minor = select.Int(21);
        }
        try {
          BuildPayload(event, source);
        } catch (const CorruptDataError&) {
          if (events.empty()) throw;
          break;  // the next read starts at this event and throws
        }
      }
      events.push_back(std::move(event));
    }
    return events;
  }

  std::unique_ptr<Transaction> Begin() override {
    return std::make_unique<SqliteTransaction>(db_);
  }

  void WriteHeartbeat(const WorkerHeartbeat& beat) override {
    WriteTransaction(db_, [&] {
      auto& upsert = db_.Prepare(
          "INSERT INTO worker_heartbeats (worker_id, started_at_ms, "
          "beat_at_ms, cycles, last_parlays_settled, last_parlays_won, "
          "last_parlays_lost, total_parlays_settled, total_parlays_won, "
          "total_parlays_lost, total_legs_settled) VALUES (?1, ?2, ?3, ?4, "
          "?5, ?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT (worker_id) DO UPDATE "
          "SET started_at_ms = excluded.started_at_ms, beat_at_ms = "
          "excluded.beat_at_ms, cycles = excluded.cycles, "
          "last_parlays_settled = excluded.last_parlays_settled, "
          "last_parlays_won = excluded.last_parlays_won, last_parlays_lost = "
          "excluded.last_parlays_lost, total_parlays_settled = "
          "excluded.total_parlays_settled, total_parlays_won = "
          "excluded.total_parlays_won, total_parlays_lost = "
          "excluded.total_parlays_lost, total_legs_settled = "
          "excluded.total_legs_settled");
      upsert.Bind(1, beat.worker_id)
          .Bind(2, beat.started_at_ms)
          .Bind(3, beat.beat_at_ms)
          .Bind(4, beat.cycles)
          .Bind(5, beat.last_parlays_settled)
          .Bind(6, beat.last_parlays_won)
          .Bind(7, beat.last_parlays_lost)
          .Bind(8, beat.total_parlays_settled)
          .Bind(9, beat.total_parlays_won)
          .Bind(10, beat.total_parlays_lost)
          .Bind(11, beat.total_legs_settled);
      upsert.Run();
    });
  }

  std::optional<WorkerHeartbeat> ReadHeartbeat(
      std::string_view worker_id) override {
    auto& select = db_.Prepare(
        "SELECT worker_id, started_at_ms, beat_at_ms, cycles, "
        "last_parlays_settled, last_parlays_won, last_parlays_lost, "
        "total_parlays_settled, total_parlays_won, total_parlays_lost, "
        "total_legs_settled FROM worker_heartbeats WHERE worker_id = ?1");
    select.Bind(1, worker_id);
    if (!select.Step()) return std::nullopt;
    WorkerHeartbeat beat;
    beat.worker_id = select.Text(0);
    beat.started_at_ms = select.Int(1);
    beat.beat_at_ms = select.Int(2);
    beat.cycles = select.Int(3);
    beat.last_parlays_settled = select.Int(4);
    beat.last_parlays_won = select.Int(5);
    beat.last_parlays_lost = select.Int(6);
    beat.total_parlays_settled = select.Int(7);
    beat.total_parlays_won = select.Int(8);
    beat.total_parlays_lost = select.Int(9);
    beat.total_legs_settled = select.Int(10);
    select.Reset();
    return beat;
  }

  std::vector<WorkerHeartbeat> ListHeartbeats() override {
    std::vector<WorkerHeartbeat> beats;
    auto& select = db_.Prepare(
        "SELECT worker_id FROM worker_heartbeats ORDER BY worker_id");
    std::vector<std::string> ids;
    while (select.Step()) ids.push_back(select.Text(0));
    for (const std::string& id : ids) {
      if (std::optional<WorkerHeartbeat> beat = ReadHeartbeat(id)) {
        beats.push_back(*beat);
      }
    }
    return beats;
  }

  SettlementBacklog CountBacklog() override {
    SettlementBacklog backlog;
    auto& games = db_.Prepare(std::string("SELECT COUNT(*) FROM games WHERE ") +
                              kGamesToSettleCondition);
    games.Step();
    backlog.games_awaiting = games.Int(0);
    games.Reset();
    auto& legs =
        db_.Prepare("SELECT COUNT(*) FROM legs WHERE status = 'PENDING'");
    legs.Step();
    backlog.pending_legs = legs.Int(0);
    legs.Reset();
    return backlog;
  }

  AttentionCounts CountGamesNeedingAttention() override {
    auto& select = db_.Prepare(kCountGamesNeedingAttention);
    select.Step();
    AttentionCounts counts;
    counts.missing_score = select.Int(0);
    counts.correction_held = select.Int(1);
    counts.unknown_status = select.Int(2);
    select.Reset();
    return counts;
  }

  void RecordActivity(std::string_view source,
                      const HourlyActivity& delta) override {
    WriteTransaction(db_, [&] {
      auto& upsert = db_.Prepare(Placeholders(kActivityUpsertSql));
      upsert.Bind(1, delta.hour_start)
          .Bind(2, source)
          .Bind(3, delta.cycles)
          .Bind(4, delta.cycles_failed)
          .Bind(5, delta.games_attempted)
          .Bind(6, delta.games_failed)
          .Bind(7, delta.legs_settled)
          .Bind(8, delta.parlays_won)
          .Bind(9, delta.parlays_lost)
          .Bind(10, delta.parlays_push)
          .Bind(11, delta.parlays_void);
      upsert.Run();
      auto& money = db_.Prepare(Placeholders(kActivityMoneyUpsertSql));
      for (const auto& [currency, staked, paid] : ActivityMoney(delta)) {
        money.Reset();
        money.Bind(1, delta.hour_start)
            .Bind(2, source)
            .Bind(3, currency)
            .Bind(4, staked)
            .Bind(5, paid);
        money.Run();
      }
    });
  }

  std::vector<HourlyActivity> ReadActivity(int64_t from_hour,
                                           int64_t to_hour) override {
    std::vector<HourlyActivity> hours;
    std::map<int64_t, size_t> position;
    auto& select = db_.Prepare(Placeholders(kActivitySelectSql));
    select.Bind(1, from_hour).Bind(2, to_hour);
    while (select.Step()) {
      HourlyActivity hour;
      hour.hour_start = select.Int(0);
      hour.cycles = select.Int(1);
      hour.cycles_failed = select.Int(2);
      hour.games_attempted = select.Int(3);
      hour.games_failed = select.Int(4);
      hour.legs_settled = select.Int(5);
      hour.parlays_won = select.Int(6);
      hour.parlays_lost = select.Int(7);
      hour.parlays_push = select.Int(8);
      hour.parlays_void = select.Int(9);
      position.emplace(hour.hour_start, hours.size());
      hours.push_back(std::move(hour));
    }
    auto& money = db_.Prepare(Placeholders(kActivityMoneySelectSql));
    money.Bind(1, from_hour).Bind(2, to_hour);
    while (money.Step()) {
      const auto found = position.find(money.Int(0));
      if (found == position.end()) continue;
      HourlyActivity& hour = hours[found->second];
      hour.staked_minor[money.Text(1)] = money.Int(2);
      hour.paid_minor[money.Text(1)] = money.Int(3);
    }
    return hours;
  }

  int64_t CountGamesToSettle() override {
    auto& select = db_.Prepare(
        std::string("SELECT COUNT(*) FROM games WHERE ") +
        kGamesToSettleCondition);
    select.Step();
    const int64_t count = select.Int(0);
    select.Reset();
    return count;
  }

  std::vector<GameLeg> ListGameLegs(std::string_view game_id,
                                    int limit) override {
    std::vector<GameLeg> legs;
    auto& select = db_.Prepare(
        std::string("SELECT ") + kLegColumns +
        " FROM legs WHERE game_id = ?1 ORDER BY parlay_id, leg_index LIMIT "
        "?2");
    select.Bind(1, game_id).Bind(2, int64_t{limit});
    while (select.Step()) {
      legs.push_back({select.Text(0), ReadLeg(select)});
    }
    return legs;
  }

 private:
  // Loads the legs of `parlays` in one query and attaches them in order.
  void AttachLegs(std::vector<Parlay>& parlays) {
    if (parlays.empty()) return;
    std::map<std::string, size_t, std::less<>> position;
    std::vector<std::string> ids;
    for (size_t i = 0; i < parlays.size(); ++i) {
      position.emplace(parlays[i].id, i);
      ids.push_back(parlays[i].id);
    }
    auto& select = db_.Prepare(
        std::string("SELECT ") + kLegColumns +
        " FROM legs WHERE parlay_id IN (SELECT value FROM json_each(?1)) "
        "ORDER BY parlay_id, leg_index");
    select.Bind(1, IdArray(ids));
    while (select.Step()) {
      auto found = position.find(select.Text(0));
      if (found != position.end()) {
        parlays[found->second].legs.push_back(ReadLeg(select));
      }
    }
  }

  SqliteDb db_;
};

}  // namespace

std::unique_ptr<Store> OpenSqliteStore(const std::string& path) {
  return OpenSqliteStore(path, SqliteOptions{});
}

std::unique_ptr<Store> OpenSqliteStore(const std::string& path,
                                       const SqliteOptions& options) {
  // A connection that does not migrate serves a database that another one
  // created and migrated, so it does not create a missing file: an empty
  // database in its place would only fail later with "no such table".
  auto store = std::make_unique<SqliteStore>(path, options.busy_timeout_ms,
                                             options.migrate);
  if (options.migrate) store->Migrate();
  return store;
}

}  // namespace parlay
