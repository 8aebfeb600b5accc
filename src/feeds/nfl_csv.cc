// ReadNflCsv and ImportNflCsv: the spreadspoke NFL scores and betting lines
// CSV (docs/formats.md describes the mapping and how each known blemish of
// the file is handled).

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "feeds/csv.h"
#include "feeds/import.h"
#include "feeds/import_internal.h"
#include "feeds/nfl_teams.h"
#include "rules/line.h"

namespace parlay {
namespace {

using feeds::NflTeam;
using feeds::NflTeamTable;

// The columns the importer reads, found by name in the header row. The
// other columns (stadium, weather and so on) are ignored.
enum Column {
  kDate,
  kSeason,
  kWeek,
  kHome,
  kScoreHome,
  kScoreAway,
  kAway,
  kFavorite,
  kSpread,
  kTotal,
  kColumnCount,
};

constexpr std::string_view kColumnNames[kColumnCount] = {
    "schedule_date",   "schedule_season", "schedule_week", "team_home",
    "score_home",      "score_away",      "team_away",     "team_favorite_id",
    "spread_favorite", "over_under_line"};

constexpr std::string_view kPlayoffWeeks[] = {"Wildcard", "Division",
                                              "Conference", "Superbowl"};

constexpr int kMaxRegularWeek = 22;
constexpr int kMaxNflScore = 999;

std::string Trim(std::string_view text) {
  size_t begin = 0;
  size_t end = text.size();
  while (begin < end && (text[begin] == ' ' || text[begin] == '\t')) ++begin;
  while (end > begin && (text[end - 1] == ' ' || text[end - 1] == '\t')) --end;
  return std::string(text.substr(begin, end - begin));
}

std::optional<int> ParseInt(std::string_view text, int min, int max) {
  if (text.empty() || text.size() > 6) return std::nullopt;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value < min || value > max) return std::nullopt;
  return value;
}

// Parses "9/7/2023" (month/day/year).
std::optional<std::chrono::year_month_day> ParseUsDate(std::string_view text) {
  const size_t first = text.find('/');
  const size_t second =
      first == std::string_view::npos ? first : text.find('/', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  const std::optional<int> month = ParseInt(text.substr(0, first), 1, 12);
  const std::optional<int> day =
      ParseInt(text.substr(first + 1, second - first - 1), 1, 31);
  const std::string_view year_text = text.substr(second + 1);
  const std::optional<int> year = ParseInt(year_text, 1900, 2200);
  if (!month || !day || !year || year_text.size() != 4) return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year(*year),
                                         std::chrono::month(*month),
                                         std::chrono::day(*day)};
  if (!date.ok()) return std::nullopt;
  return date;
}

bool IsWeek(std::string_view text) {
  if (ParseInt(text, 1, kMaxRegularWeek)) return true;
  for (std::string_view name : kPlayoffWeeks) {
    if (name == text) return true;
  }
  return false;
}

// A team cell after the first pass: resolved, or a partial name with the
// teams it may mean.
struct TeamCell {
  const NflTeam* team = nullptr;
  std::vector<const NflTeam*> candidates;
};

// A data row after the first pass, before partial team names are resolved.
struct RowDraft {
  const feeds::CsvRow* row = nullptr;
  int record = 0;
  bool valid = true;
  std::chrono::year_month_day date;
  int season = 0;
  std::string week;
  TeamCell home;
  TeamCell away;
  std::optional<int> home_score;
  std::optional<int> away_score;
};

// Reads the scores file, collecting problems and warnings in `report`.
class NflCsvReader {
 public:
  NflCsvReader(std::string path, const NflTeamTable& teams,
               ImportReport& report)
      : path_(std::move(path)), teams_(teams), report_(report) {}

  std::vector<NflGame> Read() {
    const size_t problems_before = report_.problems.size();
    const size_t warnings_before = report_.warnings.size();
    Result<std::string> text = feeds::ReadFileText(path_);
    if (!text.ok()) throw ImportError({FileProblem(0, "", text.error(), "")});
    const feeds::CsvTable table = feeds::ParseCsv(text.value());
    if (table.rows.empty()) {
      throw ImportError({FileProblem(1, "", "empty file",
                                     "a header row and one row per game")});
    }
    FindColumns(table.rows.front());

    // Rows that cannot be split into fields are counted as records, but
    // their number is unknown, so the problem names the line alone.
    for (const feeds::CsvError& error : table.errors) {
      ++report_.records;
      report_.problems.push_back(
          FileProblem(error.line, "", "invalid CSV: " + error.message, ""));
    }
    std::vector<RowDraft> drafts;
    for (size_t r = 1; r < table.rows.size(); ++r) {
      ++report_.records;
      drafts.push_back(ReadRow(table.rows[r], static_cast<int>(r)));
    }
    for (RowDraft& draft : drafts) {
      if (draft.valid) NoteSchedule(draft);
    }
    std::vector<NflGame> games;
    for (RowDraft& draft : drafts) {
      if (!draft.valid) continue;
      ResolvePartialName(draft, kHome, draft.home);
      ResolvePartialName(draft, kAway, draft.away);
      if (draft.valid && draft.home.team->id == draft.away.team->id) {
        Problem(draft, kAway, "a team other than the home team");
      }
      if (draft.valid) games.push_back(MakeGame(draft));
    }
    // Partial team names are resolved in a second pass, so its problems
    // and warnings come after the others until sorted by line.
    SortByLine(report_.problems, problems_before);
    SortByLine(report_.warnings, warnings_before);
    return games;
  }

 private:
  // Sorts the problems from index `first` on by line.
  static void SortByLine(std::vector<ImportProblem>& problems, size_t first) {
    std::stable_sort(problems.begin() + static_cast<ptrdiff_t>(first),
                     problems.end(),
                     [](const ImportProblem& a, const ImportProblem& b) {
                       return a.line < b.line;
                     });
  }

  ImportProblem FileProblem(int line, std::string field, std::string error,
                            std::string expected) const {
    ImportProblem problem;
    problem.file = path_;
    problem.line = line;
    problem.field = std::move(field);
    problem.error = std::move(error);
    problem.expected = std::move(expected);
    return problem;
  }

  ImportProblem CellProblem(const RowDraft& draft, Column column,
                            std::string error, std::string expected) const {
    ImportProblem problem;
    problem.file = path_;
    problem.record = draft.record;
    problem.line = draft.row->line;
    problem.field = std::string(kColumnNames[column]);
    problem.value = feeds::QuoteValue(Cell(draft, column));
    problem.error = std::move(error);
    problem.expected = std::move(expected);
    return problem;
  }

  // Marks the row invalid with a problem on one cell.
  void Problem(RowDraft& draft, Column column, std::string expected) {
    report_.problems.push_back(
        CellProblem(draft, column, "", std::move(expected)));
    draft.valid = false;
  }

  void Warn(const RowDraft& draft, Column column, std::string error,
            std::string expected) {
    report_.warnings.push_back(
        CellProblem(draft, column, std::move(error), std::move(expected)));
  }

  const std::string& Cell(const RowDraft& draft, Column column) const {
    return draft.row->fields[columns_[column]];
  }

  void FindColumns(const feeds::CsvRow& header) {
    header_size_ = header.fields.size();
    std::vector<ImportProblem> problems;
    for (int c = 0; c < kColumnCount; ++c) {
      columns_[c] = header_size_;
      for (size_t i = 0; i < header_size_; ++i) {
        if (Trim(header.fields[i]) == kColumnNames[c]) columns_[c] = i;
      }
      if (columns_[c] == header_size_) {
        problems.push_back(FileProblem(
            header.line, std::string(kColumnNames[c]), "missing column",
            "a header row with the columns " +
                feeds::JoinNames(kColumnNames, "and")));
      }
    }
    if (!problems.empty()) throw ImportError(std::move(problems));
  }

  RowDraft ReadRow(const feeds::CsvRow& row, int record) {
    RowDraft draft;
    draft.row = &row;
    draft.record = record;
    if (row.fields.size() != header_size_) {
      ImportProblem problem = FileProblem(
          row.line, "",
          "row has " + std::to_string(row.fields.size()) + " columns",
          std::to_string(header_size_) + " columns, as in the header row");
      problem.record = record;
      report_.problems.push_back(std::move(problem));
      draft.valid = false;
      return draft;
    }

    const std::optional<std::chrono::year_month_day> date =
        ParseUsDate(Trim(Cell(draft, kDate)));
    if (date) {
      draft.date = *date;
    } else {
      Problem(draft, kDate, "a date as month/day/year such as \"9/7/2023\"");
    }
    const std::optional<int> season =
        ParseInt(Trim(Cell(draft, kSeason)), 1900, 2200);
    const int year = date ? static_cast<int>(date->year()) : 0;
    if (season && (!date || *season == year || *season == year - 1)) {
      draft.season = *season;
    } else {
      Problem(draft, kSeason,
              date ? "the season's year: " + std::to_string(year - 1) + " or " +
                         std::to_string(year) + " for a game played in " +
                         std::to_string(year)
                   : std::string("a year such as \"2023\""));
    }
    draft.week = Trim(Cell(draft, kWeek));
    if (!IsWeek(draft.week)) {
      Problem(draft, kWeek,
              "a week from 1 to " + std::to_string(kMaxRegularWeek) +
                  " or one of " + feeds::JoinNames(kPlayoffWeeks, "or"));
    }
    draft.home = ReadTeam(draft, kHome);
    draft.away = ReadTeam(draft, kAway);
    ReadScores(draft);
    return draft;
  }

  TeamCell ReadTeam(RowDraft& draft, Column column) {
    const std::string name = Trim(Cell(draft, column));
    TeamCell cell;
    cell.team = teams_.FindByName(name);
    if (cell.team != nullptr) return cell;

    // A note after the name, even an unclosed one: "New York Jets (1p, ".
    const size_t note = name.find(" (");
    if (note != std::string::npos) {
      cell.team = teams_.FindByName(name.substr(0, note));
      if (cell.team != nullptr) {
        Warn(draft, column,
             "read as \"" + cell.team->name +
                 "\" from the team name with a "
                 "note",
             "");
        return cell;
      }
    }
    cell.candidates = teams_.FindByPartialName(name);
    if (cell.candidates.empty()) {
      Problem(draft, column,
              "a team name from nfl_teams.csv such as \"Kansas City "
              "Chiefs\", or a name listed in docs/formats.md");
    }
    return cell;
  }

  void ReadScores(RowDraft& draft) {
    const std::string home = Trim(Cell(draft, kScoreHome));
    const std::string away = Trim(Cell(draft, kScoreAway));
    const std::string expected = "a score from 0 to " +
                                 std::to_string(kMaxNflScore) +
                                 ", or both scores empty";
    if (home.empty() && away.empty()) return;
    draft.home_score = ParseInt(home, 0, kMaxNflScore);
    draft.away_score = ParseInt(away, 0, kMaxNflScore);
    if (!draft.home_score) Problem(draft, kScoreHome, expected);
    if (!draft.away_score) Problem(draft, kScoreAway, expected);
  }

  static std::string WeekKey(const RowDraft& draft) {
    return std::to_string(draft.season) + "/" + draft.week;
  }

  // Records which teams play in each season and week, from the rows whose
  // team names were read in full, for ResolvePartialName.
  void NoteSchedule(const RowDraft& draft) {
    for (const TeamCell* cell : {&draft.home, &draft.away}) {
      if (cell->team == nullptr) continue;
      names_in_season_[draft.season].insert(cell->team->name);
      franchises_in_week_[WeekKey(draft)].insert(cell->team->id);
    }
  }

  // Resolves a short name ("Patriots") or a location ("New England") to
  // the one candidate team that plays under its full name in the same
  // season. When two do (New York Giants and Jets), it picks the one without
  // another game that week.
  void ResolvePartialName(RowDraft& draft, Column column, TeamCell& cell) {
    if (cell.team != nullptr) return;
    std::vector<const NflTeam*> in_season;
    for (const NflTeam* team : cell.candidates) {
      if (names_in_season_[draft.season].contains(team->name)) {
        in_season.push_back(team);
      }
    }
    std::vector<const NflTeam*> free_that_week;
    for (const NflTeam* team : in_season) {
      if (!franchises_in_week_[WeekKey(draft)].contains(team->id)) {
        free_that_week.push_back(team);
      }
    }

    std::string reading;
    if (in_season.size() == 1) {
      cell.team = in_season.front();
      reading = "from the partial team name";
    } else if (free_that_week.size() == 1) {
      cell.team = free_that_week.front();
      reading = "(the only such team without another game in week " +
                draft.week + " of " + std::to_string(draft.season) +
                ") from the partial team name";
    }
    if (cell.team != nullptr) {
      Warn(draft, column, "read as \"" + cell.team->name + "\" " + reading, "");
      return;
    }

    std::vector<std::string_view> names;
    for (const NflTeam* team :
         in_season.empty() ? cell.candidates : in_season) {
      names.push_back(team->name);
    }
    report_.problems.push_back(CellProblem(
        draft, column, "ambiguous team name",
        "a full team name; this one may be " + feeds::JoinNames(names, "or")));
    draft.valid = false;
  }

  // Returns a game id unique within this file: "2023-09-07-DET-KC", then
  // "2023-09-07-DET-KC-2" for a second game with the same date and teams.
  std::string UniqueGameId(const RowDraft& draft) {
    char date[16];
    std::snprintf(date, sizeof date, "%04d-%02u-%02u",
                  static_cast<int>(draft.date.year()),
                  static_cast<unsigned>(draft.date.month()),
                  static_cast<unsigned>(draft.date.day()));
    const std::string base = std::string(date) + "-" + draft.away.team->id +
                             "-" + draft.home.team->id;
    const int count = ++game_id_counts_[base];
    return count == 1 ? base : base + "-" + std::to_string(count);
  }

  NflGame MakeGame(const RowDraft& draft) {
    NflGame nfl;
    nfl.season = draft.season;
    Game& game = nfl.game;
    game.id = UniqueGameId(draft);
    game.league = "NFL";
    game.home = draft.home.team->name;
    game.away = draft.away.team->name;
    // The file has dates only: 00:00 UTC is before every kickoff of a US
    // local date.
    game.start_time = std::chrono::sys_days(draft.date).time_since_epoch() /
                      std::chrono::seconds(1);
    game.updated_at = game.start_time;
    game.home_score = draft.home_score;
    game.away_score = draft.away_score;
    game.status = draft.home_score && draft.away_score ? GameStatus::kFinal
                                                       : GameStatus::kScheduled;
    ReadSpread(draft, nfl);
    ReadTotal(draft, nfl);
    return nfl;
  }

  // Sets the favourite and the spread, or leaves both unset with a warning
  // when they cannot be read. The game is kept either way.
  void ReadSpread(const RowDraft& draft, NflGame& nfl) {
    const std::string favorite = Trim(Cell(draft, kFavorite));
    const std::string spread_text = Trim(Cell(draft, kSpread));
    if (favorite.empty() && spread_text.empty()) return;
    const NflTeam& home = *draft.home.team;
    const NflTeam& away = *draft.away.team;
    const std::string favorite_expected = "PICK or the team_id of " +
                                          home.name + " (" + home.id + ") or " +
                                          away.name + " (" + away.id + ")";
    const std::string spread_expected =
        "the favourite's spread, 0 or less in steps of 0.25, such as \"-3.5\"";
    const std::string dropped = "spread dropped: invalid value";

    if (favorite.empty()) {
      Warn(draft, kFavorite, dropped, favorite_expected);
      return;
    }
    const Result<Line> spread = ParseLine(spread_text);
    if (!spread.ok() || spread.value().quarters > 0) {
      Warn(draft, kSpread, dropped, spread_expected);
      return;
    }
    if (favorite == "PICK") {
      if (spread.value().quarters != 0) {
        Warn(draft, kSpread, dropped, "0 for a pick'em (favourite PICK)");
        return;
      }
      nfl.spread = spread.value();
      return;
    }

    const std::string franchise = teams_.FranchiseOfId(favorite);
    std::optional<Selection> side;
    if (franchise == home.id) side = Selection::kHome;
    if (franchise == away.id) side = Selection::kAway;
    if (!side) {
      Warn(draft, kFavorite, dropped, favorite_expected);
      return;
    }
    nfl.spread = spread.value();
    // A favourite giving 0 points is a pick'em.
    if (spread.value().quarters != 0) nfl.favorite = side;
  }

  void ReadTotal(const RowDraft& draft, NflGame& nfl) {
    // Some rows have a single space for "no total".
    const std::string text = Trim(Cell(draft, kTotal));
    if (text.empty()) return;
    const Result<Line> total = ParseLine(text);
    if (!total.ok() || total.value().quarters <= 0) {
      Warn(draft, kTotal, "total dropped: invalid value",
           "a total above 0 in steps of 0.25, such as \"47.5\"");
      return;
    }
    nfl.total = total.value();
  }

  std::string path_;
  const NflTeamTable& teams_;
  ImportReport& report_;
  size_t header_size_ = 0;
  size_t columns_[kColumnCount] = {};
  std::map<int, std::set<std::string>> names_in_season_;
  std::map<std::string, std::set<std::string>> franchises_in_week_;
  std::map<std::string, int> game_id_counts_;
};

}  // namespace

std::vector<NflGame> ReadNflCsv(const std::string& scores_csv,
                                const std::string& teams_csv,
                                ImportReport& report) {
  const NflTeamTable teams = NflTeamTable::Read(teams_csv);
  return NflCsvReader(scores_csv, teams, report).Read();
}

ImportReport ImportNflCsv(Store& store, const std::string& scores_csv,
                          const std::string& teams_csv,
                          const ImportOptions& options) {
  ImportReport report;
  std::vector<NflGame> nfl_games = ReadNflCsv(scores_csv, teams_csv, report);
  feeds::ThrowIfInvalid(report, options);

  std::vector<Game> games;
  games.reserve(nfl_games.size());
  for (NflGame& nfl : nfl_games) games.push_back(std::move(nfl.game));
  feeds::UpsertNewestGames(store, std::move(games), report);
  spdlog::info(
      "imported {} of {} NFL games from {} ({} superseded, {} problems, {} "
      "warnings)",
      report.imported, report.records, scores_csv, report.superseded,
      report.problems.size(), report.warnings.size());
  return report;
}

}  // namespace parlay
