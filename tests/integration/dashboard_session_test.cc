// Dashboard sessions (issue 23): the cookie holds a random session id, not the token; it is
// HttpOnly, SameSite=Strict, Path=/, and Secure under TLS; a session expires (idle and
// absolute) and dies when its token is revoked; sign-out is a POST with the session's CSRF
// value (a GET signs no one out); sign-in needs the form's CSRF value; scripts may send
// `Authorization: Bearer TOKEN` instead, under the same access rules.
//
// Before the fix the cookie was the token itself (so the token-as-cookie request below was
// served), GET /logout signed out, and a POST /login without any CSRF value signed in.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/harness.h"
#include "tests/integration/http_client.h"
#include "tests/integration/temp_folder.h"

namespace okr::testing {
namespace {

using nlohmann::json;

// co -> g1 {a1}, g2 {a2}; one metric with a plan, so every unit has a page.
constexpr char kOrg[] =
    "unit_id,parent_id,kind,name,fte,start_date,end_date\n"
    "co,,company,Company,,,\n"
    "g1,co,group,Group one,,,\n"
    "g2,co,group,Group two,,,\n"
    "a1,g1,agent,Ann,1.0,,\n"
    "a2,g2,agent,Bob,1.0,,\n";

constexpr char kPage[] = "/?metric=tickets&month=2025-03";

std::string PageOf(const std::string& unit) { return std::string(kPage) + "&unit=" + unit; }

void Populate(const OkrdProcess& okrd) {
  ASSERT_EQ(okrd.Ctl({"org", "import", okrd.WriteFile("org.csv", kOrg)}).exit_code, 0);
  ASSERT_EQ(okrd.Ctl({"metric", "define", "tickets", "--kind", "count"}).exit_code, 0);
  ASSERT_EQ(okrd.Ctl({"target", "set", "--unit", "co", "--metric", "tickets", "--year", "2025",
                      "--value", "3650"})
                .exit_code,
            0);
  ASSERT_EQ(
      okrd.Ctl({"cascade", "--unit", "co", "--metric", "tickets", "--year", "2025"}).exit_code, 0);
}

json NewToken(const OkrdProcess& okrd, const std::string& role, const std::string& unit = "") {
  std::vector<std::string> args = {"-o", "json", "token", "create", "--role", role};
  if (!unit.empty()) {
    args.push_back("--unit");
    args.push_back(unit);
  }
  CommandResult r = okrd.Ctl(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.exit_code == 0 ? r.Json() : json::object();
}

std::string Bearer(const std::string& token) { return "Authorization: Bearer " + token + "\r\n"; }

class DashboardSession : public ::testing::Test {
 protected:
  explicit DashboardSession(std::vector<std::string> flags = {})
      : port_(FreePort()), okrd_(WithHttp(std::move(flags), port_)), http_(port_) {}

  static std::vector<std::string> WithHttp(std::vector<std::string> flags, int port) {
    flags.push_back("--http-listen");
    flags.push_back("127.0.0.1:" + std::to_string(port));
    return flags;
  }

  void SetUp() override { Populate(okrd_); }

  int port_;
  OkrdProcess okrd_;
  HttpClient http_;
};

TEST_F(DashboardSession, TheCookieHoldsASessionIdNotTheToken) {
  const std::string token = okrd_.admin_token();
  const std::string response = http_.SubmitLogin(token);
  ASSERT_EQ(StatusOf(response), 303) << response;
  const std::string set_cookie = SetCookie(response, "okr_session");
  const std::string id = CookiePair(set_cookie).substr(std::string("okr_session=").size());
  // 32 random bytes in hex; nothing of the token in it.
  EXPECT_EQ(id.size(), 64u) << set_cookie;
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
  EXPECT_EQ(set_cookie.find(token), std::string::npos) << set_cookie;
  EXPECT_EQ(set_cookie.find(token.substr(4)), std::string::npos) << set_cookie;
  // Plain HTTP: no Secure; the browser forgets it after the 24 h absolute lifetime.
  EXPECT_EQ(set_cookie, "okr_session=" + id + "; HttpOnly; SameSite=Strict; Path=/; Max-Age=86400");

  EXPECT_EQ(StatusOf(http_.Get(PageOf("co"), "okr_session=" + id)), 200);
  // The token itself is no cookie: the old cookie format gets the sign-in page.
  EXPECT_EQ(StatusOf(http_.Get(PageOf("co"), "okr_session=" + token)), 401);
  // Each sign-in is a new session.
  EXPECT_NE(http_.SignIn(token), "okr_session=" + id);
}

TEST_F(DashboardSession, RevokingTheTokenEndsItsSessions) {
  const json director = NewToken(okrd_, "director");
  const std::string cookie = http_.SignIn(director["token"]);
  ASSERT_FALSE(cookie.empty());
  ASSERT_EQ(StatusOf(http_.Get(PageOf("co"), cookie)), 200);
  ASSERT_EQ(okrd_.Ctl({"token", "revoke", director["token_id"]}).exit_code, 0);
  const std::string after = http_.Get(PageOf("co"), cookie);
  EXPECT_EQ(StatusOf(after), 401);
  EXPECT_NE(Body(after).find("revoked"), std::string::npos) << Body(after);
  // And the session is gone, not just refused once.
  EXPECT_EQ(StatusOf(http_.Get(PageOf("co"), cookie)), 401);
  // The admin's session is untouched.
  EXPECT_EQ(StatusOf(http_.Get(PageOf("co"), http_.SignIn(okrd_.admin_token()))), 200);
}

TEST_F(DashboardSession, SignOutIsAPostWithTheSessionsCsrfValue) {
  const std::string cookie = http_.SignIn(okrd_.admin_token());
  const std::string page = http_.Get(PageOf("co"), cookie);
  ASSERT_EQ(StatusOf(page), 200);
  const std::string csrf = HiddenField(Body(page), "csrf");
  ASSERT_EQ(csrf.size(), 64u) << Body(page);
  EXPECT_NE(Body(page).find("<form method=post action=/logout"), std::string::npos);

  // A link (GET) signs no one out.
  const std::string get = http_.Get("/logout", cookie);
  EXPECT_EQ(StatusOf(get), 405);
  EXPECT_EQ(Header(get, "Allow"), "POST");
  EXPECT_EQ(SetCookie(get, "okr_session"), "");
  EXPECT_EQ(StatusOf(http_.Get(PageOf("co"), cookie)), 200);
  // A POST without the session's value, or with another: 403, still signed in.
  EXPECT_EQ(StatusOf(http_.Post("/logout", "", cookie)), 403);
  EXPECT_EQ(StatusOf(http_.Post("/logout", "csrf=" + std::string(64, 'a'), cookie)), 403);
  EXPECT_EQ(StatusOf(http_.Get(PageOf("co"), cookie)), 200);

  // The dashboard's own button: signed out, the cookie cleared, the session gone on the
  // server (a replayed cookie is refused).
  const std::string out = http_.Post("/logout", "csrf=" + csrf, cookie);
  EXPECT_EQ(StatusOf(out), 303);
  EXPECT_EQ(Header(out, "Location"), "/login");
  EXPECT_EQ(SetCookie(out, "okr_session"),
            "okr_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
  EXPECT_EQ(StatusOf(http_.Get(PageOf("co"), cookie)), 401);
}

TEST_F(DashboardSession, SignInNeedsTheFormsCsrfValue) {
  const std::string token = okrd_.admin_token();
  const HttpClient::LoginForm form = http_.OpenLoginForm();
  ASSERT_EQ(StatusOf(form.response), 200);
  ASSERT_EQ(form.csrf.size(), 64u) << Body(form.response);
  EXPECT_EQ(form.cookie, "okr_csrf=" + form.csrf);
  EXPECT_EQ(SetCookie(form.response, "okr_csrf"),
            "okr_csrf=" + form.csrf + "; HttpOnly; SameSite=Strict; Path=/login; Max-Age=3600");

  // No value at all, a value without its cookie, a cookie without the value, two that differ:
  // 403 and no session.
  for (const auto& [body, cookie] : std::vector<std::pair<std::string, std::string>>{
           {"token=" + token, ""},
           {"token=" + token, form.cookie},
           {"csrf=" + form.csrf + "&token=" + token, ""},
           {"csrf=" + std::string(64, 'b') + "&token=" + token, form.cookie},
           {"csrf=&token=" + token, "okr_csrf="}}) {
    const std::string refused = http_.Post("/login", body, cookie);
    EXPECT_EQ(StatusOf(refused), 403) << body << " / " << cookie;
    EXPECT_EQ(SetCookie(refused, "okr_session"), "") << body << " / " << cookie;
  }
  // The matching pair with a wrong token: 401; with the right one: 303 and a session.
  EXPECT_EQ(StatusOf(http_.Post("/login", "csrf=" + form.csrf + "&token=okr_nope", form.cookie)),
            401);
  const std::string ok = http_.Post("/login", "csrf=" + form.csrf + "&token=" + token, form.cookie);
  EXPECT_EQ(StatusOf(ok), 303);
  EXPECT_NE(SetCookie(ok, "okr_session"), "");
  // The sign-in form's cookie is spent.
  EXPECT_EQ(SetCookie(ok, "okr_csrf"),
            "okr_csrf=; HttpOnly; SameSite=Strict; Path=/login; Max-Age=0");
}

TEST_F(DashboardSession, BearerHeaderFollowsTheSameAccessRules) {
  const std::string agent = NewToken(okrd_, "agent", "a1")["token"];
  const std::string lead = NewToken(okrd_, "lead", "g2")["token"];
  // An agent reads its own page, and no one else's; a lead its subtree only.
  EXPECT_EQ(StatusOf(http_.Get(PageOf("a1"), "", Bearer(agent))), 200);
  EXPECT_EQ(StatusOf(http_.Get(PageOf("a2"), "", Bearer(agent))), 403);
  EXPECT_EQ(StatusOf(http_.Get(PageOf("g1"), "", Bearer(agent))), 403);
  EXPECT_EQ(StatusOf(http_.Get("/explain?unit=a2&metric=tickets&month=2025-03", "", Bearer(agent))),
            403);
  EXPECT_EQ(StatusOf(http_.Get(PageOf("a2"), "", Bearer(lead))), 200);
  EXPECT_EQ(StatusOf(http_.Get(PageOf("a1"), "", Bearer(lead))), 403);
  // Without a unit, the agent's own page: its row and no other.
  const std::string own = Body(http_.Get(kPage, "", Bearer(agent)));
  EXPECT_NE(own.find("<tr data-unit=\"a1\">"), std::string::npos) << own;
  EXPECT_EQ(own.find("data-unit=\"a2\""), std::string::npos);
  // The page of a Bearer request has no sign-out form (there is no session to end).
  EXPECT_EQ(own.find("action=/logout"), std::string::npos);

  // The scheme in any case; an admin sees the company.
  EXPECT_EQ(StatusOf(http_.Get(PageOf("co"), "",
                               "Authorization: bearer " + okrd_.admin_token() + "\r\n")),
            200);
  // A bad token or scheme: 401 in plain text with WWW-Authenticate, never the cookie's page.
  const std::string bad = http_.Get(PageOf("co"), "", Bearer("okr_nope"));
  EXPECT_EQ(StatusOf(bad), 401);
  EXPECT_EQ(Header(bad, "WWW-Authenticate"), "Bearer");
  EXPECT_EQ(Body(bad), "unknown or revoked token\n");
  EXPECT_EQ(StatusOf(http_.Get(PageOf("co"), "", "Authorization: Basic YWRtaW46YWRtaW4=\r\n")),
            401);
  // A revoked token is refused at once.
  const json director = NewToken(okrd_, "director");
  EXPECT_EQ(StatusOf(http_.Get(PageOf("co"), "", Bearer(director["token"]))), 200);
  ASSERT_EQ(okrd_.Ctl({"token", "revoke", director["token_id"]}).exit_code, 0);
  EXPECT_EQ(StatusOf(http_.Get(PageOf("co"), "", Bearer(director["token"]))), 401);
}

// Sessions of 3 s idle, 6 s absolute: a session used every second lives until the absolute
// limit; one left alone for 4 s has idled out (before its absolute limit).
class ShortSessions : public DashboardSession {
 protected:
  ShortSessions()
      : DashboardSession({"--session-idle-seconds", "3", "--session-max-seconds", "6"}) {}
};

TEST_F(ShortSessions, SessionsExpire) {
  const std::string cookie = http_.SignIn(okrd_.admin_token());
  ASSERT_FALSE(cookie.empty());
  const auto signed_in = std::chrono::steady_clock::now();
  // The browser is told the absolute lifetime too.
  EXPECT_NE(SetCookie(http_.SubmitLogin(okrd_.admin_token()), "okr_session").find("Max-Age=6"),
            std::string::npos);
  // Used every second for 4.5 s: alive (no gap of 3 s, under 6 s since sign-in).
  while (std::chrono::steady_clock::now() - signed_in < std::chrono::milliseconds(4500)) {
    ASSERT_EQ(StatusOf(http_.Get(PageOf("co"), cookie)), 200);
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  std::this_thread::sleep_until(signed_in + std::chrono::milliseconds(6500));
  const std::string late = http_.Get(PageOf("co"), cookie);
  EXPECT_EQ(StatusOf(late), 401);
  EXPECT_NE(Body(late).find("your session has ended"), std::string::npos) << Body(late);

  const std::string idle = http_.SignIn(okrd_.admin_token());
  ASSERT_EQ(StatusOf(http_.Get(PageOf("co"), idle)), 200);
  std::this_thread::sleep_for(std::chrono::seconds(4));
  EXPECT_EQ(StatusOf(http_.Get(PageOf("co"), idle)), 401);
}

// A self-signed certificate for 127.0.0.1, made with openssl in a temporary folder.
class TlsDashboard : public ::testing::Test {
 protected:
  TlsDashboard() : port_(FreePort()) {
    made_ =
        RunCommand({"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj",
                    "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                    "-keyout", certs_ / "key.pem", "-out", certs_ / "cert.pem", "-days", "2"});
  }
  TempFolder certs_;
  int port_;
  CommandResult made_;
};

TEST_F(TlsDashboard, CookiesAreSecureUnderTls) {
  ASSERT_EQ(made_.exit_code, 0) << made_.err;
  const std::string cert = certs_ / "cert.pem";
  OkrdProcess okrd({"--tls-cert", cert, "--tls-key", certs_ / "key.pem", "--http-listen",
                    "127.0.0.1:" + std::to_string(port_)},
                   cert);
  Populate(okrd);
  HttpClient https(port_, cert);
  const HttpClient::LoginForm form = https.OpenLoginForm();
  ASSERT_EQ(StatusOf(form.response), 200) << form.response;
  EXPECT_EQ(
      SetCookie(form.response, "okr_csrf"),
      "okr_csrf=" + form.csrf + "; HttpOnly; SameSite=Strict; Path=/login; Max-Age=3600; Secure");
  const std::string response = https.SubmitLogin(okrd.admin_token());
  ASSERT_EQ(StatusOf(response), 303) << response;
  const std::string set_cookie = SetCookie(response, "okr_session");
  EXPECT_EQ(set_cookie,
            CookiePair(set_cookie) + "; HttpOnly; SameSite=Strict; Path=/; Max-Age=86400; Secure");
  EXPECT_EQ(StatusOf(https.Get(PageOf("co"), CookiePair(set_cookie))), 200);
  // Plain HTTP to the HTTPS port gets nothing.
  EXPECT_EQ(StatusOf(HttpClient(port_).Get("/healthz")), 0);
}

}  // namespace
}  // namespace okr::testing
