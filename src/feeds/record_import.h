// Imports of records that are already parsed, such as the body of an HTTP
// request. ImportGames and ImportParlays read their files and then call
// these, so every source is validated and written the same way.

#ifndef PARLAY_FEEDS_RECORD_IMPORT_H_
#define PARLAY_FEEDS_RECORD_IMPORT_H_

#include <span>

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

// Validates and writes parlay records as ImportParlays does.
ImportReport ImportParlayRecords(Store& store,
                                 std::span<const FileRecords> inputs,
                                 ImportReport report,
                                 const ImportOptions& options,
                                 const Clock& clock);

}  // namespace parlay::feeds

#endif  // PARLAY_FEEDS_RECORD_IMPORT_H_
