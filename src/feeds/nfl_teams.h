// The NFL team table (nfl_teams.csv) with the aliases the scores file
// needs: team names and favourite ids that the table lacks or misspells.

#ifndef PARLAY_FEEDS_NFL_TEAMS_H_
#define PARLAY_FEEDS_NFL_TEAMS_H_

#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace parlay::feeds {

// One name a franchise has played under.
struct NflTeam {
  std::string name;        // "Oakland Raiders"
  std::string short_name;  // "Raiders"
  std::string location;    // "Oakland": the name without the short name
  std::string id;          // team_id, the franchise's id: "OAK"
  std::string pfr_id;      // team_id_pfr: "RAI"
};

class NflTeamTable {
 public:
  // Move-only, because the name index points into teams_.
  NflTeamTable(NflTeamTable&&) = default;
  NflTeamTable& operator=(NflTeamTable&&) = default;
  NflTeamTable(const NflTeamTable&) = delete;
  NflTeamTable& operator=(const NflTeamTable&) = delete;

  // Reads nfl_teams.csv and adds the built-in aliases. Throws ImportError
  // when the file cannot be read or lacks a needed column.
  static NflTeamTable Read(const std::string& path);

  // Returns the team whose full name is `name`, compared with
  // NormalizeTeamName, or nullptr.
  const NflTeam* FindByName(std::string_view name) const;

  // Returns the teams whose short name ("Patriots") or location ("New
  // England") is `name`, compared with NormalizeTeamName.
  std::vector<const NflTeam*> FindByPartialName(std::string_view name) const;

  // Returns the franchise id that a team_favorite_id value stands for:
  // the id itself, or the franchise of a built-in id alias ("NJY" is
  // "NYJ"). A team_id_pfr value is mapped to its team_id.
  std::string FranchiseOfId(std::string_view favorite_id) const;

 private:
  NflTeamTable() = default;
  void Add(NflTeam team);
  // Adds kNameAliases and the id aliases (team_id_pfr and kIdAliases).
  void AddAliases();

  std::deque<NflTeam> teams_;  // a deque keeps pointers valid as it grows
  std::map<std::string, const NflTeam*> by_name_;  // normalized full names
  std::map<std::string, std::string> id_aliases_;  // id -> franchise id
};

}  // namespace parlay::feeds

#endif  // PARLAY_FEEDS_NFL_TEAMS_H_
