#include "services/domain/actual_event.h"

#include <map>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace okr {
namespace {

TEST(ParseMicrosTest, Decimals) {
  EXPECT_EQ(*ParseMicros("12"), 12'000'000);
  EXPECT_EQ(*ParseMicros("0"), 0);
  EXPECT_EQ(*ParseMicros("-0"), 0);
  EXPECT_EQ(*ParseMicros("0.25"), 250'000);
  EXPECT_EQ(*ParseMicros("-0.25"), -250'000);
  EXPECT_EQ(*ParseMicros(".5"), 500'000);
  EXPECT_EQ(*ParseMicros("5."), 5'000'000);
  EXPECT_EQ(*ParseMicros("+3"), 3'000'000);
  EXPECT_EQ(*ParseMicros("0.1"), 100'000);
  EXPECT_EQ(*ParseMicros("0.000001"), 1);
  EXPECT_EQ(*ParseMicros("000000000000000000000001.5"), 1'500'000);
  EXPECT_EQ(*ParseMicros("300.000000"), 300'000'000);
}

TEST(ParseMicrosTest, Exponents) {
  EXPECT_EQ(*ParseMicros("1.5e3"), 1'500'000'000);
  EXPECT_EQ(*ParseMicros("2E-6"), 2);
  EXPECT_EQ(*ParseMicros("25e-2"), 250'000);
  EXPECT_EQ(*ParseMicros("1e+2"), 100'000'000);
  EXPECT_EQ(*ParseMicros("1e-100000000"), 0);
  EXPECT_EQ(*ParseMicros("0e999999"), 0);
}

TEST(ParseMicrosTest, RoundsHalfAwayFromZeroOnTheDecimalDigits) {
  EXPECT_EQ(*ParseMicros("0.0000005"), 1);
  EXPECT_EQ(*ParseMicros("0.00000049999"), 0);
  EXPECT_EQ(*ParseMicros("-0.0000005"), -1);
  EXPECT_EQ(*ParseMicros("0.0000004"), 0);
  // 1.2345675 has no exact double (it is 1.23456749999...): exact digits round it up.
  EXPECT_EQ(*ParseMicros("1.2345675"), 1'234'568);
  EXPECT_EQ(*ParseMicros("2.9999995"), 3'000'000);
}

TEST(ParseMicrosTest, MagnitudeLimit) {
  EXPECT_EQ(*ParseMicros("1000000000000"), 1'000'000'000'000'000'000);
  EXPECT_EQ(*ParseMicros("-1e12"), -1'000'000'000'000'000'000);
  EXPECT_EQ(*ParseMicros("1000000000000.0000004"), 1'000'000'000'000'000'000);
  for (const char* text :
       {"1000000000000.000001", "1e13", "99999999999999999999", "-2e12", "1000000000000.0000005"}) {
    absl::StatusOr<int64_t> micros = ParseMicros(text);
    EXPECT_EQ(micros.status().code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_EQ(micros.status().message(),
              "'" + std::string(text) + "' is out of range: magnitude above 1e12");
  }
}

TEST(ParseMicrosTest, NotNumbers) {
  for (const char* text : {"", "abc", "1,5", "1.2.3", "nan", "inf", "-inf", "-", "+", ".", "1e",
                           "1e+", "e5", " 1", "1 ", "0x10", "1e5.5", "--1"}) {
    absl::StatusOr<int64_t> micros = ParseMicros(text);
    ASSERT_FALSE(micros.ok()) << text;
    EXPECT_EQ(micros.status().message(), "'" + std::string(text) + "' is not a number");
  }
}

TEST(FormatMicrosTest, ShortestDecimal) {
  EXPECT_EQ(FormatMicros(0), "0");
  EXPECT_EQ(FormatMicros(12'000'000), "12");
  EXPECT_EQ(FormatMicros(500'000), "0.5");
  EXPECT_EQ(FormatMicros(1), "0.000001");
  EXPECT_EQ(FormatMicros(-3'000'001), "-3.000001");
  EXPECT_EQ(FormatMicros(1'000'000'000'000'000'000), "1000000000000");
}

class ValidateEventTest : public ::testing::Test {
 protected:
  ValidateEventTest() {
    std::vector<Unit> units(5);
    units[0].id = "acme";
    units[0].kind = UnitKind::kCompany;
    units[1].id = "g1";
    units[1].parent_id = "acme";
    units[1].kind = UnitKind::kGroup;
    units[2].id = "a1";
    units[2].parent_id = "g1";
    units[2].start_date = Date{2026, 2, 1};
    units[2].end_date = Date{2026, 6, 30};
    units[3].id = "a2";
    units[3].parent_id = "g1";
    units[4].id = "a3";
    units[4].parent_id = "g1";
    units[4].deactivated = true;
    org_ = OrgSnapshot(std::move(units));

    metrics_["tickets"].kind = MetricKind::kCount;
    metrics_["csat"].kind = MetricKind::kRatio;
    metrics_["csat"].scale = 100;
    metrics_["aht"].kind = MetricKind::kRatio;
    metrics_["aht"].direction = Direction::kDown;
    for (auto& [id, metric] : metrics_) metric.id = id;
  }

  absl::StatusOr<ActualEvent> Validate(const ActualRow& row) {
    return ValidateEvent(row, org_, [this](std::string_view id) -> const Metric* {
      auto it = metrics_.find(std::string(id));
      return it == metrics_.end() ? nullptr : &it->second;
    });
  }

  // The error message for a row on line 2, "" when it is valid.
  std::string Error(std::string event_id, std::string unit, std::string metric, std::string date,
                    std::string value, std::string denominator) {
    ActualRow row{2, event_id, unit, metric, date, value, denominator};
    absl::StatusOr<ActualEvent> event = Validate(row);
    return event.ok() ? "" : std::string(event.status().message());
  }

  OrgSnapshot org_;
  std::map<std::string, Metric> metrics_;
};

TEST_F(ValidateEventTest, CountEvent) {
  ActualRow row{7, "e1", "a1", "tickets", "2026-03-15", "12", ""};
  absl::StatusOr<ActualEvent> event = Validate(row);
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(event->event_id, "e1");
  EXPECT_EQ(event->unit_id, "a1");
  EXPECT_EQ(event->metric_id, "tickets");
  EXPECT_EQ(event->date, (Date{2026, 3, 15}));
  EXPECT_EQ(event->value_micros, 12'000'000);
  EXPECT_EQ(event->denominator_micros, 0);
}

TEST_F(ValidateEventTest, RatioEvent) {
  ActualRow row{3, "e2", "a2", "csat", "2026-01-05", "45", "50"};
  absl::StatusOr<ActualEvent> event = Validate(row);
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(event->value_micros, 45'000'000);
  EXPECT_EQ(event->denominator_micros, 50'000'000);
  EXPECT_EQ(Error("e3", "a2", "aht", "2026-01-05", "1234.5", "4"), "");
  EXPECT_EQ(Error("e4", "a2", "tickets", "2026-01-05", "0", ""), "");  // zero is a value
}

TEST_F(ValidateEventTest, EventId) {
  EXPECT_EQ(Error("", "a2", "tickets", "2026-01-05", "1", ""), "line 2: event_id is empty");
  EXPECT_EQ(Error(std::string(128, 'x'), "a2", "tickets", "2026-01-05", "1", ""), "");
  EXPECT_EQ(Error(std::string(129, 'x'), "a2", "tickets", "2026-01-05", "1", ""),
            "line 2: event_id: longer than 128 bytes (129)");
}

TEST_F(ValidateEventTest, UnitMustBeAnActiveAgent) {
  EXPECT_EQ(Error("e", "zz", "tickets", "2026-03-01", "1", ""), "line 2: unknown unit 'zz'");
  EXPECT_EQ(Error("e", "g1", "tickets", "2026-03-01", "1", ""),
            "line 2: unit 'g1' is a group, not an agent: actuals are recorded per agent");
  EXPECT_EQ(Error("e", "a1", "tickets", "2026-02-01", "1", ""), "");  // first day
  EXPECT_EQ(Error("e", "a1", "tickets", "2026-06-30", "1", ""), "");  // last day
  EXPECT_EQ(Error("e", "a1", "tickets", "2026-01-31", "1", ""),
            "line 2: agent 'a1' is not active on 2026-01-31 (active 2026-02-01 to 2026-06-30)");
  EXPECT_EQ(Error("e", "a1", "tickets", "2026-07-01", "1", ""),
            "line 2: agent 'a1' is not active on 2026-07-01 (active 2026-02-01 to 2026-06-30)");
  EXPECT_EQ(Error("e", "a3", "tickets", "2026-07-01", "1", ""),
            "line 2: agent 'a3' is not active on 2026-07-01 (deactivated)");
}

TEST_F(ValidateEventTest, MetricAndDate) {
  EXPECT_EQ(Error("e", "a2", "nps", "2026-03-01", "1", ""), "line 2: unknown metric 'nps'");
  EXPECT_EQ(Error("e", "a2", "tickets", "2026-02-29", "1", ""),
            "line 2: bad date '2026-02-29': no such day in the calendar");
  EXPECT_EQ(Error("e", "a2", "tickets", "03/01/2026", "1", ""),
            "line 2: bad date '03/01/2026': expected YYYY-MM-DD");
}

TEST_F(ValidateEventTest, Value) {
  EXPECT_EQ(Error("e", "a2", "tickets", "2026-03-01", "", ""), "line 2: value is empty");
  EXPECT_EQ(Error("e", "a2", "tickets", "2026-03-01", "-1", ""),
            "line 2: value must be >= 0, got -1");
  EXPECT_EQ(Error("e", "a2", "tickets", "2026-03-01", "abc", ""),
            "line 2: bad value: 'abc' is not a number");
  EXPECT_EQ(Error("e", "a2", "tickets", "2026-03-01", "nan", ""),
            "line 2: bad value: 'nan' is not a number");
  EXPECT_EQ(Error("e", "a2", "tickets", "2026-03-01", "1e13", ""),
            "line 2: bad value: '1e13' is out of range: magnitude above 1e12");
}

TEST_F(ValidateEventTest, Denominator) {
  EXPECT_EQ(Error("e", "a2", "csat", "2026-03-01", "9", ""),
            "line 2: metric 'csat' is a ratio: denominator is required and must be > 0");
  EXPECT_EQ(Error("e", "a2", "csat", "2026-03-01", "0", "0"),
            "line 2: denominator must be > 0, got 0");
  EXPECT_EQ(Error("e", "a2", "csat", "2026-03-01", "0", "-5"),
            "line 2: denominator must be > 0, got -5");
  EXPECT_EQ(Error("e", "a2", "csat", "2026-03-01", "0", "0.0000001"),
            "line 2: denominator must be > 0, got 0.0000001");
  EXPECT_EQ(Error("e", "a2", "csat", "2026-03-01", "0", "inf"),
            "line 2: bad denominator: 'inf' is not a number");
  EXPECT_EQ(Error("e", "a2", "tickets", "2026-03-01", "3", "5"),
            "line 2: metric 'tickets' is a count: denominator must be empty, got '5'");
  // An unknown metric still gets its denominator's syntax checked.
  EXPECT_EQ(Error("e", "a2", "nps", "2026-03-01", "3", "x"),
            "line 2: unknown metric 'nps'; bad denominator: 'x' is not a number");
}

TEST_F(ValidateEventTest, EveryProblemOfTheRow) {
  EXPECT_EQ(Error("", "zz", "nps", "2026-13-01", "-1", ""),
            "line 2: event_id is empty; bad date '2026-13-01': no such day in the calendar; "
            "unknown unit 'zz'; unknown metric 'nps'; value must be >= 0, got -1");
}

TEST_F(ValidateEventTest, NoLinePrefixOutsideAFile) {
  ActualRow row{0, "e", "zz", "tickets", "2026-03-01", "1", ""};
  EXPECT_EQ(Validate(row).status().message(), "unknown unit 'zz'");
}

TEST_F(ValidateEventTest, RowsFromCsv) {
  std::vector<CsvRecord> records = ParseCsv(
      "metric,date,event_id,unit_id,value,denominator\n"
      "csat, 2026-03-02 ,e9,a2,4,5\n"
      "tickets,2026-03-02,e10,a2\n");
  absl::StatusOr<CsvHeader> header = CsvHeader::Parse(records[0], kActualColumns);
  ASSERT_TRUE(header.ok()) << header.status();
  absl::StatusOr<ActualRow> row = ActualRowFromRecord(*header, records[1]);
  ASSERT_TRUE(row.ok()) << row.status();
  EXPECT_EQ(row->line, 2);
  EXPECT_EQ(row->event_id, "e9");
  EXPECT_EQ(row->metric, "csat");
  EXPECT_EQ(row->date, "2026-03-02");
  absl::StatusOr<ActualEvent> event = Validate(*row);
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(event->denominator_micros, 5'000'000);
  EXPECT_EQ(ActualRowFromRecord(*header, records[2]).status().message(),
            "line 3: expected 6 fields, got 4");
}

}  // namespace
}  // namespace okr
