// Imports of records that are already parsed, such as the body of an HTTP
// request. ImportGames and ImportParlays read their files and then call
// these, so every source is validated and written the same way.

#ifndef PARLAY_FEEDS_RECORD_IMPORT_H_
#define PARLAY_FEEDS_RECORD_IMPORT_H_

#include <map>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "feeds/import.h"
#include "feeds/json_records.h"
#include "store/store.h"
#include "util/time.h"

namespace parlay::feeds {

// Validates and writes game records as ImportGames does. `report` carries
// the records counted and the problems found while parsing. Throws
// ImportError, having written nothing, when a record is invalid and
// options.skip_invalid is false.
ImportReport ImportGameRecords(Store& store,
                               std::span<const FileRecords> inputs,
                               ImportReport report,
                               const ImportOptions& options);

// Collects the parlay ids and the leg game ids of every record, valid or
// not, sorted and without repeats, so that the store is queried once.
void CollectParlayRecordIds(std::span<const FileRecords> inputs,
                            std::vector<std::string>& parlay_ids,
                            std::vector<std::string>& game_ids);

// Validates parlay records without writing them and returns the valid
// parlays, adding a problem to `report` for each invalid record. `games`
// are the stored games that the legs may name, by id. A parlay whose id is
// in `stored_parlay_ids` is a problem (duplicate id). Parlays without
// placed_at are placed at `now` (Unix seconds).
std::vector<Parlay> ReadParlayRecords(
    std::span<const FileRecords> inputs,
    const std::map<std::string, Game>& games,
    const std::set<std::string>& stored_parlay_ids, int64_t now,
    const ParlayLimits& limits, ImportReport& report);

// Validates and writes parlay records as ImportParlays does.
ImportReport ImportParlayRecords(Store& store,
                                 std::span<const FileRecords> inputs,
                                 ImportReport report,
                                 const ImportOptions& options,
                                 const Clock& clock);

}  // namespace parlay::feeds

#endif  // PARLAY_FEEDS_RECORD_IMPORT_H_
