// Text at the edges (issue 23): a CSV in another encoding never reaches the store; with
// --encoding it is converted and its names round-trip exactly; caps are enforced with the cap
// in the message.
//
// The encoded bytes are hard-coded, worked out with Python's codecs (not glibc's iconv, which
// okrctl uses) and checked against the published tables: GB18030 "张" D5 C5, "三" C8 FD,
// "ë" 81 30 8A 35 (a four-byte form), "𠮷" 95 34 B2 35 (a supplementary character);
// windows-1251 "И" C8, "ё" B8, "Ё" A8. Offsets and lines in the expected messages are
// counted by hand from the file texts below.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "okr/v1/org.grpc.pb.h"
#include "tests/fault/fault_client.h"
#include "tests/integration/harness.h"

namespace okr::testing {
namespace {

constexpr char kHeader[] = "unit_id,parent_id,kind,name,fte,start_date,end_date\n";  // 52 bytes

// unit_id -> name, from `okrctl org show -o json`.
std::map<std::string, std::string> Names(const OkrdProcess& okrd) {
  CommandResult shown = okrd.Ctl({"org", "show", "-o", "json"});
  EXPECT_EQ(shown.exit_code, 0) << shown.err;
  std::map<std::string, std::string> names;
  if (shown.exit_code != 0) return names;
  const nlohmann::json doc = shown.Json();  // kept: a loop over a temporary's member dangles
  for (const auto& unit : doc["units"]) {
    names[unit["unit_id"].get<std::string>()] = unit["name"].get<std::string>();
  }
  return names;
}

// GB18030 (what Excel in a Chinese locale saves as "CSV"): a company, a group, four agents.
const std::string kGb18030Org = std::string(kHeader) +
                                // 上海客服中心 (Shanghai service centre)
                                "sh,,company,\xC9\xCF\xBA\xA3\xBF\xCD\xB7\xFE\xD6\xD0\xD0\xC4,,,\n"
                                // 一组 (group one)
                                "sh-g1,sh,group,\xD2\xBB\xD7\xE9,,,\n"
                                // 张三
                                "sh-a1,sh-g1,agent,\xD5\xC5\xC8\xFD,1.0,,\n"
                                // 李四
                                "sh-a2,sh-g1,agent,\xC0\xEE\xCB\xC4,0.5,,\n"
                                // Zoë 赵: ë takes GB18030's four-byte form
                                "sh-a3,sh-g1,agent,Zo\x81\x30\x8A\x35 \xD5\xD4,,,\n"
                                // 𠮷祥: 𠮷 is U+20BB7, beyond the BMP
                                "sh-a4,sh-g1,agent,\x95\x34\xB2\x35\xCF\xE9,,,\n";

// The same names in UTF-8.
const std::map<std::string, std::string> kChineseNames = {
    {"sh", "\xE4\xB8\x8A\xE6\xB5\xB7\xE5\xAE\xA2\xE6\x9C\x8D\xE4\xB8\xAD\xE5\xBF\x83"},
    {"sh-g1", "\xE4\xB8\x80\xE7\xBB\x84"},
    {"sh-a1", "\xE5\xBC\xA0\xE4\xB8\x89"},
    {"sh-a2", "\xE6\x9D\x8E\xE5\x9B\x9B"},
    {"sh-a3", "Zo\xC3\xAB \xE8\xB5\xB5"},
    {"sh-a4", "\xF0\xA0\xAE\xB7\xE7\xA5\xA5"},
};

// (a) The defect: a raw upload (another client, no okrctl check) with a GBK name was stored,
// and every `org show` failed after it. Now the row is refused with its line and column,
// nothing is stored, and the org still shows.
TEST(TextEncoding, RawUploadWithGbkNameIsRefusedAndOrgShowKeepsWorking) {
  OkrdProcess okrd;
  auto channel = fault::Connect(okrd.address());
  v1::ImportUnitsReply reply;
  auto ctx = fault::Context(okrd.admin_token());
  auto writer = v1::OrgService::NewStub(channel)->ImportUnits(ctx.get(), &reply);
  v1::CsvChunk chunk;
  chunk.set_data(std::string(kHeader) +
                 "co,,company,Company,,,\n"
                 "a1,co,agent,\xD5\xC5\xC8\xFD,1.0,,\n");  // 张三 in GBK
  ASSERT_TRUE(writer->Write(chunk));
  ASSERT_TRUE(writer->WritesDone());
  grpc::Status status = writer->Finish();
  // An import with bad rows answers OK with the rows' errors and stores nothing (as for any
  // bad row); okrctl turns it into INVALID_ARGUMENT.
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(reply.created(), 0u);
  EXPECT_EQ(reply.updated(), 0u);
  EXPECT_EQ(reply.rejected(), 1u);
  ASSERT_EQ(reply.errors_size(), 1);
  EXPECT_EQ(reply.errors(0).line(), 3u);
  EXPECT_EQ(reply.errors(0).message(),
            "line 3, column name: not valid UTF-8 (byte 0xD5 at offset 0); save the file as "
            "UTF-8, or import it with okrctl --encoding NAME (e.g. GB18030, windows-1251)");

  EXPECT_EQ(Names(okrd), (std::map<std::string, std::string>{}));
  okrd.Restart();
  EXPECT_EQ(Names(okrd), (std::map<std::string, std::string>{}));
}

// (b) GB18030 with --encoding: every name comes back exactly, in UTF-8, also after a restart.
TEST(TextEncoding, Gb18030FileRoundTripsWithEncoding) {
  OkrdProcess okrd;
  const std::string file = okrd.WriteFile("org-gb18030.csv", kGb18030Org);
  CommandResult imported = okrd.Ctl({"org", "import", file, "--encoding", "GB18030", "-o", "json"});
  ASSERT_EQ(imported.exit_code, 0) << imported.err << imported.out;
  EXPECT_EQ(imported.Json()["created"], 6);
  EXPECT_EQ(Names(okrd), kChineseNames);
  okrd.Restart();
  EXPECT_EQ(Names(okrd), kChineseNames);
  // Importing the same file again changes nothing: the converted names equal the stored ones.
  CommandResult again = okrd.Ctl({"org", "import", file, "--encoding", "gb18030", "-o", "json"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.Json()["unchanged"], 6);
}

// (c) windows-1251 with --encoding, Russian names (ё and Ё included, a quoted field).
TEST(TextEncoding, Windows1251FileRoundTripsWithEncoding) {
  OkrdProcess okrd;
  const std::string file =
      okrd.WriteFile("org-1251.csv",
                     std::string(kHeader) +
                         // Москва
                         "msk,,company,\xCC\xEE\xF1\xEA\xE2\xE0,,,\r\n"
                         // Иван Петров
                         "msk-a1,msk,agent,\xC8\xE2\xE0\xED \xCF\xE5\xF2\xF0\xEE\xE2,,,\r\n"
                         // Пётр Ёлкин
                         "msk-a2,msk,agent,\xCF\xB8\xF2\xF0 \xA8\xEB\xEA\xE8\xED,,,\r\n"
                         // "Наталья ""Ната"" Щукина"
                         "msk-a3,msk,agent,\"\xCD\xE0\xF2\xE0\xEB\xFC\xFF \"\"\xCD\xE0\xF2\xE0\"\" "
                         "\xD9\xF3\xEA\xE8\xED\xE0\",,,\r\n");
  CommandResult imported =
      okrd.Ctl({"org", "import", file, "--encoding", "windows-1251", "-o", "json"});
  ASSERT_EQ(imported.exit_code, 0) << imported.err << imported.out;
  EXPECT_EQ(imported.Json()["created"], 4);
  const std::map<std::string, std::string> expected = {
      {"msk", "\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0"},
      {"msk-a1",
       "\xD0\x98\xD0\xB2\xD0\xB0\xD0\xBD \xD0\x9F\xD0\xB5\xD1\x82\xD1\x80\xD0\xBE\xD0\xB2"},
      {"msk-a2", "\xD0\x9F\xD1\x91\xD1\x82\xD1\x80 \xD0\x81\xD0\xBB\xD0\xBA\xD0\xB8\xD0\xBD"},
      {"msk-a3",
       "\xD0\x9D\xD0\xB0\xD1\x82\xD0\xB0\xD0\xBB\xD1\x8C\xD1\x8F \"\xD0\x9D\xD0\xB0\xD1\x82\xD0"
       "\xB0\" \xD0\xA9\xD1\x83\xD0\xBA\xD0\xB8\xD0\xBD\xD0\xB0"},
  };
  EXPECT_EQ(Names(okrd), expected);
}

// (d) Without --encoding, the GB18030 file gets one client-side error and nothing is sent.
// Line 2 starts at offset 52 (the header); "sh,,company," is 12 bytes, so the first byte of
// 上 (C9, a UTF-8 lead byte that CF does not continue) is at offset 64.
TEST(TextEncoding, NonUtf8FileWithoutEncodingGetsOneClearError) {
  OkrdProcess okrd;
  const std::string file = okrd.WriteFile("org-gb18030.csv", kGb18030Org);
  CommandResult imported = okrd.Ctl({"org", "import", file});
  EXPECT_EQ(imported.exit_code, 1);
  EXPECT_EQ(imported.out, "");
  EXPECT_EQ(imported.err, "okrctl: INVALID_ARGUMENT: " + file +
                              " line 2 is not valid UTF-8 (byte 0xC9 at offset 64); if the file "
                              "is GB18030/GBK or windows-1251 (Excel in a Chinese or Russian "
                              "locale saves those), pass --encoding GB18030 or --encoding "
                              "windows-1251\n");
  EXPECT_EQ(Names(okrd), (std::map<std::string, std::string>{}));
  // Nothing reached okrd: no import in the audit history.
  CommandResult history = okrd.Ctl({"history", "-o", "json"});
  ASSERT_EQ(history.exit_code, 0) << history.err;
  EXPECT_EQ(history.out.find("org.import"), std::string::npos) << history.out;
}

// The same for actuals: a windows-1251 event id is refused without --encoding, and stored
// exactly with it.
TEST(TextEncoding, ActualsImportTakesEncoding) {
  OkrdProcess okrd;
  ASSERT_EQ(
      okrd.Ctl({"org", "import",
                okrd.WriteFile("org.csv", std::string(kHeader) + "co,,company,Co,,,\n"
                                                                 "a1,co,agent,Ann,,2025-01-01,\n")})
          .exit_code,
      0);
  ASSERT_EQ(
      okrd.Ctl({"metric", "define", "tickets", "--kind", "count", "--direction", "up"}).exit_code,
      0);
  const std::string file =
      okrd.WriteFile("actuals-1251.csv",
                     "event_id,unit_id,metric,date,value,denominator\n"             // 47 bytes
                     "\xF1\xEE\xE1\xFB\xF2\xE8\xE5-1,a1,tickets,2025-03-04,7,\n");  // событие-1
  CommandResult refused = okrd.Ctl({"actuals", "import", file});
  EXPECT_EQ(refused.exit_code, 1);
  // F1 starts a four-byte UTF-8 sequence, and EE does not continue it.
  EXPECT_EQ(refused.err, "okrctl: INVALID_ARGUMENT: " + file +
                             " line 2 is not valid UTF-8 (byte 0xF1 at offset 47); if the file "
                             "is GB18030/GBK or windows-1251 (Excel in a Chinese or Russian "
                             "locale saves those), pass --encoding GB18030 or --encoding "
                             "windows-1251\n");

  CommandResult imported =
      okrd.Ctl({"actuals", "import", file, "--encoding", "CP1251", "-o", "json"});
  ASSERT_EQ(imported.exit_code, 0) << imported.err << imported.out;
  EXPECT_EQ(imported.Json()["accepted"], 1);
  // The same event in UTF-8 is a duplicate: the id was stored as its exact UTF-8 text.
  CommandResult again = okrd.Ctl(
      {"actuals", "import",
       okrd.WriteFile("actuals-utf8.csv",
                      "event_id,unit_id,metric,date,value,denominator\n"
                      "\xD1\x81\xD0\xBE\xD0\xB1\xD1\x8B\xD1\x82\xD0\xB8\xD0\xB5-1,a1,tickets,"
                      "2025-03-04,7,\n"),
       "-o", "json"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.Json()["duplicates"], 1);
}

// A byte that the named encoding has no character for is an error with its offset, and
// nothing is sent. 0x98 is the one byte windows-1251 leaves undefined; line 3 starts at 52 +
// "co,,company,Co,,,\n" (18) = 70, and "a1,co,agent,A" is 13 more: offset 83.
TEST(TextEncoding, BadSequenceForTheNamedEncoding) {
  OkrdProcess okrd;
  const std::string file = okrd.WriteFile(
      "bad-1251.csv", std::string(kHeader) + "co,,company,Co,,,\na1,co,agent,A\x98,,,\n");
  CommandResult imported = okrd.Ctl({"org", "import", file, "--encoding", "windows-1251"});
  EXPECT_EQ(imported.exit_code, 1);
  EXPECT_EQ(imported.err, "okrctl: INVALID_ARGUMENT: " + file +
                              " line 3 is not valid windows-1251 (byte 0x98 at offset 83 does "
                              "not start a character of it)\n");
  EXPECT_EQ(Names(okrd), (std::map<std::string, std::string>{}));

  CommandResult unknown = okrd.Ctl({"org", "import", file, "--encoding", "no-such-encoding"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_EQ(unknown.err,
            "okrctl: INVALID_ARGUMENT: unknown encoding 'no-such-encoding': iconv cannot convert "
            "it to UTF-8 (`iconv -l` lists the names it knows)\n");
}

// A UTF-8 file with a byte order mark needs no flag: the mark is stripped, names are exact.
TEST(TextEncoding, Utf8WithByteOrderMarkImportsAsIs) {
  OkrdProcess okrd;
  const std::string file =
      okrd.WriteFile("org-bom.csv", "\xEF\xBB\xBF" + std::string(kHeader) +
                                        "sh,,company,\xE4\xB8\x8A\xE6\xB5\xB7,,,\n");  // 上海
  CommandResult imported = okrd.Ctl({"org", "import", file});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_EQ(Names(okrd), (std::map<std::string, std::string>{{"sh", "\xE4\xB8\x8A\xE6\xB5\xB7"}}));
  // Naming another encoding for it would turn it into mojibake: refused.
  CommandResult mislabelled = okrd.Ctl({"org", "import", file, "--encoding", "GB18030"});
  EXPECT_EQ(mislabelled.exit_code, 1);
  EXPECT_EQ(mislabelled.err, "okrctl: INVALID_ARGUMENT: " + file +
                                 " starts with a UTF-8 byte order mark, so it is UTF-8 already: "
                                 "leave out --encoding GB18030\n");
}

// (e) Caps, in bytes of UTF-8, with the cap in the message: at the CSV row and at the API.
TEST(TextEncoding, OverLongTextIsRefusedWithTheCap) {
  OkrdProcess okrd;
  // 85 x 张 (3 bytes each) + "a" = 256 bytes: the largest name; one byte more is refused.
  std::string longest;
  for (int i = 0; i < 85; ++i) longest += "\xE5\xBC\xA0";
  longest += "a";
  ASSERT_EQ(longest.size(), 256u);
  CommandResult fits = okrd.Ctl(
      {"org", "import",
       okrd.WriteFile("fits.csv", std::string(kHeader) + "co,,company," + longest + ",,,\n")});
  ASSERT_EQ(fits.exit_code, 0) << fits.err;
  EXPECT_EQ(Names(okrd), (std::map<std::string, std::string>{{"co", longest}}));

  CommandResult too_long =
      okrd.Ctl({"org", "import",
                okrd.WriteFile("long.csv", std::string(kHeader) + "co,,company,Co,,,\n" +
                                               "a1,co,agent," + longest + "b,,,\n"),
                "-o", "json"});
  EXPECT_EQ(too_long.exit_code, 1);
  const nlohmann::json summary = too_long.Json();
  EXPECT_EQ(summary["rejected"], 1);
  ASSERT_EQ(summary["errors"].size(), 1u);
  EXPECT_EQ(summary["errors"][0]["line"], 3);
  EXPECT_EQ(summary["errors"][0]["message"], "line 3, column name: longer than 256 bytes (257)");
  EXPECT_EQ(Names(okrd), (std::map<std::string, std::string>{{"co", longest}}));

  // At the API, before any handler: a metric's name, a target's reason (the metric does not
  // exist, but the text is checked first), a token's label.
  CommandResult metric = okrd.Ctl({"metric", "define", "tickets", "--kind", "count", "--direction",
                                   "up", "--name", longest + "b"});
  EXPECT_EQ(metric.exit_code, 3);  // INVALID_ARGUMENT
  EXPECT_EQ(metric.err, "okrctl: INVALID_ARGUMENT: metric.name: longer than 256 bytes (257)\n");

  CommandResult reason = okrd.Ctl({"target", "set", "--unit", "co", "--metric", "tickets", "--year",
                                   "2026", "--value", "100", "--reason", std::string(2001, 'r')});
  EXPECT_EQ(reason.exit_code, 3);
  EXPECT_EQ(reason.err, "okrctl: INVALID_ARGUMENT: reason: longer than 2000 bytes (2001)\n");

  CommandResult label =
      okrd.Ctl({"token", "create", "--role", "director", "--label", "night\x1B[2Jshift"});
  EXPECT_EQ(label.exit_code, 3);
  EXPECT_EQ(label.err, "okrctl: INVALID_ARGUMENT: label: control character U+001B at offset 5\n");
}

}  // namespace
}  // namespace okr::testing
