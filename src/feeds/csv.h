// A CSV reader for the NFL history files (RFC 4180 with either line ending).

#ifndef PARLAY_FEEDS_CSV_H_
#define PARLAY_FEEDS_CSV_H_

#include <string>
#include <string_view>
#include <vector>

namespace parlay::feeds {

struct CsvRow {
  int line = 0;  // 1-based line where the row starts
  std::vector<std::string> fields;
};

// A row that could not be split into fields.
struct CsvError {
  int line = 0;
  std::string message;  // e.g. "unterminated quoted field 3"
};

struct CsvTable {
  std::vector<CsvRow> rows;  // the header row included
  std::vector<CsvError> errors;
};

// Splits `text` into rows of fields. Fields are separated by commas and may
// be quoted with '"', in which case they may contain commas, line breaks and
// doubled quotes (""). Rows end with "\n" or "\r\n". Empty lines and a
// leading UTF-8 byte order mark are skipped. A row with a quoting error, or
// with a field that is not valid UTF-8, goes to `errors` instead of `rows`.
CsvTable ParseCsv(std::string_view text);

}  // namespace parlay::feeds

#endif  // PARLAY_FEEDS_CSV_H_
