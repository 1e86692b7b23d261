// The HTTP side (issue 10): sign-in and the session cookie, the dashboard's numbers against
// `okrctl progress`, a lead sees only its subtree, a unit name with <script> is escaped, and
// hostile HTTP: oversized headers, `..` in the path, a bad cookie, an unknown path, half-sent
// requests held open while others (and gRPC) are served.
//
// Every expected value below is worked out by hand in the comments.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tests/integration/harness.h"
#include "tests/integration/http_client.h"

namespace okr::testing {
namespace {

using nlohmann::json;

std::string Get(int port, const std::string& target, const std::string& cookie = "") {
  return HttpClient(port).Get(target, cookie);
}

// The dashboard's cells of one row: class -> text.
std::map<std::string, std::string> RowCells(const std::string& html, const std::string& unit) {
  std::map<std::string, std::string> cells;
  const size_t row = html.find("<tr data-unit=\"" + unit + "\">");
  if (row == std::string::npos) return cells;
  const size_t end = html.find("</tr>", row);
  for (const char* cls : {"target", "actual", "expected", "attainment", "status"}) {
    const std::string open = std::string("<td class=") + cls + ">";
    const size_t at = html.find(open, row);
    if (at == std::string::npos || at > end) continue;
    const size_t from = at + open.size();
    cells[cls] = html.substr(from, html.find("</td>", from) - from);
  }
  return cells;
}

int CountRows(const std::string& html) {
  int rows = 0;
  for (size_t at = html.find("<tr data-unit="); at != std::string::npos;
       at = html.find("<tr data-unit=", at + 1)) {
    ++rows;
  }
  return rows;
}

// co -> g1 {a1, a2}
//    -> g2 {a3, whose name is a script tag}
// All 1.0 FTE all year.
constexpr char kOrg[] =
    "unit_id,parent_id,kind,name,fte,start_date,end_date\n"
    "co,,company,Company,,,\n"
    "g1,co,group,Group one,,,\n"
    "g2,co,group,Group two,,,\n"
    "a1,g1,agent,Ann,1.0,,\n"
    "a2,g1,agent,Bob,1.0,,\n"
    "a3,g2,agent,<script>alert(1)</script>,1.0,,\n";

class DashboardIT : public ::testing::Test {
 protected:
  DashboardIT()
      : http_port_(FreePort()),
        okrd_({"--http-listen", "127.0.0.1:" + std::to_string(http_port_)}) {}

  json Json(std::vector<std::string> args, const std::string& token = "") {
    args.push_back("-o");
    args.push_back("json");
    CommandResult r = token.empty() ? okrd_.Ctl(args) : okrd_.CtlAs(token, args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.exit_code == 0 ? r.Json() : json::object();
  }

  void SetUp() override {
    ASSERT_EQ(Json({"org", "import", okrd_.WriteFile("org.csv", kOrg)})["created"], 6);
    Json({"metric", "define", "tickets", "--kind", "count", "--direction", "up"});
    // 3650 in 2025 by days = 10 a day; March 310 -> by FTE 2:1 -> g1 206.67 -> 207,
    // g2 103.33 -> 103; g1's 207 -> a1 103.5 -> 104 (tie to the smaller id), a2 103; a3 103.
    Json({"target", "set", "--unit", "co", "--metric", "tickets", "--year", "2025", "--value",
          "3650"});
    Json({"cascade", "--unit", "co", "--metric", "tickets", "--year", "2025"});
    // March actuals: a1 124 (119.2% of 104), a2 51 (49.5% of 103), a3 103 (100%).
    Json({"actuals", "import",
          okrd_.WriteFile("m.csv",
                          "event_id,unit_id,metric,date,value,denominator\n"
                          "e1,a1,tickets,2025-03-03,124,\n"
                          "e2,a2,tickets,2025-03-03,51,\n"
                          "e3,a3,tickets,2025-03-04,103,\n")});
  }

  // Signs in with a token through the form; returns the cookie to send ("okr_session=...").
  std::string SignIn(const std::string& token) {
    const std::string response = HttpClient(http_port_).SubmitLogin(token);
    EXPECT_EQ(StatusOf(response), 303) << response;
    const std::string cookie = SetCookie(response, "okr_session");
    EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
    EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos) << cookie;
    return CookiePair(cookie);
  }

  int http_port_;
  OkrdProcess okrd_;
};

TEST_F(DashboardIT, NumbersMatchProgressAndLeadsSeeTheirSubtree) {
  const std::string admin = SignIn(okrd_.admin_token());
  EXPECT_EQ(admin.rfind("okr_session=", 0), 0u) << admin;
  const std::string page = Get(http_port_, "/?unit=g1&metric=tickets&month=2025-03", admin);
  ASSERT_EQ(StatusOf(page), 200) << page.substr(0, 300);
  const std::string html = Body(page);
  EXPECT_NE(html.find("<table id=progress>"), std::string::npos);
  EXPECT_EQ(CountRows(html), 3);  // g1 itself, a1, a2

  json progress = Json(
      {"progress", "--unit", "g1", "--metric", "tickets", "--period", "2025-03", "--children"});
  std::vector<json> rows = {progress};
  for (const auto& c : progress["children"]) rows.push_back(c);
  ASSERT_EQ(rows.size(), 3u);
  for (const json& p : rows) {
    const std::string unit = p["unit"];
    auto cells = RowCells(html, unit);
    ASSERT_EQ(cells.size(), 5u) << unit;
    EXPECT_NEAR(std::stod(cells["target"]), p["target"].get<double>(), 0.005) << unit;
    EXPECT_NEAR(std::stod(cells["actual"]), p["actual"].get<double>(), 0.005) << unit;
    EXPECT_NEAR(std::stod(cells["expected"]), p["expected_to_date"].get<double>(), 0.005) << unit;
    EXPECT_NEAR(std::stod(cells["attainment"]), p["attainment_pct"].get<double>(), 0.05) << unit;
    EXPECT_EQ(cells["status"], p["status"].get<std::string>()) << unit;
  }
  // By hand: g1 207 target, 124 + 51 = 175 actual, 84.5% (175/207), missed (March is over).
  auto g1 = RowCells(html, "g1");
  EXPECT_EQ(g1["target"], "207");
  EXPECT_EQ(g1["actual"], "175");
  EXPECT_EQ(g1["attainment"], "84.5%");
  EXPECT_EQ(g1["status"], "missed");
  auto a1 = RowCells(html, "a1");
  EXPECT_EQ(a1["target"], "104");
  EXPECT_EQ(a1["attainment"], "119.2%");  // 124/104 = 1.1923
  EXPECT_EQ(a1["status"], "achieved");

  // A lead of g2 sees g2 by default, and nothing outside it.
  const std::string lead_token =
      Json({"token", "create", "--role", "lead", "--unit", "g2"}).value("token", "");
  const std::string lead = SignIn(lead_token);
  const std::string own = Body(Get(http_port_, "/?metric=tickets&month=2025-03", lead));
  EXPECT_NE(own.find("<tr data-unit=\"g2\">"), std::string::npos);
  EXPECT_NE(own.find("<tr data-unit=\"a3\">"), std::string::npos);
  EXPECT_EQ(own.find("data-unit=\"g1\""), std::string::npos);
  EXPECT_EQ(own.find("data-unit=\"a1\""), std::string::npos);
  EXPECT_EQ(CountRows(own), 2);
  EXPECT_EQ(StatusOf(Get(http_port_, "/?unit=g1&metric=tickets&month=2025-03", lead)), 403);
  EXPECT_EQ(StatusOf(Get(http_port_, "/?unit=co&metric=tickets&month=2025-03", lead)), 403);
  EXPECT_EQ(StatusOf(Get(http_port_, "/explain?unit=a1&metric=tickets&month=2025-03", lead)), 403);
  // Explain page for a unit of its own: the chain, ending with a3's 103.
  const std::string why = Get(http_port_, "/explain?unit=a3&metric=tickets&month=2025-03", lead);
  ASSERT_EQ(StatusOf(why), 200);
  EXPECT_NE(Body(why).find("<td>a3</td><td>2025-03</td><td>103</td>"), std::string::npos)
      << Body(why);
}

TEST_F(DashboardIT, ScriptInUnitNameIsShownAsText) {
  const std::string admin = SignIn(okrd_.admin_token());
  const std::string html = Body(Get(http_port_, "/?unit=g2&metric=tickets&month=2025-03", admin));
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos) << html;
  EXPECT_EQ(html.find("<script>alert(1)"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);  // the dashboard uses no scripts at all
  const std::string agent_page =
      Body(Get(http_port_, "/?unit=a3&metric=tickets&month=2025-03", admin));
  EXPECT_EQ(agent_page.find("<script"), std::string::npos);
}

TEST_F(DashboardIT, HostileRequests) {
  const std::string admin = SignIn(okrd_.admin_token());
  // Health needs no sign-in.
  const std::string health = Get(http_port_, "/healthz");
  EXPECT_EQ(StatusOf(health), 200);
  EXPECT_EQ(Body(health), "SERVING\n");
  // Not signed in: the sign-in page, 401; a wrong token through the form: 401; a POST to
  // /login without the form's CSRF value: 403.
  EXPECT_EQ(StatusOf(Get(http_port_, "/")), 401);
  EXPECT_EQ(StatusOf(HttpClient(http_port_).SubmitLogin("nope!")), 401);
  EXPECT_EQ(StatusOf(Exchange(http_port_,
                              "POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: "
                              "11\r\nConnection: close\r\n\r\ntoken=nope!")),
            403);
  // A bad cookie: 401; a signed-in request for an unknown path: 404; `..`: 400.
  EXPECT_EQ(StatusOf(Get(http_port_, "/", "okr_session=not-a-token")), 401);
  EXPECT_EQ(StatusOf(Get(http_port_, "/", "okr_session=")), 401);
  EXPECT_EQ(StatusOf(Get(http_port_, "/no/such/page", admin)), 404);
  EXPECT_EQ(StatusOf(Get(http_port_, "/../../etc/passwd", admin)), 400);
  EXPECT_EQ(StatusOf(Get(http_port_, "/explain/..", admin)), 400);
  // A page that only reads: POST is refused.
  EXPECT_EQ(
      StatusOf(Exchange(http_port_, "POST / HTTP/1.1\r\nHost: x\r\nCookie: " + admin +
                                        "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")),
      405);
  // Oversized headers (20 KiB against an 8 KiB limit): 431, or the connection is cut.
  const std::string big = Exchange(
      http_port_, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n");
  EXPECT_TRUE(big.empty() || StatusOf(big) == 431) << big.substr(0, 200);
  // Garbage instead of HTTP (a TLS hello to the plain port): the connection is closed with no
  // answer.
  const std::string garbage = Exchange(
      http_port_, std::string("\x16\x03\x01\x02\x00", 5) + std::string(300, '\xff') + "\r\n\r\n");
  EXPECT_EQ(garbage, "") << garbage.substr(0, 100);

  // Half-sent requests held open (slowloris): others are still answered at once.
  std::vector<int> held;
  for (int i = 0; i < 32; ++i) {
    const int fd = ConnectLoopback(http_port_);
    ASSERT_GE(fd, 0);
    const std::string part = "GET /?unit=co HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
    ::send(fd, part.data(), part.size(), MSG_NOSIGNAL);
    held.push_back(fd);
  }
  const auto started = std::chrono::steady_clock::now();
  const std::string answered = Get(http_port_, "/?unit=co&metric=tickets&month=2025-03", admin);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  EXPECT_EQ(StatusOf(answered), 200);
  // The held ones wait for their 10 s I/O timeout; this one must not wait behind them.
  EXPECT_LT(seconds, 2.0) << "a held connection delayed another client";
  EXPECT_EQ(StatusOf(Get(http_port_, "/healthz")), 200);
  // gRPC serves meanwhile.
  const auto grpc_started = std::chrono::steady_clock::now();
  CommandResult list = okrd_.Ctl({"metric", "list"});
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - grpc_started).count(),
            5.0);
  for (int fd : held) ::close(fd);
}

// The year chart's red line is PRODUCT.md's pace of the year so far, at the end of each month:
// for a metric kept low it is expected / actual. "complaints" (count, down): 120 a year in
// equal months, 10 a month for co. a1 has 5 complaints in January and 20 in February.
//   end of January:  expected 10, actual 5  -> pace 2.0, drawn at the top (capped at 1.5): y 0
//   end of February: expected 20, actual 25 -> pace 0.8: y = 160 - 0.8 / 1.5 x 160 = 74.7
//   end of March:    expected 30, actual 25 -> pace 1.2: y = 160 - 1.2 / 1.5 x 160 = 32
// The points sit at x = 57 + 40 x (month - 1).
TEST_F(DashboardIT, YearChartDrawsThePaceOfTheYearSoFar) {
  Json({"metric", "define", "complaints", "--kind", "count", "--direction", "down"});
  Json({"target", "set", "--unit", "co", "--metric", "complaints", "--year", "2025", "--value",
        "120", "--seasonality", "1,1,1,1,1,1,1,1,1,1,1,1"});
  Json({"cascade", "--unit", "co", "--metric", "complaints", "--year", "2025"});
  Json({"actuals", "import",
        okrd_.WriteFile("c.csv",
                        "event_id,unit_id,metric,date,value,denominator\n"
                        "c1,a1,complaints,2025-01-10,5,\n"
                        "c2,a1,complaints,2025-02-10,20,\n")});
  const std::string admin = SignIn(okrd_.admin_token());
  const std::string html =
      Body(Get(http_port_, "/?unit=co&metric=complaints&month=2025-03", admin));
  const std::string open = "<polyline points=\"";
  const size_t at = html.find(open);
  ASSERT_NE(at, std::string::npos) << html.substr(0, 300);
  // "x,y x,y ..." -> the first three (x, y).
  std::istringstream points(html.substr(at + open.size(), html.find('"', at + open.size())));
  std::vector<std::pair<double, double>> xy;
  for (std::string point; points >> point && xy.size() < 3;) {
    const size_t comma = point.find(',');
    xy.emplace_back(std::stod(point.substr(0, comma)), std::stod(point.substr(comma + 1)));
  }
  ASSERT_EQ(xy.size(), 3u);
  const double expected_y[] = {0, 74.7, 32};
  for (int m = 0; m < 3; ++m) {
    EXPECT_EQ(xy[m].first, 57 + 40 * m) << "month " << m + 1;
    EXPECT_NEAR(xy[m].second, expected_y[m], 0.05) << "month " << m + 1;
  }
}

}  // namespace
}  // namespace okr::testing
