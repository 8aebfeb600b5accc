#include "feeds/csv.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace parlay::feeds {
namespace {

using Fields = std::vector<std::string>;

TEST(CsvTest, PlainRows) {
  const CsvTable table = ParseCsv("a,b,c\n1,2,3\n");
  ASSERT_EQ(table.rows.size(), 2u);
  EXPECT_EQ(table.rows[0].fields, (Fields{"a", "b", "c"}));
  EXPECT_EQ(table.rows[1].fields, (Fields{"1", "2", "3"}));
  EXPECT_EQ(table.rows[1].line, 2);
  EXPECT_TRUE(table.errors.empty());
}

TEST(CsvTest, CrLfAndMissingFinalNewline) {
  const CsvTable table = ParseCsv("a,b\r\n1,2\r\n3,4");
  ASSERT_EQ(table.rows.size(), 3u);
  EXPECT_EQ(table.rows[1].fields, (Fields{"1", "2"}));
  EXPECT_EQ(table.rows[2].fields, (Fields{"3", "4"}));
  EXPECT_EQ(table.rows[2].line, 3);
}

TEST(CsvTest, EmptyCells) {
  const CsvTable table = ParseCsv(",a,,\n");
  ASSERT_EQ(table.rows.size(), 1u);
  EXPECT_EQ(table.rows[0].fields, (Fields{"", "a", "", ""}));
}

TEST(CsvTest, SingleSpaceCellKept) {
  const CsvTable table = ParseCsv("1, ,3\n");
  ASSERT_EQ(table.rows.size(), 1u);
  EXPECT_EQ(table.rows[0].fields, (Fields{"1", " ", "3"}));
}

TEST(CsvTest, QuotedFields) {
  const CsvTable table =
      ParseCsv("\"New York Jets (1p, \",\"say \"\"hi\"\"\",\"\"\r\n");
  ASSERT_EQ(table.rows.size(), 1u);
  EXPECT_EQ(table.rows[0].fields,
            (Fields{"New York Jets (1p, ", "say \"hi\"", ""}));
}

TEST(CsvTest, QuotedLineBreakCountsLines) {
  const CsvTable table = ParseCsv("h\n\"two\nlines\",x\nlast,y\n");
  ASSERT_EQ(table.rows.size(), 3u);
  EXPECT_EQ(table.rows[1].fields, (Fields{"two\nlines", "x"}));
  EXPECT_EQ(table.rows[1].line, 2);
  EXPECT_EQ(table.rows[2].line, 4);
}

TEST(CsvTest, EmptyLinesSkipped) {
  const CsvTable table = ParseCsv("a\n\n\r\nb\n");
  ASSERT_EQ(table.rows.size(), 2u);
  EXPECT_EQ(table.rows[1].fields, (Fields{"b"}));
  EXPECT_EQ(table.rows[1].line, 4);
}

TEST(CsvTest, ByteOrderMarkSkipped) {
  const CsvTable table = ParseCsv(
      "\xEF\xBB\xBF"
      "a,b\n");
  ASSERT_EQ(table.rows.size(), 1u);
  EXPECT_EQ(table.rows[0].fields, (Fields{"a", "b"}));
}

TEST(CsvTest, TextAfterClosingQuote) {
  const CsvTable table = ParseCsv("a,b\n\"x\"y,2\nc,d\n");
  ASSERT_EQ(table.errors.size(), 1u);
  EXPECT_EQ(table.errors[0].line, 2);
  EXPECT_EQ(table.errors[0].message, "text after the closing quote of field 1");
  ASSERT_EQ(table.rows.size(), 2u);
  EXPECT_EQ(table.rows[1].fields, (Fields{"c", "d"}));
  EXPECT_EQ(table.rows[1].line, 3);
}

TEST(CsvTest, UnterminatedQuote) {
  const CsvTable table = ParseCsv("a,b\n1,\"open\n2,3\n");
  ASSERT_EQ(table.errors.size(), 1u);
  EXPECT_EQ(table.errors[0].line, 2);
  EXPECT_EQ(table.errors[0].message, "unterminated quoted field 2");
  EXPECT_EQ(table.rows.size(), 1u);
}

TEST(CsvTest, InvalidUtf8RowRejected) {
  // 0xFF never occurs in UTF-8; "\xC3\xA9" is a valid e-acute.
  const CsvTable table =
      ParseCsv("a,b\nok,Atl\xC3\xA9tico\nx,bad\xFF\xFE" "bytes\ny,z\n");
  ASSERT_EQ(table.errors.size(), 1u);
  EXPECT_EQ(table.errors[0].line, 3);
  EXPECT_EQ(table.errors[0].message,
            "field 2 is not valid UTF-8; save the file as UTF-8");
  ASSERT_EQ(table.rows.size(), 3u);
  EXPECT_EQ(table.rows[1].fields, (Fields{"ok", "Atl\xC3\xA9tico"}));
  EXPECT_EQ(table.rows[2].fields, (Fields{"y", "z"}));
}

}  // namespace
}  // namespace parlay::feeds
