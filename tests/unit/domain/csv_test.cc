#include "services/domain/csv.h"

#include <array>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace okr {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

using Fields = std::vector<std::string>;

TEST(CsvReaderTest, LfWithTrailingNewline) {
  auto records = ParseCsv("a,b,c\n1,2,3\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].line, 1);
  EXPECT_THAT(records[0].fields, ElementsAre("a", "b", "c"));
  EXPECT_EQ(records[1].line, 2);
  EXPECT_THAT(records[1].fields, ElementsAre("1", "2", "3"));
  EXPECT_TRUE(records[1].status.ok());
}

TEST(CsvReaderTest, CrlfWithoutTrailingNewline) {
  auto records = ParseCsv("a,b\r\n1,2");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_THAT(records[0].fields, ElementsAre("a", "b"));
  EXPECT_EQ(records[1].line, 2);
  EXPECT_THAT(records[1].fields, ElementsAre("1", "2"));
}

TEST(CsvReaderTest, BareCrEndsALine) {
  auto records = ParseCsv("a\rb\r");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].line, 2);
  EXPECT_THAT(records[1].fields, ElementsAre("b"));
}

TEST(CsvReaderTest, ByteOrderMarkIsDropped) {
  auto records = ParseCsv("\xEF\xBB\xBFunit_id,kind\n");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_THAT(records[0].fields, ElementsAre("unit_id", "kind"));
}

TEST(CsvReaderTest, ByteOrderMarkSplitOverChunks) {
  CsvReader reader;
  std::vector<CsvRecord> records;
  reader.Feed("\xEF", &records);
  reader.Feed("\xBB", &records);
  reader.Feed(
      "\xBF"
      "a,b\n",
      &records);
  reader.Finish(&records);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_THAT(records[0].fields, ElementsAre("a", "b"));
}

TEST(CsvReaderTest, BytesThatOnlyStartLikeABomAreKept) {
  auto records = ParseCsv("\xEFx\n");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_THAT(records[0].fields, ElementsAre("\xEFx"));
  // A lone first byte of a BOM at the end of the input is data too.
  records = ParseCsv("\xEF");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_THAT(records[0].fields, ElementsAre("\xEF"));
}

TEST(CsvReaderTest, QuotedCommasAndDoubledQuotes) {
  auto records = ParseCsv("\"a,b\",\"say \"\"hi\"\"\",c\n");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_THAT(records[0].fields, ElementsAre("a,b", "say \"hi\"", "c"));
}

TEST(CsvReaderTest, LineBreakInsideQuotesKeepsTheStartLine) {
  auto records = ParseCsv("id,note\n1,\"two\nlines\"\n2,x\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[1].line, 2);
  EXPECT_THAT(records[1].fields, ElementsAre("1", "two\nlines"));
  EXPECT_EQ(records[2].line, 4);  // the quoted line break took line 3
  EXPECT_THAT(records[2].fields, ElementsAre("2", "x"));
}

TEST(CsvReaderTest, CrlfInsideQuotesIsKeptAndCountsOneLine) {
  auto records = ParseCsv("\"a\r\nb\"\r\nc\r\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_THAT(records[0].fields, ElementsAre("a\r\nb"));
  EXPECT_EQ(records[1].line, 3);
}

TEST(CsvReaderTest, EmptyFields) {
  auto records = ParseCsv(",,\na,\n\"\"\n,\"\"\n");
  ASSERT_EQ(records.size(), 4u);
  EXPECT_THAT(records[0].fields, ElementsAre("", "", ""));
  EXPECT_THAT(records[1].fields, ElementsAre("a", ""));
  EXPECT_THAT(records[2].fields, ElementsAre(""));  // a quoted empty field is not blank
  EXPECT_THAT(records[3].fields, ElementsAre("", ""));
}

TEST(CsvReaderTest, BlankLinesAreSkipped) {
  auto records = ParseCsv("\na\n\n\r\n b\n\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].line, 2);
  EXPECT_THAT(records[0].fields, ElementsAre("a"));
  EXPECT_EQ(records[1].line, 5);
  EXPECT_THAT(records[1].fields, ElementsAre(" b"));  // spaces are data (RFC 4180)
}

TEST(CsvReaderTest, EmptyInputHasNoRecords) {
  EXPECT_THAT(ParseCsv(""), IsEmpty());
  EXPECT_THAT(ParseCsv("\xEF\xBB\xBF"), IsEmpty());
  EXPECT_THAT(ParseCsv("\r\n\n"), IsEmpty());
}

TEST(CsvReaderTest, ByteByByteFeedingGivesTheSameRecords) {
  const std::string text =
      "\xEF\xBB\xBFh1,h2\r\n\"x,\"\"y\"\"\r\nz\",2\r\n\r\nlast,\"\"\r\n\"open\"\"\"";
  auto whole = ParseCsv(text);
  CsvReader reader;
  std::vector<CsvRecord> pieces;
  for (char c : text) reader.Feed(std::string_view(&c, 1), &pieces);
  reader.Finish(&pieces);
  ASSERT_EQ(whole.size(), 4u);
  ASSERT_EQ(pieces.size(), whole.size());
  for (size_t i = 0; i < whole.size(); ++i) {
    EXPECT_EQ(pieces[i].line, whole[i].line);
    EXPECT_EQ(pieces[i].fields, whole[i].fields);
  }
  EXPECT_THAT(whole[1].fields, ElementsAre("x,\"y\"\r\nz", "2"));
  EXPECT_EQ(whole[2].line, 5);
  EXPECT_EQ(whole[3].line, 6);
  EXPECT_THAT(whole[3].fields, ElementsAre("open\""));
}

TEST(CsvReaderTest, QuoteInsideUnquotedFieldFailsThatRecordOnly) {
  auto records = ParseCsv("a,b\"c,d\nx,y\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].line, 1);
  EXPECT_FALSE(records[0].status.ok());
  EXPECT_EQ(records[0].status.message(),
            "line 1: a quote inside an unquoted field (quote the whole field and double the "
            "quote)");
  EXPECT_THAT(records[0].fields, IsEmpty());
  EXPECT_TRUE(records[1].status.ok());
  EXPECT_THAT(records[1].fields, ElementsAre("x", "y"));
}

TEST(CsvReaderTest, TextAfterClosingQuoteFails) {
  auto records = ParseCsv("ok\n\"ab\"c,d\r\ne\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[1].status.message(), "line 2: text after the closing quote of a field");
  EXPECT_EQ(records[2].line, 3);
  EXPECT_THAT(records[2].fields, ElementsAre("e"));
}

TEST(CsvReaderTest, UnterminatedQuoteIsReportedAtItsRecord) {
  auto records = ParseCsv("a\n\"bc\nd\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_TRUE(records[0].status.ok());
  EXPECT_EQ(records[1].line, 2);
  EXPECT_EQ(records[1].status.message(), "line 2: unterminated quoted field");
}

constexpr std::array<std::string_view, 3> kColumns = {"id", "kind", "name"};

TEST(CsvHeaderTest, ColumnsInAnyOrder) {
  auto records = ParseCsv(" name ,id,kind\nBob,b1,agent\n");
  auto header = CsvHeader::Parse(records[0], kColumns);
  ASSERT_TRUE(header.ok()) << header.status();
  EXPECT_EQ(header->width(), 3u);
  ASSERT_TRUE(header->CheckWidth(records[1]).ok());
  EXPECT_EQ(header->Field(records[1], 0), "b1");
  EXPECT_EQ(header->Field(records[1], 1), "agent");
  EXPECT_EQ(header->Field(records[1], 2), "Bob");
}

TEST(CsvHeaderTest, ReportsMissingUnknownAndDuplicateColumns) {
  auto records = ParseCsv("id,foo,id,\n");
  auto header = CsvHeader::Parse(records[0], kColumns);
  EXPECT_EQ(header.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(header.status().message(),
            "line 1: bad header: missing column(s) 'kind', 'name'; unknown column(s) 'foo', '' "
            "(ignored); duplicate column(s) 'id'; expected id,kind,name");
}

TEST(CsvHeaderTest, WrongFieldCountNamesTheLine) {
  auto records = ParseCsv("id,kind,name\n\n\n\n\n\nx,y\n");
  auto header = CsvHeader::Parse(records[0], kColumns);
  ASSERT_TRUE(header.ok());
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(header->CheckWidth(records[1]).message(), "line 7: expected 3 fields, got 2");
}

TEST(CsvHeaderTest, MalformedRecordKeepsItsError) {
  auto records = ParseCsv("id,kind,name\na\"b,c,d\n");
  auto header = CsvHeader::Parse(records[0], kColumns);
  ASSERT_TRUE(header.ok());
  EXPECT_EQ(header->CheckWidth(records[1]).message(),
            "line 2: a quote inside an unquoted field (quote the whole field and double the "
            "quote)");
}

}  // namespace
}  // namespace okr
