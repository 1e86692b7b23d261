// The text rule (services/domain/text.h): the UTF-8 checker on hand-made byte sequences
// (RFC 3629 table and its edges), the caps and control characters, CSV rows that break it,
// and the table of stored request fields (services/api/request_text.h).
#include "services/domain/text.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "okr/v1/access.pb.h"
#include "okr/v1/actuals.pb.h"
#include "okr/v1/explain.pb.h"
#include "okr/v1/metric.pb.h"
#include "okr/v1/org.pb.h"
#include "okr/v1/plan.pb.h"
#include "okr/v1/plugins.pb.h"
#include "okr/v1/progress.pb.h"
#include "okr/v1/review.pb.h"
#include "services/api/request_text.h"
#include "services/domain/actual_event.h"
#include "services/domain/csv.h"
#include "services/domain/org_import.h"

namespace okr {
namespace {

constexpr size_t kNpos = std::string_view::npos;

TEST(Utf8SequenceLength, ValidSequencesOfEachLength) {
  EXPECT_EQ(Utf8SequenceLength("A", 0), 1u);
  EXPECT_EQ(Utf8SequenceLength(std::string_view("\0", 1), 0), 1u);  // NUL is UTF-8
  EXPECT_EQ(Utf8SequenceLength("\x7F", 0), 1u);
  EXPECT_EQ(Utf8SequenceLength("\xC2\x80", 0), 2u);          // U+0080, the first of 2 bytes
  EXPECT_EQ(Utf8SequenceLength("\xC3\xA9", 0), 2u);          // U+00E9 e acute
  EXPECT_EQ(Utf8SequenceLength("\xDF\xBF", 0), 2u);          // U+07FF, the last of 2 bytes
  EXPECT_EQ(Utf8SequenceLength("\xE0\xA0\x80", 0), 3u);      // U+0800, the first of 3 bytes
  EXPECT_EQ(Utf8SequenceLength("\xE4\xB8\xAD", 0), 3u);      // U+4E2D (zhong, middle)
  EXPECT_EQ(Utf8SequenceLength("\xED\x9F\xBF", 0), 3u);      // U+D7FF, just below surrogates
  EXPECT_EQ(Utf8SequenceLength("\xEE\x80\x80", 0), 3u);      // U+E000, just above them
  EXPECT_EQ(Utf8SequenceLength("\xEF\xBB\xBF", 0), 3u);      // U+FEFF, the BOM
  EXPECT_EQ(Utf8SequenceLength("\xF0\x90\x80\x80", 0), 4u);  // U+10000, the first of 4 bytes
  EXPECT_EQ(Utf8SequenceLength("\xF0\x9D\x84\x9E", 0), 4u);  // U+1D11E (G clef)
  EXPECT_EQ(Utf8SequenceLength("\xF4\x8F\xBF\xBF", 0), 4u);  // U+10FFFF, the last code point
  EXPECT_EQ(Utf8SequenceLength("a\xC3\xA9", 1), 2u);         // from an offset
}

TEST(Utf8SequenceLength, Overlong) {
  EXPECT_EQ(Utf8SequenceLength("\xC0\xAF", 0), 0u);          // '/' in 2 bytes
  EXPECT_EQ(Utf8SequenceLength("\xC1\xBF", 0), 0u);          // U+007F in 2 bytes
  EXPECT_EQ(Utf8SequenceLength("\xE0\x80\xAF", 0), 0u);      // '/' in 3 bytes
  EXPECT_EQ(Utf8SequenceLength("\xE0\x9F\xBF", 0), 0u);      // U+07FF in 3 bytes
  EXPECT_EQ(Utf8SequenceLength("\xF0\x80\x80\xAF", 0), 0u);  // '/' in 4 bytes
  EXPECT_EQ(Utf8SequenceLength("\xF0\x8F\xBF\xBF", 0), 0u);  // U+FFFF in 4 bytes
}

TEST(Utf8SequenceLength, SurrogatesAndBeyondU10FFFF) {
  EXPECT_EQ(Utf8SequenceLength("\xED\xA0\x80", 0), 0u);      // U+D800
  EXPECT_EQ(Utf8SequenceLength("\xED\xBF\xBF", 0), 0u);      // U+DFFF
  EXPECT_EQ(Utf8SequenceLength("\xF4\x90\x80\x80", 0), 0u);  // U+110000
  EXPECT_EQ(Utf8SequenceLength("\xF5\x80\x80\x80", 0), 0u);
  EXPECT_EQ(Utf8SequenceLength("\xFE", 0), 0u);
  EXPECT_EQ(Utf8SequenceLength("\xFF", 0), 0u);
}

TEST(Utf8SequenceLength, TruncatedAndStray) {
  EXPECT_EQ(Utf8SequenceLength("\xC3", 0), 0u);  // cut by the end
  EXPECT_EQ(Utf8SequenceLength("\xE4\xB8", 0), 0u);
  EXPECT_EQ(Utf8SequenceLength("\xF0\x9D\x84", 0), 0u);
  EXPECT_EQ(Utf8SequenceLength("\xE4\xB8"
                               "A",
                               0),
            0u);                                             // cut by an ASCII byte
  EXPECT_EQ(Utf8SequenceLength("\xF0\x9D\x84\xC3", 0), 0u);  // cut by another lead byte
  EXPECT_EQ(Utf8SequenceLength("\x80", 0), 0u);              // a continuation byte alone
  EXPECT_EQ(Utf8SequenceLength("\xBF", 0), 0u);
  EXPECT_EQ(Utf8SequenceLength("", 0), 0u);
}

TEST(FindInvalidUtf8, OffsetOfTheFirstBadByte) {
  EXPECT_EQ(FindInvalidUtf8(""), kNpos);
  EXPECT_EQ(FindInvalidUtf8("plain ASCII"), kNpos);
  EXPECT_EQ(FindInvalidUtf8("\xE5\xBC\xA0\xE4\xB8\x89"), kNpos);  // "zhang san" in UTF-8
  // The same name in GBK: D5 C5 C8 FD. D5 starts a 2-byte sequence, C5 does not continue it.
  EXPECT_EQ(FindInvalidUtf8("\xD5\xC5\xC8\xFD"), 0u);
  EXPECT_EQ(FindInvalidUtf8("ab\xC3\xA9\xFF"
                            "c"),
            4u);
  EXPECT_EQ(FindInvalidUtf8("ab\xC3"), 2u);
}

TEST(TextProblem, Utf8ControlsAndCaps) {
  EXPECT_EQ(TextProblem("", kNameText), "");
  EXPECT_EQ(TextProblem("Zhang San \xE5\xBC\xA0\xE4\xB8\x89", kNameText), "");
  EXPECT_EQ(TextProblem("\xD5\xC5\xC8\xFD", kNameText), "not valid UTF-8 (byte 0xD5 at offset 0)");
  EXPECT_EQ(TextProblem("Ann\x1B[2J", kNameText), "control character U+001B at offset 3");
  EXPECT_EQ(TextProblem(std::string_view("a\0b", 3), kIdText),
            "control character U+0000 at offset 1");
  EXPECT_EQ(TextProblem("a\x7F", kIdText), "control character U+007F at offset 1");
  EXPECT_EQ(TextProblem("a\xC2\x9B"
                        "b",
                        kNameText),  // U+009B, the C1 escape (CSI)
            "control character U+009B at offset 1");
  EXPECT_EQ(TextProblem("two\nlines", kNameText), "control character U+000A at offset 3");
  // Free text may hold tab and line breaks, and nothing else below U+0020.
  EXPECT_EQ(TextProblem("two\r\nlines\tand a tab", kReasonText), "");
  EXPECT_EQ(TextProblem("bell\a", kReasonText), "control character U+0007 at offset 4");
  // Caps count bytes: 85 three-byte characters and one letter are 256 bytes.
  std::string name;
  for (int i = 0; i < 85; ++i) name += "\xE5\xBC\xA0";
  name += "a";
  ASSERT_EQ(name.size(), 256u);
  EXPECT_EQ(TextProblem(name, kNameText), "");
  EXPECT_EQ(TextProblem(name + "b", kNameText), "longer than 256 bytes (257)");
  EXPECT_EQ(TextProblem(std::string(2001, 'r'), kReasonText), "longer than 2000 bytes (2001)");
  EXPECT_EQ(TextProblem(std::string(65537, ' '), kConfigText), "longer than 65536 bytes (65537)");
  // A long text in another encoding is told about the encoding, not the length.
  EXPECT_EQ(TextProblem(std::string(300, 'x') + "\xFF", kNameText),
            "not valid UTF-8 (byte 0xFF at offset 300)");
}

TEST(CheckText, NamesTheField) {
  EXPECT_TRUE(CheckText("name", "Ann", kNameText).ok());
  absl::Status s = CheckText("reason", std::string(2001, 'r'), kReasonText);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "reason: longer than 2000 bytes (2001)");
}

// The org import checks each row's text before anything else, naming line and column.
TEST(CsvRowText, OrgRowNamesLineAndColumn) {
  const std::string csv =
      "unit_id,parent_id,kind,name,fte,start_date,end_date\n"
      "co,,company,Company,,,\n"
      "a1,co,agent,\xD5\xC5\xC8\xFD,1.0,,\n"  // GBK for "zhang san"
      "a2,co,agent,  Ann\x1B  ,1.0,,\n"       // ESC; spaces are trimmed
      "a\xFF"
      "3,co,agent,\"B\xC3\",,,\n";  // two bad columns
  std::vector<CsvRecord> records = ParseCsv(csv);
  ASSERT_EQ(records.size(), 5u);
  absl::StatusOr<CsvHeader> header = CsvHeader::Parse(records[0], kOrgImportColumns);
  ASSERT_TRUE(header.ok()) << header.status();
  EXPECT_TRUE(OrgRowFromRecord(*header, records[1]).ok());
  EXPECT_EQ(OrgRowFromRecord(*header, records[2]).status().message(),
            "line 3, column name: not valid UTF-8 (byte 0xD5 at offset 0); save the file as "
            "UTF-8, or import it with okrctl --encoding NAME (e.g. GB18030, windows-1251)");
  EXPECT_EQ(OrgRowFromRecord(*header, records[3]).status().message(),
            "line 4, column name: control character U+001B at offset 3");
  EXPECT_EQ(OrgRowFromRecord(*header, records[4]).status().message(),
            "line 5, column unit_id: not valid UTF-8 (byte 0xFF at offset 1); column name: not "
            "valid UTF-8 (byte 0xC3 at offset 1); save the file as UTF-8, or import it with "
            "okrctl --encoding NAME (e.g. GB18030, windows-1251)");
}

TEST(CsvRowText, WholeOrgImportStoresNothing) {
  OrgSnapshot empty;
  std::string long_name(257, 'n');
  OrgImportPlan plan = PlanOrgImport(
      "unit_id,parent_id,kind,name,fte,start_date,end_date\n"
      "co,,company,Company,,,\n"
      "a1,co,agent," +
          long_name + ",,,\n",
      empty);
  EXPECT_EQ(plan.rejected, 1);
  ASSERT_EQ(plan.errors.size(), 1u);
  EXPECT_EQ(plan.errors[0], "line 3, column name: longer than 256 bytes (257)");
  EXPECT_TRUE(plan.created.empty());
}

TEST(CsvRowText, ActualRowAndHeader) {
  std::vector<CsvRecord> records = ParseCsv(
      "event_id,unit_id,metric,date,value,denominator\n"
      "e\xE9,a1,tickets,2026-01-05,1,\n"  // windows-1252 e acute
      "e2,a1,tickets,2026-01-05,1,\n");
  absl::StatusOr<CsvHeader> header = CsvHeader::Parse(records[0], kActualColumns);
  ASSERT_TRUE(header.ok()) << header.status();
  EXPECT_EQ(ActualRowFromRecord(*header, records[1]).status().message(),
            "line 2, column event_id: not valid UTF-8 (byte 0xE9 at offset 1); save the file as "
            "UTF-8, or import it with okrctl --encoding NAME (e.g. GB18030, windows-1251)");
  EXPECT_TRUE(ActualRowFromRecord(*header, records[2]).ok());

  std::vector<CsvRecord> bad_header = ParseCsv("event_id,unit_id,m\xC3tric\n");
  EXPECT_EQ(CsvHeader::Parse(bad_header[0], kActualColumns).status().message(),
            "line 1, column 3: not valid UTF-8 (byte 0xC3 at offset 1); save the file as UTF-8, "
            "or import it with okrctl --encoding NAME (e.g. GB18030, windows-1251)");
}

// Every string field of every request of okr.v1 has a rule: stored text, or looked up.
TEST(RequestText, EveryRequestStringFieldIsClassified) {
  const google::protobuf::FileDescriptor* files[] = {v1::CreateTokenRequest::descriptor()->file(),
                                                     v1::IngestRequest::descriptor()->file(),
                                                     v1::ExplainRequest::descriptor()->file(),
                                                     v1::Metric::descriptor()->file(),
                                                     v1::Unit::descriptor()->file(),
                                                     v1::SetTargetRequest::descriptor()->file(),
                                                     v1::PluginInfo::descriptor()->file(),
                                                     v1::ProgressRequest::descriptor()->file(),
                                                     v1::ProposeRequest::descriptor()->file()};
  std::set<const google::protobuf::Descriptor*> seen;
  std::vector<const google::protobuf::Descriptor*> queue;
  int services = 0;
  for (const auto* file : files) {
    for (int s = 0; s < file->service_count(); ++s) {
      ++services;
      for (int m = 0; m < file->service(s)->method_count(); ++m) {
        queue.push_back(file->service(s)->method(m)->input_type());
      }
    }
  }
  EXPECT_GE(services, 9);
  std::vector<std::string> unclassified;
  while (!queue.empty()) {
    const google::protobuf::Descriptor* message = queue.back();
    queue.pop_back();
    if (!seen.insert(message).second) continue;
    for (int f = 0; f < message->field_count(); ++f) {
      const google::protobuf::FieldDescriptor* field = message->field(f);
      if (field->message_type() != nullptr) queue.push_back(field->message_type());
      if (field->type() != google::protobuf::FieldDescriptor::TYPE_STRING) continue;
      const bool stored = StoredTextRule(field->name()) != nullptr;
      const bool lookup = IsLookupTextField(field->name());
      if (stored == lookup) unclassified.push_back(field->full_name());
    }
  }
  EXPECT_TRUE(unclassified.empty()) << "string fields without a text rule (request_text.cc): "
                                    << ::testing::PrintToString(unclassified);
}

TEST(RequestText, NestedAndTopLevelFields) {
  v1::DefineMetricRequest metric;
  metric.mutable_metric()->set_metric_id("m1");
  metric.mutable_metric()->set_name("Tickets \xE2\x9C\x93");
  EXPECT_TRUE(CheckRequestText(metric).ok());
  metric.mutable_metric()->set_name("a\x1B");
  EXPECT_EQ(CheckRequestText(metric).message(),
            "metric.name: control character U+001B at offset 1");
  metric.mutable_metric()->set_name("ok");
  metric.mutable_metric()->set_unit(std::string(33, 'u'));
  EXPECT_EQ(CheckRequestText(metric).message(), "metric.unit: longer than 32 bytes (33)");

  v1::SetTargetRequest target;
  target.set_unit_id(std::string(1000, 'u'));  // looked up: NOT_FOUND is the handler's answer
  target.set_reason("line one\nline two");
  EXPECT_TRUE(CheckRequestText(target).ok());
  target.set_reason(std::string(2001, 'r'));
  EXPECT_EQ(CheckRequestText(target).message(), "reason: longer than 2000 bytes (2001)");

  v1::ConfigurePluginRequest config;
  config.set_config_json("{\"tiers\": [\n  1\n]}");
  EXPECT_TRUE(CheckRequestText(config).ok());
  config.set_config_json(std::string(kMaxConfigBytes + 1, ' '));
  EXPECT_EQ(CheckRequestText(config).message(), "config_json: longer than 65536 bytes (65537)");
}

}  // namespace
}  // namespace okr
