// The dashboard's pages and the HTTP routes (no sockets here: see http_server.cc).
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>
#include <variant>

#include "services/core/access_policy.h"
#include "services/core/alerts.h"
#include "services/core/auth_failure_log.h"
#include "services/core/explain_ops.h"
#include "services/core/health.h"
#include "services/core/metrics.h"
#include "services/core/outcomes.h"
#include "services/core/plan_ops.h"
#include "services/core/progress_ops.h"
#include "services/http/dashboard_sessions.h"
#include "services/http/dashboard_view.h"
#include "services/http/http_server.h"

namespace okr {
namespace {

constexpr char kSessionCookie[] = "okr_session";
constexpr char kCsrfCookie[] = "okr_csrf";
constexpr int64_t kSignInFormSeconds = 3600;  // a sign-in form (its CSRF cookie) lasts an hour
constexpr size_t kMaxRows = 200;  // top-N rows per page; large groups are cut with a note

// The value of hex digit `c`, or -1.
int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string UrlDecode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '+') {
      out.push_back(' ');
    } else if (in[i] == '%' && i + 2 < in.size() && HexDigit(in[i + 1]) >= 0 &&
               HexDigit(in[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexDigit(in[i + 1]) * 16 + HexDigit(in[i + 2])));
      i += 2;
    } else {
      out.push_back(in[i]);
    }
  }
  return out;
}

namespace {

std::string UrlEncode(std::string_view in) {
  std::string out;
  for (unsigned char c : in) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

std::map<std::string, std::string> ParseForm(std::string_view text) {
  std::map<std::string, std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('&', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view pair = text.substr(start, end - start);
    size_t eq = pair.find('=');
    if (!pair.empty()) {
      out[UrlDecode(pair.substr(0, eq))] =
          eq == std::string_view::npos ? "" : UrlDecode(pair.substr(eq + 1));
    }
    start = end + 1;
  }
  return out;
}

// The value of cookie `name` in a Cookie header; "" when absent.
std::string CookieValue(const std::string& header, std::string_view name) {
  const std::string key = std::string(name) + "=";
  size_t pos = 0;
  while ((pos = header.find(key, pos)) != std::string::npos) {
    if (pos == 0 || header[pos - 1] == ' ' || header[pos - 1] == ';') {
      size_t end = header.find(';', pos);
      return header.substr(pos + key.size(),
                           end == std::string::npos ? std::string::npos : end - pos - key.size());
    }
    pos += key.size();
  }
  return "";
}

std::string Fmt(double v, int decimals = 1) {
  char buf[64];
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  } else {
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  }
  return buf;
}

const char* StatusColour(std::string_view status) {
  if (status == "on_track" || status == "achieved") return "#2e7d32";
  if (status == "at_risk") return "#f9a825";
  if (status == "off_track" || status == "missed") return "#c62828";
  return "#9e9e9e";
}

std::string Page(const std::string& title, const std::string& body) {
  return "<!doctype html><html lang=en><head><meta charset=utf-8><title>" + HtmlEscape(title) +
         " - okr-cascade</title><style>"
         "body{font:14px system-ui,sans-serif;margin:24px;color:#222}"
         "table{border-collapse:collapse}td,th{padding:4px 10px;border-bottom:1px solid #eee;"
         "text-align:right}td:first-child,th:first-child{text-align:left}"
         "h1{font-size:20px}h2{font-size:16px;margin-top:28px}a{color:#1565c0}"
         ".muted{color:#888}form.inline{display:inline}"
         "</style></head><body>" +
         body + "</body></html>";
}

HttpResponse Error(int status, const std::string& message) {
  HttpResponse r;
  r.status = status;
  r.body = Page("error", "<h1>" + std::to_string(status) + "</h1><p>" + HtmlEscape(message) +
                             "</p><p><a href=\"/\">back</a></p>");
  return r;
}

// A cookie that scripts cannot read and other sites cannot send; Secure over HTTPS.
// `max_age` 0 deletes it.
std::string Cookie(std::string_view name, std::string_view value, std::string_view path,
                   int64_t max_age, bool tls) {
  return std::string(name) + "=" + std::string(value) +
         "; HttpOnly; SameSite=Strict; Path=" + std::string(path) +
         "; Max-Age=" + std::to_string(max_age) + (tls ? "; Secure" : "");
}

// The sign-in form, with a fresh CSRF value in a hidden field and in the okr_csrf cookie.
HttpResponse LoginPage(int status, const std::string& note, bool tls) {
  const std::string csrf = NewCsrfValue();
  HttpResponse r;
  r.status = status;
  r.set_cookies.push_back(Cookie(kCsrfCookie, csrf, "/login", kSignInFormSeconds, tls));
  r.body = Page("sign in",
                "<h1>okr-cascade</h1>" +
                    (note.empty() ? "" : "<p class=muted>" + HtmlEscape(note) + "</p>") +
                    "<form method=post action=/login><input type=hidden name=csrf value=\"" + csrf +
                    "\"><label>Token <input type=password "
                    "name=token size=70 autocomplete=off></label> <button>Sign in</button>"
                    "</form>");
  return r;
}

// A signed-in page's sign-out button: a POST carrying the session's CSRF value.
std::string SignOutForm(const std::string& csrf) {
  if (csrf.empty()) return "";  // a script with a Bearer header has no session to end
  return "<form method=post action=/logout class=inline><input type=hidden name=csrf value=\"" +
         HtmlEscape(csrf) + "\"><button>Sign out</button></form>";
}

std::string Bar(double pct, std::string_view status) {
  const double width = std::max(0.0, std::min(pct, 150.0)) / 150.0 * 160.0;
  return "<svg width=170 height=14 role=img aria-label=\"" + Fmt(pct) +
         "%\"><rect width=160 height=12 fill=#eee /><rect width=" + Fmt(width, 1) +
         " height=12 fill=\"" + StatusColour(status) +
         "\" /><line x1=106.7 x2=106.7 y1=0 y2=14 stroke=#555 /></svg>";
}

// Monthly target bars vs actual, with the year's pace (PRODUCT.md "Progress") at the end of
// each month so far: the pace the year-to-date status is decided on.
std::string YearChart(ServerState& state, const Metric& metric, const std::string& unit, int year,
                      const Date& today) {
  auto plan = LoadPlanRow(state, metric.id, year, unit);
  if (!plan.ok() || !plan->has_value()) return "<p class=muted>no plan for this year</p>";
  std::array<double, 12> actual{};
  double max_value = 1;
  for (int m = 1; m <= 12; ++m) {
    Period p{Period::Kind::kMonth, year, m};
    auto progress = UnitProgress(state, metric, unit, p, today);
    actual[m - 1] = progress.ok() ? progress->actual : 0;
    max_value = std::max({max_value, (**plan)[m - 1], actual[m - 1]});
  }
  std::ostringstream svg;
  const int w = 40, h = 160;
  svg << "<svg width=" << 12 * w + 60 << " height=" << h + 40
      << " role=img aria-label=\"monthly target and actual\">";
  const Period whole_year{Period::Kind::kYear, year, 0};
  std::string pace_points;
  for (int m = 0; m < 12; ++m) {
    const double t = (**plan)[m], a = actual[m];
    const double th = t / max_value * h, ah = a / max_value * h;
    svg << "<rect x=" << 40 + m * w << " y=" << Fmt(h - th, 1) << " width=16 height=" << Fmt(th, 1)
        << " fill=#90caf9><title>target " << Fmt(t) << "</title></rect>";
    svg << "<rect x=" << 57 + m * w << " y=" << Fmt(h - ah, 1) << " width=16 height=" << Fmt(ah, 1)
        << " fill=#1565c0><title>actual " << Fmt(a) << "</title></rect>";
    svg << "<text x=" << 42 + m * w << " y=" << h + 14 << " font-size=10>" << m + 1 << "</text>";
    if (Date{year, m + 1, 1} <= today) {
      const Date month_end{year, m + 1, DaysInMonth(year, m + 1)};
      auto to_date = UnitProgress(state, metric, unit, whole_year, std::min(month_end, today));
      if (!to_date.ok()) continue;
      const double pace = Pace(metric, *to_date);
      pace_points += Fmt(57 + m * w, 1) + "," + Fmt(h - std::min(pace, 1.5) / 1.5 * h, 1) + " ";
    }
  }
  if (!pace_points.empty()) {
    svg << "<polyline points=\"" << pace_points
        << "\" fill=none stroke=#c62828 stroke-width=2><title>pace of the year so "
           "far</title></polyline>";
  }
  svg << "<text x=40 y=" << h + 32
      << " font-size=11>light: target, dark: actual, red line: pace of the year so far (top = 150%)"
      << "</text></svg>";
  return svg.str();
}

HttpResponse Dashboard(ServerState& state, const Caller& caller,
                       const std::map<std::string, std::string>& query,
                       const std::string& logout_csrf) {
  auto org = state.org();
  const std::vector<Metric> metrics = state.Metrics();
  if (metrics.empty()) return Error(404, "no metrics defined yet");
  const Date today = state.clock().Today();
  auto get = [&](const char* key, std::string fallback) {
    auto it = query.find(key);
    return it == query.end() || it->second.empty() ? fallback : it->second;
  };
  std::string first_metric = FirstTargetMetric(state);
  if (!state.FindMetric(first_metric)) first_metric = metrics.front().id;
  const std::string metric_id = get("metric", first_metric);
  auto metric = state.FindMetric(metric_id);
  if (!metric) return Error(400, "unknown metric");
  std::string unit = get("unit", ScopeUnit(caller, ""));
  if (unit.empty()) {
    for (const Unit& u : org->units()) {
      if (u.parent_id.empty()) {
        unit = u.id;
        break;
      }
    }
  }
  if (unit.empty()) return Error(404, "the organisation is empty");
  // A month (YYYY-MM) or a year (YYYY); by default the last completed month (dashboard_view.h).
  const std::string month = get("month", DefaultDashboardPeriod(state, *metric, unit, today));
  auto period = Period::Parse(month);
  if (!period.ok() || period->kind == Period::Kind::kQuarter) {
    return Error(400, "bad month: expected YYYY-MM (or YYYY for the year)");
  }
  // The same rule as okrctl progress; the message never says whether the unit exists.
  if (org->Find(unit) == nullptr ||
      !CheckAccess("/okr.v1.ProgressService/GetProgress", caller, unit, *org).ok()) {
    return Error(403, "not allowed to view this unit");
  }
  auto progress = GetProgress(state, caller, {unit, metric_id, *period, std::nullopt}, true);
  if (!progress.ok()) return Error(400, std::string(progress.status().message()));
  std::ostringstream body;
  body << "<h1>" << HtmlEscape(metric->name) << " &middot; " << HtmlEscape(month) << "</h1>";
  body << "<form method=get action=/><input type=hidden name=unit value=\"" << HtmlEscape(unit)
       << "\"><label>Metric <select name=metric>";
  for (const Metric& m : metrics) {
    body << "<option value=\"" << HtmlEscape(m.id) << "\"" << (m.id == metric_id ? " selected" : "")
         << ">" << HtmlEscape(m.name) << "</option>";
  }
  body << "</select></label> <label>Month <input type=month name=month value=\""
       << (period->kind == Period::Kind::kMonth ? HtmlEscape(month) : "")
       << "\"></label> <button>Show</button> <a href=\"/?unit=" << UrlEncode(unit)
       << "&metric=" << UrlEncode(metric_id) << "&month=" << period->year << "\">the year "
       << period->year << "</a></form>";
  // Breadcrumb up to what the caller may see.
  std::string crumbs;
  for (const std::string& id : org->AncestryOn(unit, period->FirstDay())) {
    if (!MayRead(caller, id, *org)) break;
    const std::string link = "<a href=\"/?unit=" + UrlEncode(id) +
                             "&metric=" + UrlEncode(metric_id) + "&month=" + UrlEncode(month) +
                             "\">" + HtmlEscape(id) + "</a>";
    crumbs = crumbs.empty() ? link : link + " / " + crumbs;
  }
  body << "<p>" << crumbs << " <span class=muted>(as of " << today.ToString() << ")</span></p>";
  body << "<table id=progress><tr><th>Unit</th><th>Name</th><th>Target</th><th>Actual</th>"
          "<th>Expected</th><th>Attainment</th><th></th><th>Status</th><th></th></tr>";
  auto row = [&](const ProgressLine& p, bool link) {
    const std::string href = "/?unit=" + UrlEncode(p.unit_id) + "&metric=" + UrlEncode(metric_id) +
                             "&month=" + UrlEncode(month);
    body << "<tr data-unit=\"" << HtmlEscape(p.unit_id) << "\"><td>"
         << (link ? "<a href=\"" + href + "\">" + HtmlEscape(p.unit_id) + "</a>"
                  : "<b>" + HtmlEscape(p.unit_id) + "</b>")
         << "</td><td>" << HtmlEscape(p.unit_name) << "</td><td class=target>"
         << Fmt(p.progress.target, 2) << "</td><td class=actual>" << Fmt(p.progress.actual, 2)
         << "</td><td class=expected>" << Fmt(p.progress.expected_to_date, 2)
         << "</td><td class=attainment>" << Fmt(p.progress.attainment_pct, 1) << "%</td><td>"
         << Bar(p.progress.attainment_pct, ProgressStatusName(p.progress.status))
         << "</td><td class=status>" << HtmlEscape(ProgressStatusName(p.progress.status))
         << "</td><td>";
    if (period->kind == Period::Kind::kMonth) {  // explain answers for a month
      body << "<a href=\"/explain?unit=" << UrlEncode(p.unit_id)
           << "&metric=" << UrlEncode(metric_id) << "&month=" << UrlEncode(month) << "\">why?</a>";
    }
    body << "</td></tr>";
  };
  row(progress->unit, false);
  size_t shown = 0;
  for (const ProgressLine& child : progress->children) {
    if (++shown > kMaxRows) break;
    row(child, true);
  }
  body << "</table>";
  if (progress->children.size() > kMaxRows) {
    body << "<p class=muted>first " << kMaxRows << " of " << progress->children.size()
         << " children</p>";
  }
  body << "<h2>The year</h2>" << YearChart(state, *metric, unit, period->year, today);

  // One row per unit and rule, however many alerts it has in work (dashboard_view.h).
  body << "<h2>Red-line alerts in work</h2>";
  int alert_rows = 0;
  if (auto alerts = LoadAlerts(state); alerts.ok()) {
    for (const AlertGroup& group : GroupAlertsInWork(*alerts)) {
      if (!MayReadInScope(caller, unit, group.unit_id, *org)) {
        continue;
      }
      if (alert_rows++ == 0) {
        body << "<table id=alerts><tr><th>Unit</th><th>Name</th><th>Rule</th><th>Alerts</th>"
                "<th>Latest</th><th>Last seen</th><th>Notes</th></tr>";
      }
      if (alert_rows > 50) continue;
      const store::AlertRecord& latest = group.alerts.back();
      std::string ids, notes;
      for (const store::AlertRecord& a : group.alerts) {
        ids += (ids.empty() ? "" : ", ") + HtmlEscape(a.alert_id()) + " " +
               (HasStatus(a, AlertStatus::kAcked) ? "acked" : "open");
        if (!a.ack_note().empty()) {
          notes += (notes.empty() ? "" : "; ") + HtmlEscape(a.alert_id() + ": " + a.ack_note());
        }
      }
      const Unit* u = org->Find(group.unit_id);
      body << "<tr data-alert-unit=\"" << HtmlEscape(group.unit_id) << "\" data-rule=\""
           << HtmlEscape(group.rule) << "\"><td>" << HtmlEscape(group.unit_id) << "</td><td>"
           << HtmlEscape(u != nullptr ? u->name : "") << "</td><td>" << HtmlEscape(group.rule)
           << " (" << HtmlEscape(latest.severity()) << ")</td><td class=ids>" << ids
           << "</td><td style=text-align:left>"
           << HtmlEscape(latest.latest_figures().empty() ? latest.figures()
                                                         : latest.latest_figures())
           << "</td><td>"
           << HtmlEscape(latest.last_seen().empty() ? latest.as_of() : latest.last_seen())
           << "</td><td style=text-align:left>" << notes << "</td></tr>";
    }
  }
  if (alert_rows == 0) {
    body << "<p class=muted>none</p>";
  } else {
    body << "</table>";
    if (alert_rows > 50) body << "<p class=muted>first 50 of " << alert_rows << "</p>";
  }

  // The month before the one shown (for the year: before today's month).
  const Date after =
      period->kind == Period::Kind::kMonth ? period->FirstDay() : Date{today.year, today.month, 1};
  const auto [prev_year, prev_month] = PreviousMonth(after.year, after.month);
  const std::string prev = MonthText(prev_year, prev_month);
  body << "<h2>Payouts and awards of " << prev << "</h2>";
  int outcome_rows = 0;
  if (auto payouts = LoadPayouts(state, prev); payouts.ok()) {
    for (const auto& p : *payouts) {
      if (p.amount() <= 0 || !MayReadInScope(caller, unit, p.unit_id(), *org) ||
          ++outcome_rows > 20) {
        continue;
      }
      body << "<p>" << HtmlEscape(p.unit_id()) << ": " << Fmt(p.amount(), 2) << " "
           << HtmlEscape(p.currency()) << " &middot; " << HtmlEscape(p.explanation()) << "</p>";
    }
  }
  if (auto awards = LoadAwards(state, prev); awards.ok()) {
    for (const auto& a : *awards) {
      if (!MayReadInScope(caller, unit, a.unit_id(), *org) || ++outcome_rows > 40) {
        continue;
      }
      body << "<p>&#9733; " << HtmlEscape(a.unit_id()) << ": " << HtmlEscape(a.award())
           << " &middot; " << HtmlEscape(a.explanation()) << "</p>";
    }
  }
  if (outcome_rows == 0)
    body << "<p class=muted>none (close the month with okrctl period close)</p>";
  body << "<p class=muted>" << SignOutForm(logout_csrf) << "</p>";
  HttpResponse r;
  r.body = Page(unit + " " + month, body.str());
  return r;
}

HttpResponse ExplainPage(ServerState& state, const Caller& caller,
                         const std::map<std::string, std::string>& query) {
  auto get = [&](const char* key) {
    auto it = query.find(key);
    return it == query.end() ? std::string() : it->second;
  };
  const ExplainQuery asked{get("unit"), get("metric"), ParseYearMonth(get("month")), std::nullopt};
  auto org = state.org();
  if (org->Find(asked.unit_id) == nullptr ||
      !CheckAccess("/okr.v1.ExplainService/Explain", caller, asked.unit_id, *org).ok()) {
    return Error(403, "not allowed to view this unit");
  }
  auto explained = Explain(state, asked);
  if (!explained.ok()) return Error(400, std::string(explained.status().message()));
  const Explanation& ex = *explained;
  std::ostringstream body;
  body << "<h1>Why " << HtmlEscape(ex.unit_id) << " has " << Fmt(ex.target, 2) << " "
       << HtmlEscape(ex.metric_id) << " in " << HtmlEscape(ex.period) << "</h1><table>"
       << "<tr><th>Unit</th><th>Period</th><th>Value</th><th>Rule</th><th>Why</th></tr>";
  for (const auto& s : ex.chain) {
    body << "<tr><td>" << HtmlEscape(s.unit_id) << "</td><td>" << HtmlEscape(s.period)
         << "</td><td>" << Fmt(s.value, 2) << "</td><td>" << HtmlEscape(s.rule)
         << "</td><td style=text-align:left>" << HtmlEscape(s.detail) << "</td></tr>";
  }
  body << "</table><p>Actual " << Fmt(ex.actual, 2) << ", status "
       << HtmlEscape(ProgressStatusName(ex.status)) << "</p>";
  for (const auto& p : ex.outcomes.payouts) {
    body << "<p>Payout " << Fmt(p.amount(), 2) << " " << HtmlEscape(p.currency()) << ": "
         << HtmlEscape(p.explanation()) << "</p>";
  }
  for (const auto& a : ex.outcomes.awards) {
    body << "<p>Award " << HtmlEscape(a.award()) << ": " << HtmlEscape(a.explanation()) << "</p>";
  }
  body << "<p><a href=\"/?unit=" << UrlEncode(ex.unit_id) << "&metric=" << UrlEncode(ex.metric_id)
       << "&month=" << UrlEncode(ex.period) << "\">back</a></p>";
  HttpResponse r;
  r.body = Page("explain", body.str());
  return r;
}

std::string FormField(const std::map<std::string, std::string>& form, const char* name) {
  auto it = form.find(name);
  return it == form.end() ? "" : it->second;
}

// GET: the form. POST: a matching CSRF value, then a valid token, start a session.
HttpResponse SignIn(ServerState& state, SessionStore& sessions, const HttpRequestView& request) {
  if (request.method == "GET") return LoginPage(200, "", request.tls);
  if (request.method != "POST") return Error(405, "method not allowed");
  const auto form = ParseForm(request.body);
  if (!CsrfMatches(FormField(form, "csrf"), CookieValue(request.cookie, kCsrfCookie))) {
    return LoginPage(403,
                     "this sign-in form has expired or did not come from this dashboard: "
                     "sign in again",
                     request.tls);
  }
  const std::string token = FormField(form, "token");
  const std::string hash = Sha256Hex(token);
  if (token.empty() || !state.tokens().AuthenticateHash(hash).ok()) {
    LogAuthFailure(request.peer, "POST /login", "unknown or revoked token");
    return LoginPage(401, "unknown or revoked token", request.tls);
  }
  const std::string id = sessions.Create(hash, state.clock().NowUnix());
  HttpResponse r;
  r.status = 303;
  r.location = "/";
  r.set_cookies.push_back(
      Cookie(kSessionCookie, id, "/", sessions.limits().absolute_seconds, request.tls));
  r.set_cookies.push_back(Cookie(kCsrfCookie, "", "/login", 0, request.tls));
  return r;
}

// POST only, with the session's CSRF value: a link, a prefetch or another site's page cannot
// sign anyone out.
HttpResponse SignOut(ServerState& state, SessionStore& sessions, const HttpRequestView& request) {
  if (request.method != "POST") {
    HttpResponse r = Error(405,
                           "sign out with the button at the foot of the dashboard "
                           "(POST /logout)");
    r.headers.emplace_back("Allow", "POST");
    return r;
  }
  HttpResponse r;
  r.status = 303;
  r.location = "/login";
  r.set_cookies.push_back(Cookie(kSessionCookie, "", "/", 0, request.tls));
  const std::string id = CookieValue(request.cookie, kSessionCookie);
  auto session = sessions.Touch(id, state.clock().NowUnix());
  if (!session) return r;  // nothing to end
  if (!CsrfMatches(FormField(ParseForm(request.body), "csrf"), session->csrf)) {
    return Error(403, "this sign-out did not come from the dashboard's own button");
  }
  sessions.End(id);
  return r;
}

// Who asks for a page: a script's `Authorization: Bearer TOKEN`, else a browser's session,
// whose token must still be valid now.
struct Visitor {
  Caller caller;
  std::string logout_csrf;  // "" for a Bearer header
};

std::variant<Visitor, HttpResponse> Identify(ServerState& state, SessionStore& sessions,
                                             const HttpRequestView& request) {
  if (!request.authorization.empty()) {
    auto caller = state.tokens().Authenticate(request.authorization);
    if (!caller.ok()) {
      LogAuthFailure(request.peer,
                     request.method + " " + request.target.substr(0, request.target.find('?')),
                     std::string(caller.status().message()));
      HttpResponse r;
      r.status = 401;
      r.content_type = "text/plain; charset=utf-8";
      r.body = std::string(caller.status().message()) + "\n";
      r.headers.emplace_back("WWW-Authenticate", "Bearer");
      return r;
    }
    return Visitor{*caller, ""};
  }
  const std::string id = CookieValue(request.cookie, kSessionCookie);
  if (id.empty()) return LoginPage(401, "sign in with your okr token", request.tls);
  auto session = sessions.Touch(id, state.clock().NowUnix());
  absl::StatusOr<Caller> caller = absl::UnauthenticatedError("session ended");
  if (session) caller = state.tokens().AuthenticateHash(session->token_hash);
  if (!caller.ok()) {
    sessions.End(id);
    HttpResponse r = LoginPage(401,
                               session ? "your token has been revoked: sign in with another"
                                       : "your session has ended: sign in again",
                               request.tls);
    r.set_cookies.push_back(Cookie(kSessionCookie, "", "/", 0, request.tls));
    return r;
  }
  return Visitor{*caller, session->csrf};
}

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

HttpResponse HandleHttp(ServerState& state, SessionStore& sessions,
                        const HttpRequestView& request) {
  const size_t q = request.target.find('?');
  const std::string path = request.target.substr(0, q);
  const auto query = ParseForm(
      q == std::string::npos ? std::string_view() : std::string_view(request.target).substr(q + 1));
  if (path.find("..") != std::string::npos) return Error(400, "bad path");
  if (path == "/healthz") {  // readiness: what the gRPC health service says
    const HealthState health = state.readiness().Current();
    HttpResponse r;
    r.status = health.serving ? 200 : 503;
    r.content_type = "text/plain";
    r.body = health.serving ? "SERVING\n" : "NOT_SERVING " + health.reason + "\n";
    return r;
  }
  if (path == "/livez") {  // liveness: okrd answers (a full disk is no reason to restart it)
    HttpResponse r;
    r.content_type = "text/plain";
    r.body = "ALIVE\n";
    return r;
  }
  if (path == "/metrics") {
    HttpResponse r;
    r.content_type = "text/plain; version=0.0.4";
    r.body = Metrics::Global().Render();
    return r;
  }
  if (path == "/login") return SignIn(state, sessions, request);
  if (path == "/logout") return SignOut(state, sessions, request);
  if (path != "/" && path != "/explain") return Error(404, "no such page");
  if (request.method != "GET") return Error(405, "method not allowed");
  auto visitor = Identify(state, sessions, request);
  if (auto* refused = std::get_if<HttpResponse>(&visitor)) return *refused;
  const Visitor& who = std::get<Visitor>(visitor);
  return path == "/" ? Dashboard(state, who.caller, query, who.logout_csrf)
                     : ExplainPage(state, who.caller, query);
}

}  // namespace okr
