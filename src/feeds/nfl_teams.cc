#include "feeds/nfl_teams.h"

#include <utility>
#include <vector>

#include "feeds/csv.h"
#include "feeds/import.h"
#include "feeds/import_internal.h"
#include "rules/grading.h"

namespace parlay::feeds {
namespace {

// Names in the scores file that nfl_teams.csv does not list, with a name of
// the same franchise that it does list.
struct NameAlias {
  std::string_view name;
  std::string_view short_name;
  std::string_view same_franchise_as;
};

constexpr NameAlias kNameAliases[] = {
    {"Las Vegas Raiders", "Raiders", "Oakland Raiders"},
    {"Washington Football Team", "Football Team", "Washington Redskins"},
    {"Washington Commanders", "Commanders", "Washington Redskins"},
};

// team_favorite_id values that match no team_id in nfl_teams.csv, with a
// team name of the franchise they stand for. NJY is a misspelling of NYJ
// (one row, 2024). LVR (the Raiders in every era) and LV (one row, 2023)
// are the scores file's ids for the franchise that nfl_teams.csv lists as
// OAK.
constexpr std::pair<std::string_view, std::string_view> kIdAliases[] = {
    {"NJY", "New York Jets"},
    {"LVR", "Las Vegas Raiders"},
    {"LV", "Las Vegas Raiders"},
};

std::string Location(const std::string& name, const std::string& short_name) {
  const std::string suffix = " " + short_name;
  if (short_name.empty() || !name.ends_with(suffix)) return "";
  return name.substr(0, name.size() - suffix.size());
}

ImportProblem FileProblem(const std::string& path, int line, std::string field,
                          std::string error, std::string expected) {
  ImportProblem problem;
  problem.file = path;
  problem.line = line;
  problem.field = std::move(field);
  problem.error = std::move(error);
  problem.expected = std::move(expected);
  return problem;
}

// Reads the rows of nfl_teams.csv. Throws ImportError when the file cannot
// be read, lacks a needed column or has an invalid row.
std::vector<NflTeam> ReadTeamRows(const std::string& path) {
  Result<std::string> text = ReadFileText(path);
  if (!text.ok()) {
    throw ImportError({FileProblem(path, 0, "", text.error(), "")});
  }
  const CsvTable table = ParseCsv(text.value());

  std::vector<ImportProblem> problems;
  for (const CsvError& error : table.errors) {
    problems.push_back(
        FileProblem(path, error.line, "", "invalid CSV: " + error.message, ""));
  }
  if (table.rows.empty()) {
    problems.push_back(FileProblem(path, 1, "", "empty file",
                                   "a header row and one row per team"));
    throw ImportError(std::move(problems));
  }

  constexpr std::string_view kColumns[] = {"team_name", "team_name_short",
                                           "team_id", "team_id_pfr"};
  const std::vector<std::string>& header = table.rows.front().fields;
  size_t index[std::size(kColumns)];
  for (size_t c = 0; c < std::size(kColumns); ++c) {
    index[c] = header.size();
    for (size_t i = 0; i < header.size(); ++i) {
      if (header[i] == kColumns[c]) index[c] = i;
    }
    if (index[c] == header.size()) {
      problems.push_back(FileProblem(
          path, table.rows.front().line, std::string(kColumns[c]),
          "missing column",
          "a header row with the columns " + JoinNames(kColumns, "and")));
    }
  }
  if (!problems.empty()) throw ImportError(std::move(problems));

  std::vector<NflTeam> teams;
  for (size_t r = 1; r < table.rows.size(); ++r) {
    const CsvRow& row = table.rows[r];
    if (row.fields.size() != header.size()) {
      problems.push_back(FileProblem(
          path, row.line, "",
          "row has " + std::to_string(row.fields.size()) + " columns",
          std::to_string(header.size()) + " columns, as in the header row"));
      continue;
    }
    NflTeam team;
    team.name = row.fields[index[0]];
    team.short_name = row.fields[index[1]];
    team.id = row.fields[index[2]];
    team.pfr_id = row.fields[index[3]];
    team.location = Location(team.name, team.short_name);
    if (team.name.empty() || team.id.empty()) {
      problems.push_back(FileProblem(
          path, row.line, team.name.empty() ? "team_name" : "team_id", "",
          "a team name and a team_id"));
      continue;
    }
    teams.push_back(std::move(team));
  }
  if (!problems.empty()) throw ImportError(std::move(problems));
  return teams;
}

}  // namespace

NflTeamTable NflTeamTable::Read(const std::string& path) {
  NflTeamTable teams;
  for (NflTeam& team : ReadTeamRows(path)) teams.Add(std::move(team));
  teams.AddAliases();
  return teams;
}

void NflTeamTable::AddAliases() {
  for (const NameAlias& alias : kNameAliases) {
    const NflTeam* same = FindByName(alias.same_franchise_as);
    if (same == nullptr || FindByName(alias.name) != nullptr) continue;
    NflTeam team = *same;
    team.name = alias.name;
    team.short_name = alias.short_name;
    team.location = Location(team.name, team.short_name);
    Add(std::move(team));
  }
  for (const NflTeam& team : teams_) id_aliases_.emplace(team.pfr_id, team.id);
  for (const auto& [id, name] : kIdAliases) {
    if (const NflTeam* team = FindByName(name)) {
      id_aliases_[std::string(id)] = team->id;
    }
  }
}

void NflTeamTable::Add(NflTeam team) {
  teams_.push_back(std::move(team));
  by_name_.emplace(NormalizeTeamName(teams_.back().name), &teams_.back());
}

const NflTeam* NflTeamTable::FindByName(std::string_view name) const {
  const auto it = by_name_.find(NormalizeTeamName(name));
  return it == by_name_.end() ? nullptr : it->second;
}

std::vector<const NflTeam*> NflTeamTable::FindByPartialName(
    std::string_view name) const {
  const std::string key = NormalizeTeamName(name);
  std::vector<const NflTeam*> found;
  if (key.empty()) return found;
  for (const NflTeam& team : teams_) {
    if (NormalizeTeamName(team.short_name) == key ||
        NormalizeTeamName(team.location) == key) {
      found.push_back(&team);
    }
  }
  return found;
}

std::string NflTeamTable::FranchiseOfId(std::string_view favorite_id) const {
  for (const NflTeam& team : teams_) {
    if (team.id == favorite_id) return team.id;
  }
  const auto it = id_aliases_.find(std::string(favorite_id));
  if (it != id_aliases_.end()) return it->second;
  return std::string(favorite_id);
}

}  // namespace parlay::feeds
