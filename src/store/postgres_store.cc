// PostgreSQL implementation of Store, through libpq.
//
// Batch writes send one JSON array of rows as a single parameter and apply
// it with json_to_recordset, so a batch costs one round trip whatever its
// size. Only InsertParlays, whose imports can be any size, sends one array
// per kInsertRowsPerStatement rows. Work is claimed per game with SELECT ... FOR UPDATE SKIP LOCKED, so
// several workers can share one database; every transition also stays
// conditional on the row's old state.

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>
#include <unordered_map>

#include "store/postgres_db.h"
#include "store/postgres_schema.h"
#include "store/row_codec.h"
#include "store/store.h"

namespace parlay {
namespace {

// Rows per INSERT statement of InsertParlays. statement_timeout limits each
// statement, and one statement for the 1,000,000 legs of the long crash
// test ran past the default 30 s on a loaded 2-core machine. Chunks keep
// every statement small while the transaction stays all or none.
constexpr size_t kInsertRowsPerStatement = 20'000;

using nlohmann::json;

// Any fixed number works; every process that migrates uses the same one.
constexpr int64_t kMigrationLockKey = 0x7061726c6179;  // "parlay"

json OptionalJson(std::optional<int> value) {
  return value ? json(*value) : json(nullptr);
}

json OptionalJson(std::optional<int64_t> value) {
  return value ? json(*value) : json(nullptr);
}

std::optional<int> OptionalScore(const PgResult& rows, int row, int column) {
  if (rows.IsNull(row, column)) return std::nullopt;
  return static_cast<int>(rows.Int(row, column));
}

// Reads an audit row whose columns start at `first`.
AuditEvent ReadAuditEvent(const PgResult& rows, int row, int first = 0) {
  AuditEvent event;
  event.id = rows.Int(row, first);
  event.entity = rows.Text(row, first + 1);
  event.parlay_id = rows.Text(row, first + 2);
  event.leg_index = static_cast<int>(rows.Int(row, first + 3));
  event.game_id = rows.Text(row, first + 4);
  event.old_status = rows.Text(row, first + 5);
  event.new_status = rows.Text(row, first + 6);
  event.payout_minor = rows.OptionalInt(row, first + 7);
  event.home_score = OptionalScore(rows, row, first + 8);
  event.away_score = OptionalScore(rows, row, first + 9);
  event.reason = rows.Text(row, first + 10);
  event.at = rows.Int(row, first + 11);
  event.rules_version = rows.Text(row, first + 12);
  return event;
}

Game ReadGame(const PgResult& rows, int row) {
  Game game;
  game.id = rows.Text(row, 0);
  game.league = rows.Text(row, 1);
  game.home = rows.Text(row, 2);
  game.away = rows.Text(row, 3);
  game.start_time = rows.Int(row, 4);
  game.status = ParseColumn<GameStatus>(rows.Text(row, 5), ParseGameStatus,
                                        "game status");
  game.home_score = OptionalScore(rows, row, 6);
  game.away_score = OptionalScore(rows, row, 7);
  game.period_scores = rows.Text(row, 8);
  game.updated_at = rows.Int(row, 9);
  game.void_reason = rows.Text(row, 10);
  game.sport = rows.Text(row, 11);
  game.status_detail = rows.Text(row, 12);
  if (!rows.IsNull(row, 13)) game.extra_time = rows.Int(row, 13) != 0;
  game.periods = ParsePeriodResults(rows.Text(row, 14));
  if (!rows.IsNull(row, 15) && !rows.IsNull(row, 16)) {
    game.shootout = Score{static_cast<int>(rows.Int(row, 15)),
                          static_cast<int>(rows.Int(row, 16))};
  }
  game.first_settled_at = rows.OptionalInt(row, 17);
  game.attention = rows.Text(row, 18);
  return game;
}

Leg ReadLeg(const PgResult& rows, int row) {
  Leg leg;
  leg.index = static_cast<int>(rows.Int(row, 1));
  leg.game_id = rows.Text(row, 2);
  leg.market = ParseColumn<Market>(rows.Text(row, 3), ParseMarket, "market");
  leg.selection =
      ParseColumn<Selection>(rows.Text(row, 4), ParseSelection, "selection");
  leg.selection_text = rows.Text(row, 5);
  if (!rows.IsNull(row, 6)) leg.line = Line{static_cast<int>(rows.Int(row, 6))};
  leg.odds = Odds{rows.Text(row, 7), rows.Int(row, 8), rows.Int(row, 9)};
  leg.status = ParseColumn<LegStatus>(rows.Text(row, 10), ParseLegStatus,
                                      "leg status");
  leg.reason = rows.Text(row, 11);
  leg.graded_home_score = OptionalScore(rows, row, 12);
  leg.graded_away_score = OptionalScore(rows, row, 13);
  leg.settled_at = rows.OptionalInt(row, 14);
  leg.period = ParseColumn<Period>(rows.Text(row, 15), ParsePeriod, "period");
  return leg;
}

Parlay ReadParlay(const PgResult& rows, int row) {
  Parlay parlay;
  parlay.id = rows.Text(row, 0);
  parlay.account = rows.Text(row, 1);
  parlay.stake_minor = rows.Int(row, 2);
  parlay.currency = rows.Text(row, 3);
  parlay.placed_at = rows.Int(row, 4);
  parlay.status = ParseColumn<ParlayStatus>(
      rows.Text(row, 5), ParseParlayStatus, "parlay status");
  parlay.payout_minor = rows.OptionalInt(row, 6);
  parlay.settled_at = rows.OptionalInt(row, 7);
  return parlay;
}

LegTerms ReadTerms(const PgResult& rows, int row, int first_column) {
  LegTerms terms;
  terms.market = ParseColumn<Market>(rows.Text(row, first_column),
                                     ParseMarket, "market");
  terms.selection = ParseColumn<Selection>(rows.Text(row, first_column + 1),
                                           ParseSelection, "selection");
  if (!rows.IsNull(row, first_column + 2)) {
    terms.line = Line{static_cast<int>(rows.Int(row, first_column + 2))};
  }
  terms.period = ParseColumn<Period>(rows.Text(row, first_column + 3),
                                     ParsePeriod, "period");
  return terms;
}

// Returns, per row of a batch of `count`, whether the UPDATE changed it:
// its statement returns the ordinal `n` of every batch row it applied.
std::vector<bool> ChangedRows(size_t count, const PgResult& returned) {
  std::vector<bool> changed(count, false);
  for (int row = 0; row < returned.rows(); ++row) {
    changed.at(static_cast<size_t>(returned.Int(row, 0))) = true;
  }
  return changed;
}

std::string GameSelect(std::string_view where) {
  return std::string("SELECT ") + kGameColumns + " FROM games " +
         std::string(where);
}

constexpr char kGameUpsertSql[] = R"sql(
INSERT INTO games (id, league, home, away, start_time, status, home_score,
  away_score, period_scores, updated_at, void_reason, sport, status_detail,
  extra_time, period_results, shootout_home_score, shootout_away_score,
  result)
SELECT id, league, home, away, start_time, status, home_score, away_score,
  period_scores, updated_at, void_reason, sport, status_detail, extra_time,
  period_results, shootout_home_score, shootout_away_score, result
FROM json_to_recordset($1::json) AS g(id text, league text, home text,
  away text, start_time bigint, status text, home_score int, away_score int,
  period_scores text, updated_at bigint, void_reason text, sport text,
  status_detail text, extra_time int, period_results text,
  shootout_home_score int, shootout_away_score int, result text)
ON CONFLICT (id) DO UPDATE SET league = excluded.league,
  home = excluded.home, away = excluded.away,
  start_time = excluded.start_time, status = excluded.status,
  home_score = excluded.home_score, away_score = excluded.away_score,
  period_scores = excluded.period_scores, updated_at = excluded.updated_at,
  void_reason = excluded.void_reason, sport = excluded.sport,
  status_detail = excluded.status_detail, extra_time = excluded.extra_time,
  period_results = excluded.period_results,
  shootout_home_score = excluded.shootout_home_score,
  shootout_away_score = excluded.shootout_away_score,
  result = excluded.result
)sql";

// The extra_time column: 1 or 0, NULL when the feed did not say.
json ExtraTimeColumn(std::optional<bool> extra_time) {
  if (!extra_time) return json(nullptr);
  return json(*extra_time ? 1 : 0);
}

json GameRow(const Game& game) {
  return {
      {"id", game.id},
      {"league", game.league},
      {"home", game.home},
      {"away", game.away},
      {"start_time", game.start_time},
      {"status", ToString(game.status)},
      {"home_score", OptionalJson(game.home_score)},
      {"away_score", OptionalJson(game.away_score)},
      {"period_scores", game.period_scores},
      {"updated_at", game.updated_at},
      {"void_reason", game.void_reason},
      {"sport", game.sport},
      {"status_detail", game.status_detail},
      {"extra_time", ExtraTimeColumn(game.extra_time)},
      {"period_results", PeriodResultsText(game.periods)},
      {"shootout_home_score",
       game.shootout ? json(game.shootout->home) : json(nullptr)},
      {"shootout_away_score",
       game.shootout ? json(game.shootout->away) : json(nullptr)},
      {"result", ResultText(game)},
  };
}

class PostgresTransaction final : public Transaction {
 public:
  explicit PostgresTransaction(PgConnection& db) : db_(db) {
    // A batch passes tens of thousands of rows as one JSON parameter.
    // With the default work_mem of 4 MB, json_to_recordset spills them to
    // a temporary file before the statement can use them.
    db_.ExecuteScript("BEGIN; SET LOCAL work_mem = '64MB'");
  }

  ~PostgresTransaction() override {
    if (open_) {
      try {
        db_.ExecuteScript("ROLLBACK");
      } catch (const StoreError&) {
        // The connection is gone, and the server rolled back with it.
      }
    }
  }

  std::vector<std::string> ClaimGames(
      std::span<const std::string> ids) override {
    // Rows another worker has locked are skipped, not waited for, because
    // that worker is settling them. The next pass picks up what it leaves.
    PgResult rows = db_.Execute(
        "SELECT id FROM games WHERE id = ANY (ARRAY(SELECT "
        "json_array_elements_text($1::json))) ORDER BY id FOR UPDATE SKIP "
        "LOCKED",
        PgParams().Add(IdArray(ids)));
    std::vector<std::string> claimed;
    for (int row = 0; row < rows.rows(); ++row) {
      claimed.push_back(rows.Text(row, 0));
    }
    return claimed;
  }

  std::vector<Game> LoadGames(std::span<const std::string> ids) override {
    PgResult rows = db_.Execute(
        GameSelect("WHERE id = ANY (ARRAY(SELECT "
                   "json_array_elements_text($1::json)))"),
        PgParams().Add(IdArray(ids)));
    std::vector<Game> games;
    for (int row = 0; row < rows.rows(); ++row) {
      games.push_back(ReadGame(rows, row));
    }
    return games;
  }

  std::vector<PendingLeg> LoadPendingLegs(
      std::span<const std::string> game_ids) override {
    // "= ANY (ARRAY(...))" makes the planner look up each game in the
    // index of pending legs. With game_id IN (SELECT ...) it guessed 100
    // ids and scanned the whole table, so every batch cost more with each
    // pending leg of unrelated games.
    PgResult rows = db_.Execute(
        "SELECT parlay_id, leg_index, game_id, market, selection, "
        "line_quarters, period FROM legs WHERE status = 'PENDING' AND "
        "game_id = ANY (ARRAY(SELECT json_array_elements_text($1::json))) "
        "ORDER BY game_id, parlay_id, leg_index",
        PgParams().Add(IdArray(game_ids)));
    std::vector<PendingLeg> legs;
    legs.reserve(rows.rows());
    for (int row = 0; row < rows.rows(); ++row) {
      PendingLeg leg;
      leg.parlay_id = rows.Text(row, 0);
      leg.index = static_cast<int>(rows.Int(row, 1));
      leg.game_id = rows.Text(row, 2);
      leg.terms = ReadTerms(rows, row, 3);
      legs.push_back(std::move(leg));
    }
    return legs;
  }

  std::vector<bool> SettleLegs(std::span<const LegUpdate> updates) override {
    if (updates.empty()) return {};
    json batch = json::array();
    for (const LegUpdate& leg : updates) {
      batch.push_back({{"n", batch.size()},
                       {"game_id", leg.game_id},
                       {"parlay_id", leg.parlay_id},
                       {"leg_index", leg.index},
                       {"status", ToString(leg.status)},
                       {"reason", leg.reason},
                       {"home_score", OptionalJson(leg.home_score)},
                       {"away_score", OptionalJson(leg.away_score)},
                       {"settled_at", leg.settled_at},
                       {"postponement_void", leg.postponement_void ? 1 : 0}});
    }
    PgResult changed = db_.Execute(
        "UPDATE legs SET status = u.status, reason = u.reason, "
        "graded_home_score = u.home_score, graded_away_score = "
        "u.away_score, settled_at = u.settled_at, postponement_void = "
        "u.postponement_void FROM json_to_recordset($1::json) AS u(n int, "
        "game_id text, parlay_id text, leg_index int, status text, reason text, "
        "home_score int, away_score int, settled_at bigint, "
        "postponement_void int) WHERE legs.game_id = u.game_id AND "
        "legs.parlay_id = u.parlay_id AND legs.leg_index = u.leg_index AND "
        "legs.status = 'PENDING' RETURNING u.n",
        PgParams().Add(batch.dump()));
    return ChangedRows(updates.size(), changed);
  }

  std::vector<ParlayLegs> LoadParlayRows(
      std::span<const std::string> parlay_ids) override {
    // Locking the parlay rows (in id order, so two workers cannot deadlock
    // on them) makes a worker that settles another leg of the same parlay
    // wait, and then read this transaction's legs once it commits.
    PgResult rows = db_.Execute(
        "SELECT id, stake_minor, currency, status, payout_minor, leg_count, "
        "pending_legs FROM parlays WHERE id = ANY (ARRAY(SELECT "
        "json_array_elements_text($1::json))) ORDER BY id FOR UPDATE",
        PgParams().Add(IdArray(parlay_ids)));
    std::vector<ParlayLegs> parlays;
    parlays.reserve(rows.rows());
    for (int row = 0; row < rows.rows(); ++row) {
      ParlayLegs parlay;
      parlay.id = rows.Text(row, 0);
      parlay.stake_minor = rows.Int(row, 1);
      parlay.currency = rows.Text(row, 2);
      parlay.status = ParseColumn<ParlayStatus>(
          rows.Text(row, 3), ParseParlayStatus, "parlay status");
      parlay.payout_minor = rows.OptionalInt(row, 4);
      parlay.leg_count = static_cast<int>(rows.Int(row, 5));
      parlay.pending_legs = static_cast<int>(rows.Int(row, 6));
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
    PgResult leg_rows = db_.Execute(
        "SELECT parlay_id, status, odds, odds_numerator, odds_denominator "
        "FROM legs WHERE parlay_id = ANY (ARRAY(SELECT "
        "json_array_elements_text($1::json))) ORDER BY parlay_id, leg_index",
        PgParams().Add(IdArray(parlays)));
    for (int row = 0; row < leg_rows.rows(); ++row) {
      auto found = by_id.find(leg_rows.Text(row, 0));
      if (found == by_id.end()) continue;
      PricedLeg leg;
      leg.status = ParseColumn<LegStatus>(leg_rows.Text(row, 1),
                                          ParseLegStatus, "leg status");
      leg.odds = Odds{leg_rows.Text(row, 2), leg_rows.Int(row, 3),
                      leg_rows.Int(row, 4)};
      found->second->legs.push_back(std::move(leg));
    }
  }

  void SetPendingLegs(std::span<const ParlayLegs* const> parlays) override {
    if (parlays.empty()) return;
    json batch = json::array();
    for (const ParlayLegs* parlay : parlays) {
      batch.push_back(
          {{"id", parlay->id}, {"pending_legs", parlay->pending_legs}});
    }
    db_.Execute(
        "UPDATE parlays SET pending_legs = u.pending_legs FROM "
        "json_to_recordset($1::json) AS u(id text, pending_legs int) WHERE "
        "parlays.id = u.id",
        PgParams().Add(batch.dump()));
  }

  std::vector<bool> SettleParlays(
      std::span<const ParlayUpdate> updates) override {
    if (updates.empty()) return {};
    json batch = json::array();
    for (const ParlayUpdate& parlay : updates) {
      batch.push_back({{"n", batch.size()},
                       {"id", parlay.id},
                       {"status", ToString(parlay.outcome.status)},
                       {"payout_minor", parlay.outcome.payout_minor},
                       {"settled_at", parlay.settled_at}});
    }
    PgResult changed = db_.Execute(
        "UPDATE parlays SET status = u.status, payout_minor = "
        "u.payout_minor, settled_at = u.settled_at FROM "
        "json_to_recordset($1::json) AS u(n int, id text, status text, "
        "payout_minor bigint, settled_at bigint) WHERE parlays.id = u.id AND "
        "parlays.status = 'PENDING' RETURNING u.n",
        PgParams().Add(batch.dump()));
    return ChangedRows(updates.size(), changed);
  }

  // Audit and outbox rows go in by COPY: it parses each row once, with no
  // JSON in between. Audit ids are taken from the table's sequence first,
  // so that the outbox rows written next can refer to them. The outbox's
  // sequence numbers its rows in the order sent.
  void AppendAudit(std::span<AuditEvent> events) override {
    if (events.empty()) return;
    // The sequence is named by a literal: with pg_get_serial_sequence in
    // the select list, PostgreSQL looked it up again for every row, eight
    // times slower. PostgreSQL names an identity column's sequence
    // table_column_seq.
    PgResult ids = db_.Execute(
        "SELECT nextval('settlement_events_id_seq'::regclass) AS id FROM "
        "generate_series(1, $1) ORDER BY id",
        PgParams().Add(static_cast<int64_t>(events.size())));
    if (ids.rows() != static_cast<int>(events.size())) {
      throw StoreError("expected " + std::to_string(events.size()) +
                       " audit ids from the sequence, got " +
                       std::to_string(ids.rows()));
    }
    CopyRows rows;
    for (size_t i = 0; i < events.size(); ++i) {
      AuditEvent& event = events[i];
      event.id = ids.Int(static_cast<int>(i), 0);
      rows.Add(event.id)
          .Add(event.entity)
          .Add(event.parlay_id)
          .Add(int64_t{event.leg_index})
          .Add(event.game_id)
          .Add(event.old_status)
          .Add(event.new_status)
          .Add(event.payout_minor)
          .Add(Widen(event.home_score))
          .Add(Widen(event.away_score))
          .Add(event.reason)
          .Add(event.at)
          .Add(event.rules_version)
          .End();
    }
    db_.CopyIn(
        "COPY settlement_events (id, entity, parlay_id, leg_index, game_id, "
        "old_status, new_status, payout_minor, home_score, away_score, "
        "reason, at, rules_version) FROM STDIN",
        rows.text());
  }

  void AppendOutbox(std::span<const OutboxEvent> events) override {
    if (events.empty()) return;
    CopyRows rows;
    for (const OutboxEvent& event : events) {
      rows.Add(event.type)
          .Add(event.parlay_id)
          .Add(int64_t{event.leg_index})
          .Add(event.payload)
          .Add(event.created_at)
          .Add(event.event_id != 0 ? std::optional<int64_t>(event.event_id)
                                   : std::nullopt)
          .End();
    }
    db_.CopyIn(
        "COPY outbox (type, parlay_id, leg_index, payload, created_at, "
        "event_id) FROM STDIN",
        rows.text());
  }

  void VoidGame(std::string_view game_id, std::string_view reason,
                int64_t updated_at) override {
    PgResult result = db_.Execute(
        "UPDATE games SET status = 'cancelled', void_reason = $1, "
        "updated_at = $2 WHERE id = $3",
        PgParams().Add(reason).Add(updated_at).Add(game_id));
    if (result.affected_rows() != 1) {
      throw StoreError("game not found: \"" + std::string(game_id) + "\"");
    }
  }

  void WriteGameResults(std::span<const Game> games) override {
    if (games.empty()) return;
    json batch = json::array();
    for (const Game& game : games) batch.push_back(GameRow(game));
    db_.Execute(
        "UPDATE games SET status = u.status, home_score = u.home_score, "
        "away_score = u.away_score, period_scores = u.period_scores, "
        "updated_at = u.updated_at, sport = u.sport, status_detail = "
        "u.status_detail, extra_time = u.extra_time, period_results = "
        "u.period_results, shootout_home_score = u.shootout_home_score, "
        "shootout_away_score = u.shootout_away_score, result = u.result "
        "FROM json_to_recordset($1::json) AS u(id text, status text, "
        "home_score int, away_score int, period_scores text, updated_at "
        "bigint, sport text, status_detail text, extra_time int, "
        "period_results text, shootout_home_score int, shootout_away_score "
        "int, result text) WHERE games.id = u.id",
        PgParams().Add(batch.dump()));
  }

  void LinkFeedEvents(std::string_view provider,
                      std::span<const FeedLink> links,
                      int64_t linked_at) override {
    if (links.empty()) return;
    json batch = json::array();
    for (const FeedLink& link : links) {
      batch.push_back({{"event_id", link.event_id}, {"game_id", link.game_id}});
    }
    db_.Execute(
        "INSERT INTO feed_links (provider, event_id, game_id, linked_at) "
        "SELECT $1, event_id, game_id, $2 FROM json_to_recordset($3::json) "
        "AS l(event_id text, game_id text) ON CONFLICT (provider, event_id) "
        "DO NOTHING",
        PgParams().Add(provider).Add(linked_at).Add(batch.dump()));
  }

  std::vector<SettledLeg> LoadSettledLegs(
      std::span<const std::string> game_ids) override {
    PgResult rows = db_.Execute(
        "SELECT parlay_id, leg_index, game_id, market, selection, "
        "line_quarters, period, status, reason, graded_home_score, "
        "graded_away_score FROM legs WHERE status != 'PENDING' AND "
        "postponement_void = 0 AND game_id = ANY (ARRAY(SELECT "
        "json_array_elements_text($1::json))) ORDER BY game_id, parlay_id, "
        "leg_index",
        PgParams().Add(IdArray(game_ids)));
    std::vector<SettledLeg> legs;
    for (int row = 0; row < rows.rows(); ++row) {
      SettledLeg leg;
      leg.parlay_id = rows.Text(row, 0);
      leg.index = static_cast<int>(rows.Int(row, 1));
      leg.game_id = rows.Text(row, 2);
      leg.terms = ReadTerms(rows, row, 3);
      leg.status = ParseColumn<LegStatus>(rows.Text(row, 7), ParseLegStatus,
                                          "leg status");
      leg.reason = rows.Text(row, 8);
      leg.home_score = OptionalScore(rows, row, 9);
      leg.away_score = OptionalScore(rows, row, 10);
      legs.push_back(std::move(leg));
    }
    return legs;
  }

  std::vector<bool> CorrectLegs(
      std::span<const LegCorrection> corrections) override {
    if (corrections.empty()) return {};
    json batch = json::array();
    for (const LegCorrection& leg : corrections) {
      batch.push_back({{"n", batch.size()},
                       {"game_id", leg.old_leg.game_id},
                       {"parlay_id", leg.old_leg.parlay_id},
                       {"leg_index", leg.old_leg.index},
                       {"status", ToString(leg.status)},
                       {"reason", leg.reason},
                       {"home_score", OptionalJson(leg.home_score)},
                       {"away_score", OptionalJson(leg.away_score)},
                       {"settled_at", leg.settled_at},
                       {"old_status", ToString(leg.old_leg.status)},
                       {"old_home_score", OptionalJson(leg.old_leg.home_score)},
                       {"old_away_score",
                        OptionalJson(leg.old_leg.away_score)}});
    }
    PgResult changed = db_.Execute(
        "UPDATE legs SET status = u.status, reason = u.reason, "
        "graded_home_score = u.home_score, graded_away_score = "
        "u.away_score, settled_at = u.settled_at FROM "
        "json_to_recordset($1::json) AS u(n int, game_id text, parlay_id "
        "text, leg_index int, status text, reason text, home_score int, "
        "away_score int, settled_at bigint, old_status text, old_home_score int, "
        "old_away_score int) WHERE legs.game_id = u.game_id AND "
        "legs.parlay_id = u.parlay_id AND legs.leg_index = u.leg_index AND "
        "legs.status = u.old_status AND legs.graded_home_score IS NOT "
        "DISTINCT FROM u.old_home_score AND legs.graded_away_score IS NOT "
        "DISTINCT FROM u.old_away_score AND legs.postponement_void = 0 "
        "RETURNING u.n",
        PgParams().Add(batch.dump()));
    return ChangedRows(corrections.size(), changed);
  }

  std::vector<bool> CorrectParlays(
      std::span<const ParlayCorrection> corrections) override {
    if (corrections.empty()) return {};
    json batch = json::array();
    for (const ParlayCorrection& parlay : corrections) {
      const bool pending = parlay.outcome.status == ParlayStatus::kPending;
      batch.push_back(
          {{"n", batch.size()},
           {"id", parlay.id},
           {"status", ToString(parlay.outcome.status)},
           {"payout_minor",
            pending ? json(nullptr) : json(parlay.outcome.payout_minor)},
           {"settled_at", pending ? json(nullptr) : json(parlay.settled_at)},
           {"old_status", ToString(parlay.old_status)},
           {"old_payout_minor", OptionalJson(parlay.old_payout_minor)}});
    }
    PgResult changed = db_.Execute(
        "UPDATE parlays SET status = u.status, payout_minor = "
        "u.payout_minor, settled_at = u.settled_at FROM "
        "json_to_recordset($1::json) AS u(n int, id text, status text, "
        "payout_minor bigint, settled_at bigint, old_status text, "
        "old_payout_minor bigint) WHERE parlays.id = u.id AND parlays.status "
        "= u.old_status AND parlays.payout_minor IS NOT DISTINCT FROM "
        "u.old_payout_minor RETURNING u.n",
        PgParams().Add(batch.dump()));
    return ChangedRows(corrections.size(), changed);
  }

  void MarkGamesSettled(std::span<const std::string> game_ids,
                        int64_t now) override {
    // PostgreSQL also evaluates every SET expression on the old row.
    db_.Execute(
        "UPDATE games SET settled_result = CASE WHEN first_settled_at IS "
        "NULL THEN result ELSE settled_result END, first_settled_at = "
        "COALESCE(first_settled_at, $1) WHERE id IN (SELECT "
        "json_array_elements_text($2::json))",
        PgParams().Add(now).Add(IdArray(game_ids)));
  }

  void MarkResultChecked(std::string_view game_id) override {
    db_.Execute("UPDATE games SET settled_result = result WHERE id = $1",
                PgParams().Add(game_id));
  }

  void SetGameAttention(std::string_view game_id,
                        std::string_view attention) override {
    db_.Execute("UPDATE games SET attention = $1 WHERE id = $2",
                PgParams().Add(attention).Add(game_id));
  }

  void Commit() override {
    db_.ExecuteScript("COMMIT");
    open_ = false;
  }

 private:
  PgConnection& db_;
  bool open_ = true;
};

// Runs `body` inside BEGIN ... COMMIT, rolling back on any exception.
template <typename Body>
void WriteTransaction(PgConnection& db, Body body) {
  db.ExecuteScript("BEGIN");
  try {
    body();
    db.ExecuteScript("COMMIT");
  } catch (...) {
    try {
      db.ExecuteScript("ROLLBACK");
    } catch (const StoreError&) {
      // The connection is gone, and the server rolled back with it.
    }
    throw;
  }
}

class PostgresStore final : public Store {
 public:
  PostgresStore(const std::string& url, const PgConnectionOptions& options)
      : db_(url, options) {}

  int Migrate() override {
    int version = 0;
    WriteTransaction(db_, [&] {
      // Processes that start at once wait here for the first to migrate.
      db_.Execute("SELECT pg_advisory_xact_lock($1)",
                  PgParams().Add(kMigrationLockKey));
      db_.ExecuteScript(
          "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER "
          "PRIMARY KEY, applied_at BIGINT NOT NULL)");
      PgResult current = db_.Execute(
          "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
      version = static_cast<int>(current.Int(0, 0));
      RejectNewerSchema(version, PostgresMigrations().back().version);
      for (const Migration& migration : PostgresMigrations()) {
        if (migration.version <= version) continue;
        db_.ExecuteScript(migration.sql);
        db_.Execute(
            "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, "
            "EXTRACT(EPOCH FROM now())::bigint)",
            PgParams().Add(int64_t{migration.version}));
        version = migration.version;
      }
    });
    return version;
  }

  void UpsertGames(std::span<const Game> games) override {
    if (games.empty()) return;
    // One statement may not update a row twice, so only the last record
    // of each id is sent, which is what upserting them in order leaves.
    std::map<std::string_view, const Game*> last;
    for (const Game& game : games) last[game.id] = &game;
    json batch = json::array();
    for (const auto& [id, game] : last) batch.push_back(GameRow(*game));
    db_.Execute(kGameUpsertSql, PgParams().Add(batch.dump()));
  }

  void InsertParlays(std::span<const Parlay> parlays) override {
    if (parlays.empty()) return;
    json parlay_rows = json::array();
    // Legs go in game order, so a game's legs land near each other.
    std::vector<std::pair<const Parlay*, const Leg*>> legs;
    for (const Parlay& parlay : parlays) {
      parlay_rows.push_back(
          {{"id", parlay.id},
           {"account", parlay.account},
           {"stake_minor", parlay.stake_minor},
           {"currency", parlay.currency},
           {"placed_at", parlay.placed_at},
           {"status", ToString(parlay.status)},
           {"payout_minor", OptionalJson(parlay.payout_minor)},
           {"settled_at", OptionalJson(parlay.settled_at)},
           {"leg_count", parlay.legs.size()},
           {"pending_legs", PendingLegCount(parlay)}});
      for (const Leg& leg : parlay.legs) legs.emplace_back(&parlay, &leg);
    }
    std::sort(legs.begin(), legs.end(), [](const auto& a, const auto& b) {
      return std::tie(a.second->game_id, a.first->id, a.second->index) <
             std::tie(b.second->game_id, b.first->id, b.second->index);
    });
    json leg_rows = json::array();
    for (const auto& [parlay, leg] : legs) {
      leg_rows.push_back(
          {{"game_id", leg->game_id},
           {"parlay_id", parlay->id},
           {"leg_index", leg->index},
           {"market", ToString(leg->market)},
           {"selection", ToString(leg->selection)},
           {"selection_text", leg->selection_text},
           {"line_quarters",
            leg->line ? json(leg->line->quarters) : json(nullptr)},
           {"odds", leg->odds.text},
           {"odds_numerator", leg->odds.numerator},
           {"odds_denominator", leg->odds.denominator},
           {"status", ToString(leg->status)},
           {"reason", leg->reason},
           {"graded_home_score", OptionalJson(leg->graded_home_score)},
           {"graded_away_score", OptionalJson(leg->graded_away_score)},
           {"settled_at", OptionalJson(leg->settled_at)},
           {"period", ToString(leg->period)}});
    }
    WriteTransaction(db_, [&] {
      try {
        InsertInChunks(
            "INSERT INTO parlays (id, account, stake_minor, currency, "
            "placed_at, status, payout_minor, settled_at, leg_count, "
            "pending_legs) SELECT * FROM json_to_recordset($1::json) AS "
            "p(id text, account text, stake_minor bigint, currency text, "
            "placed_at bigint, status text, payout_minor bigint, settled_at "
            "bigint, leg_count int, pending_legs int)",
            parlay_rows);
      } catch (const StoreError& error) {
        throw StoreError(std::string("cannot insert parlays: ") +
                         error.what());
      }
      InsertInChunks(
          "INSERT INTO legs (game_id, parlay_id, leg_index, market, "
          "selection, selection_text, line_quarters, odds, odds_numerator, "
          "odds_denominator, status, reason, graded_home_score, "
          "graded_away_score, settled_at, period) SELECT * FROM "
          "json_to_recordset($1::json) AS l(game_id text, parlay_id text, "
          "leg_index int, market text, selection text, selection_text text, "
          "line_quarters int, odds text, odds_numerator bigint, "
          "odds_denominator bigint, status text, reason text, "
          "graded_home_score int, graded_away_score int, settled_at bigint, "
          "period text) ORDER BY game_id, parlay_id, leg_index",
          leg_rows);
    });
  }

  // Runs the INSERT `sql` once per kInsertRowsPerStatement rows of `rows`,
  // which it takes as the JSON array $1, inside the caller's transaction.
  void InsertInChunks(const std::string& sql, const json& rows) {
    for (size_t begin = 0; begin < rows.size();
         begin += kInsertRowsPerStatement) {
      const size_t end = std::min(rows.size(), begin + kInsertRowsPerStatement);
      json chunk = json::array();
      for (size_t i = begin; i < end; ++i) chunk.push_back(rows[i]);
      db_.Execute(sql, PgParams().Add(chunk.dump()));
    }
  }

  std::optional<Game> GetGame(std::string_view id) override {
    PgResult rows =
        db_.Execute(GameSelect("WHERE id = $1"), PgParams().Add(id));
    if (rows.rows() == 0) return std::nullopt;
    return ReadGame(rows, 0);
  }

  std::vector<Game> GetGames(std::span<const std::string> ids) override {
    return Games(GameSelect("WHERE id = ANY (ARRAY(SELECT "
                            "json_array_elements_text($1::json))) ORDER BY id"),
                 PgParams().Add(IdArray(ids)));
  }

  std::vector<Game> ListGames(std::optional<GameStatus> status) override {
    PgParams params;
    if (status) {
      params.Add(ToString(*status));
    } else {
      params.AddNull();
    }
    return Games(GameSelect("WHERE $1::text IS NULL OR status = $1 ORDER BY "
                            "start_time, id"),
                 params);
  }

  std::vector<std::string> ExistingParlayIds(
      std::span<const std::string> ids) override {
    return Ids("SELECT id FROM parlays WHERE id IN (SELECT "
               "json_array_elements_text($1::json)) ORDER BY id",
               PgParams().Add(IdArray(ids)));
  }

  std::optional<Parlay> GetParlay(std::string_view id) override {
    PgResult rows = db_.Execute(std::string("SELECT ") + kParlayColumns +
                                    " FROM parlays WHERE id = $1",
                                PgParams().Add(id));
    if (rows.rows() == 0) return std::nullopt;
    std::vector<Parlay> parlays = {ReadParlay(rows, 0)};
    AttachLegs(parlays);
    return std::move(parlays.front());
  }

  std::vector<Parlay> ListParlays(const ParlayQuery& query) override {
    PgParams params;
    if (query.status) {
      params.Add(ToString(*query.status));
    } else {
      params.AddNull();
    }
    if (query.account) {
      params.Add(*query.account);
    } else {
      params.AddNull();
    }
    params.Add(query.after_id).Add(int64_t{query.limit});
    PgResult rows = db_.Execute(
        std::string("SELECT ") + kParlayColumns +
            " FROM parlays WHERE ($1::text IS NULL OR status = $1) AND "
            "($2::text IS NULL OR account = $2) AND id > $3 ORDER BY id "
            "LIMIT $4",
        params);
    std::vector<Parlay> parlays;
    for (int row = 0; row < rows.rows(); ++row) {
      parlays.push_back(ReadParlay(rows, row));
    }
    AttachLegs(parlays);
    return parlays;
  }

  std::vector<std::string> FindGamesToSettle(int limit) override {
    return Ids(std::string("SELECT id FROM games WHERE ") +
                   kGamesToSettleCondition +
                   " ORDER BY start_time, id LIMIT $1",
               PgParams().Add(int64_t{limit}));
  }

  std::vector<std::string> FindPostponedGames(int64_t started_before,
                                              int limit) override {
    return Ids(
        "SELECT id FROM games WHERE status = 'postponed' AND start_time < $1 "
        "AND EXISTS (SELECT 1 FROM legs WHERE legs.game_id = games.id AND "
        "legs.status = 'PENDING') ORDER BY start_time, id LIMIT $2",
        PgParams().Add(started_before).Add(int64_t{limit}));
  }

  std::vector<std::string> FindGamesWithChangedResults(int limit) override {
    return Ids(
        "SELECT id FROM games WHERE result != settled_result AND "
        "first_settled_at IS NOT NULL AND attention = '' ORDER BY "
        "start_time, id LIMIT $1",
        PgParams().Add(int64_t{limit}));
  }

  std::vector<Game> ListGamesStartingBetween(int64_t from,
                                             int64_t to) override {
    return Games(GameSelect("WHERE start_time BETWEEN $1 AND $2 ORDER BY "
                            "start_time, id"),
                 PgParams().Add(from).Add(to));
  }

  std::map<std::string, std::string> FindFeedLinks(
      std::string_view provider,
      std::span<const std::string> event_ids) override {
    PgResult rows = db_.Execute(
        "SELECT event_id, game_id FROM feed_links WHERE provider = $1 AND "
        "event_id = ANY (ARRAY(SELECT json_array_elements_text($2::json)))",
        PgParams().Add(provider).Add(IdArray(event_ids)));
    std::map<std::string, std::string> links;
    for (int row = 0; row < rows.rows(); ++row) {
      links.emplace(rows.Text(row, 0), rows.Text(row, 1));
    }
    return links;
  }

  std::vector<Game> FindGamesNeedingAttention() override {
    return Games(
        GameSelect("WHERE attention != '' OR (status = 'final' AND "
                   "(home_score IS NULL OR away_score IS NULL) AND EXISTS "
                   "(SELECT 1 FROM legs WHERE legs.game_id = games.id AND "
                   "legs.status = 'PENDING')) ORDER BY start_time, id"),
        PgParams());
  }

  std::vector<AuditEvent> ReadAudit(std::string_view parlay_id) override {
    PgResult rows = db_.Execute(
        "SELECT id, entity, parlay_id, leg_index, game_id, old_status, "
        "new_status, payout_minor, home_score, away_score, reason, at, "
        "rules_version FROM settlement_events WHERE parlay_id = $1 AND "
        "game_id IN (SELECT game_id FROM legs WHERE parlay_id = $1 "
        "UNION ALL SELECT '') ORDER BY id",
        PgParams().Add(parlay_id));
    std::vector<AuditEvent> events;
    for (int row = 0; row < rows.rows(); ++row) {
      events.push_back(ReadAuditEvent(rows, row));
    }
    return events;
  }

  int64_t CountAudit() override {
    return db_.Execute("SELECT COUNT(*) FROM settlement_events").Int(0, 0);
  }

  std::vector<OutboxEvent> ReadOutbox(int64_t after_seq, int limit) override {
    PgResult rows = db_.Execute(
        kReadOutboxSql, PgParams().Add(after_seq).Add(int64_t{limit}));
    std::vector<OutboxEvent> events;
    for (int row = 0; row < rows.rows(); ++row) {
      OutboxEvent event;
      event.seq = rows.Int(row, 0);
      event.type = rows.Text(row, 1);
      event.parlay_id = rows.Text(row, 2);
      event.leg_index = static_cast<int>(rows.Int(row, 3));
      event.payload = rows.Text(row, 4);
      event.created_at = rows.Int(row, 5);
      event.event_id = rows.OptionalInt(row, 6).value_or(0);
      if (event.event_id != 0) {
        OutboxSource source;
        if (!rows.IsNull(row, 7)) source.audit = ReadAuditEvent(rows, row, 7);
        if (!rows.IsNull(row, 21)) {
          source.currency = rows.Text(row, 20);
          source.stake_minor = rows.Int(row, 21);
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
    return std::make_unique<PostgresTransaction>(db_);
  }

  void WriteHeartbeat(const WorkerHeartbeat& beat) override {
    db_.Execute(
        "INSERT INTO worker_heartbeats (worker_id, started_at_ms, "
        "beat_at_ms, cycles, last_parlays_settled, last_parlays_won, "
        "last_parlays_lost, total_parlays_settled, total_parlays_won, "
        "total_parlays_lost, total_legs_settled) VALUES ($1, $2, $3, $4, "
        "$5, $6, $7, $8, $9, $10, $11) ON CONFLICT (worker_id) DO UPDATE "
        "SET started_at_ms = excluded.started_at_ms, beat_at_ms = "
        "excluded.beat_at_ms, cycles = excluded.cycles, "
        "last_parlays_settled = excluded.last_parlays_settled, "
        "last_parlays_won = excluded.last_parlays_won, last_parlays_lost = "
        "excluded.last_parlays_lost, total_parlays_settled = "
        "excluded.total_parlays_settled, total_parlays_won = "
        "excluded.total_parlays_won, total_parlays_lost = "
        "excluded.total_parlays_lost, total_legs_settled = "
        "excluded.total_legs_settled",
        PgParams()
            .Add(beat.worker_id)
            .Add(beat.started_at_ms)
            .Add(beat.beat_at_ms)
            .Add(beat.cycles)
            .Add(beat.last_parlays_settled)
            .Add(beat.last_parlays_won)
            .Add(beat.last_parlays_lost)
            .Add(beat.total_parlays_settled)
            .Add(beat.total_parlays_won)
            .Add(beat.total_parlays_lost)
            .Add(beat.total_legs_settled));
  }

  std::optional<WorkerHeartbeat> ReadHeartbeat(
      std::string_view worker_id) override {
    PgResult rows = db_.Execute(
        "SELECT worker_id, started_at_ms, beat_at_ms, cycles, "
        "last_parlays_settled, last_parlays_won, last_parlays_lost, "
        "total_parlays_settled, total_parlays_won, total_parlays_lost, "
        "total_legs_settled FROM worker_heartbeats WHERE worker_id = $1",
        PgParams().Add(worker_id));
    if (rows.rows() == 0) return std::nullopt;
    WorkerHeartbeat beat;
    beat.worker_id = rows.Text(0, 0);
    beat.started_at_ms = rows.Int(0, 1);
    beat.beat_at_ms = rows.Int(0, 2);
    beat.cycles = rows.Int(0, 3);
    beat.last_parlays_settled = rows.Int(0, 4);
    beat.last_parlays_won = rows.Int(0, 5);
    beat.last_parlays_lost = rows.Int(0, 6);
    beat.total_parlays_settled = rows.Int(0, 7);
    beat.total_parlays_won = rows.Int(0, 8);
    beat.total_parlays_lost = rows.Int(0, 9);
    beat.total_legs_settled = rows.Int(0, 10);
    return beat;
  }

  std::vector<WorkerHeartbeat> ListHeartbeats() override {
    std::vector<std::string> ids = Ids(
        "SELECT worker_id FROM worker_heartbeats ORDER BY worker_id",
        PgParams());
    std::vector<WorkerHeartbeat> beats;
    for (const std::string& id : ids) {
      if (std::optional<WorkerHeartbeat> beat = ReadHeartbeat(id)) {
        beats.push_back(*beat);
      }
    }
    return beats;
  }

  SettlementBacklog CountBacklog() override {
    SettlementBacklog backlog;
    backlog.games_awaiting =
        db_.Execute(std::string("SELECT COUNT(*) FROM games WHERE ") +
                    kGamesToSettleCondition)
            .Int(0, 0);
    backlog.pending_legs =
        db_.Execute("SELECT COUNT(*) FROM legs WHERE status = 'PENDING'")
            .Int(0, 0);
    return backlog;
  }

  AttentionCounts CountGamesNeedingAttention() override {
    PgResult rows = db_.Execute(kCountGamesNeedingAttention);
    AttentionCounts counts;
    counts.missing_score = rows.Int(0, 0);
    counts.correction_held = rows.Int(0, 1);
    counts.unknown_status = rows.Int(0, 2);
    return counts;
  }

  void RecordActivity(std::string_view source,
                      const HourlyActivity& delta) override {
    WriteTransaction(db_, [&] {
      db_.Execute(kActivityUpsertSql, PgParams()
                                          .Add(delta.hour_start)
                                          .Add(source)
                                          .Add(delta.cycles)
                                          .Add(delta.cycles_failed)
                                          .Add(delta.games_attempted)
                                          .Add(delta.games_failed)
                                          .Add(delta.legs_settled)
                                          .Add(delta.parlays_won)
                                          .Add(delta.parlays_lost)
                                          .Add(delta.parlays_push)
                                          .Add(delta.parlays_void));
      for (const CurrencyAmounts& money : ActivityMoney(delta)) {
        db_.Execute(kActivityMoneyUpsertSql, PgParams()
                                                 .Add(delta.hour_start)
                                                 .Add(source)
                                                 .Add(money.currency)
                                                 .Add(money.staked_minor)
                                                 .Add(money.paid_minor));
      }
    });
  }

  std::vector<HourlyActivity> ReadActivity(int64_t from_hour,
                                           int64_t to_hour) override {
    PgResult rows = db_.Execute(kActivitySelectSql,
                                PgParams().Add(from_hour).Add(to_hour));
    std::vector<HourlyActivity> hours;
    std::map<int64_t, size_t> position;
    for (int row = 0; row < rows.rows(); ++row) {
      HourlyActivity hour;
      hour.hour_start = rows.Int(row, 0);
      hour.cycles = rows.Int(row, 1);
      hour.cycles_failed = rows.Int(row, 2);
      hour.games_attempted = rows.Int(row, 3);
      hour.games_failed = rows.Int(row, 4);
      hour.legs_settled = rows.Int(row, 5);
      hour.parlays_won = rows.Int(row, 6);
      hour.parlays_lost = rows.Int(row, 7);
      hour.parlays_push = rows.Int(row, 8);
      hour.parlays_void = rows.Int(row, 9);
      position.emplace(hour.hour_start, hours.size());
      hours.push_back(std::move(hour));
    }
    PgResult money = db_.Execute(kActivityMoneySelectSql,
                                 PgParams().Add(from_hour).Add(to_hour));
    for (int row = 0; row < money.rows(); ++row) {
      const auto found = position.find(money.Int(row, 0));
      if (found == position.end()) continue;
      HourlyActivity& hour = hours[found->second];
      hour.staked_minor[money.Text(row, 1)] = money.Int(row, 2);
      hour.paid_minor[money.Text(row, 1)] = money.Int(row, 3);
    }
    return hours;
  }

  int64_t CountGamesToSettle() override {
    return db_.Execute(std::string("SELECT COUNT(*) FROM games WHERE ") +
                       kGamesToSettleCondition)
        .Int(0, 0);
  }

  std::vector<GameLeg> ListGameLegs(std::string_view game_id,
                                    int limit) override {
    PgResult rows = db_.Execute(
        std::string("SELECT ") + kLegColumns +
            " FROM legs WHERE game_id = $1 ORDER BY parlay_id, leg_index "
            "LIMIT $2",
        PgParams().Add(game_id).Add(int64_t{limit}));
    std::vector<GameLeg> legs;
    for (int row = 0; row < rows.rows(); ++row) {
      legs.push_back({rows.Text(row, 0), ReadLeg(rows, row)});
    }
    return legs;
  }

 private:
  std::vector<Game> Games(const std::string& sql, const PgParams& params) {
    PgResult rows = db_.Execute(sql, params);
    std::vector<Game> games;
    for (int row = 0; row < rows.rows(); ++row) {
      games.push_back(ReadGame(rows, row));
    }
    return games;
  }

  std::vector<std::string> Ids(const std::string& sql,
                               const PgParams& params) {
    PgResult rows = db_.Execute(sql, params);
    std::vector<std::string> ids;
    for (int row = 0; row < rows.rows(); ++row) {
      ids.push_back(rows.Text(row, 0));
    }
    return ids;
  }

  // Loads the legs of `parlays` in one query and attaches them in order.
  void AttachLegs(std::vector<Parlay>& parlays) {
    if (parlays.empty()) return;
    std::map<std::string, size_t, std::less<>> position;
    std::vector<std::string> ids;
    for (size_t i = 0; i < parlays.size(); ++i) {
      position.emplace(parlays[i].id, i);
      ids.push_back(parlays[i].id);
    }
    // With parlay_id IN (SELECT ...) the planner guessed 100 ids. Right
    // after a large import, before the table had statistics, it then
    // scanned every leg for one parlay: 170 ms per read of a parlay.
    PgResult rows = db_.Execute(
        std::string("SELECT ") + kLegColumns +
            " FROM legs WHERE parlay_id = ANY (ARRAY(SELECT "
            "json_array_elements_text($1::json))) ORDER BY parlay_id, "
            "leg_index",
        PgParams().Add(IdArray(ids)));
    for (int row = 0; row < rows.rows(); ++row) {
      auto found = position.find(rows.Text(row, 0));
      if (found != position.end()) {
        parlays[found->second].legs.push_back(ReadLeg(rows, row));
      }
    }
  }

  PgConnection db_;
};

}  // namespace

std::unique_ptr<Store> OpenPostgresStore(const std::string& url,
                                         const PostgresOptions& options) {
  PgConnectionOptions connection;
  connection.statement_timeout_ms = options.statement_timeout_ms;
  connection.reconnect_attempts = options.reconnect_attempts;
  auto store = std::make_unique<PostgresStore>(url, connection);
  if (options.migrate) store->Migrate();
  return store;
}

}  // namespace parlay
