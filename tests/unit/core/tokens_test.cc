// Bearer tokens by hand: SHA-256 against the FIPS 180-2 examples, the shape of new secrets,
// parsing of the authorization value, and the registry: the admin token written 0600 on first
// start, a token found by its secret or its hash, a revoked one refused.
#include "services/core/tokens.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "store/db.h"

namespace okr {
namespace {

TEST(Sha256Hex, MatchesTheStandardExamples) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  // Bytes, not text: a NUL counts.
  EXPECT_NE(Sha256Hex(std::string("abc\0", 4)), Sha256Hex("abc"));
}

bool IsLowerHex(const std::string& text) {
  return text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

TEST(NewTokenSecret, IsOkrAnd64HexDigitsAndNeverRepeats) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string secret = NewTokenSecret();
    ASSERT_EQ(secret.size(), 4u + 64u) << secret;
    EXPECT_EQ(secret.substr(0, 4), "okr_");
    EXPECT_TRUE(IsLowerHex(secret.substr(4))) << secret;
    seen.insert(secret);
  }
  EXPECT_EQ(seen.size(), 100u);
  EXPECT_EQ(RandomHex(16).size(), 32u);
  EXPECT_TRUE(IsLowerHex(RandomHex(16)));
  EXPECT_EQ(RandomHex(0), "");
}

TEST(ParseBearer, TakesTheSecretAfterTheScheme) {
  EXPECT_EQ(*ParseBearer("Bearer okr_abc"), "okr_abc");
  // RFC 7235: the scheme is case-insensitive.
  EXPECT_EQ(*ParseBearer("bearer okr_abc"), "okr_abc");
  EXPECT_EQ(*ParseBearer("BEARER okr_abc"), "okr_abc");
  // What follows the one space is the secret, as sent (a second space is part of it).
  EXPECT_EQ(*ParseBearer("Bearer  x"), " x");
  EXPECT_EQ(*ParseBearer("Bearer a b"), "a b");
}

TEST(ParseBearer, RefusesMissingAndMalformedValues) {
  for (const std::string& bad :
       {std::string(""), std::string("Bearer"), std::string("Bearer "), std::string("Bearerx"),
        std::string("Basic YWRtaW46YWRtaW4="), std::string("okr_abc"), std::string(" Bearer x"),
        std::string("Bearer\tx"), std::string("Bear x")}) {
    absl::StatusOr<std::string_view> parsed = ParseBearer(bad);
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kUnauthenticated) << "'" << bad << "'";
  }
  EXPECT_EQ(ParseBearer("").status().message(), "missing bearer token (authorization: Bearer ...)");
}

TEST(ConstantTimeEquals, ComparesEveryByte) {
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "bbc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
  EXPECT_FALSE(ConstantTimeEquals(std::string("a\0", 2), "a"));
}

class TokenRegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/okr-auth-testXXXXXX";
    dir_ = ::mkdtemp(dir);
    auto db = store::Db::Open(dir_ + "/db");
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    registry_ = std::make_unique<TokenRegistry>(db_.get());
  }
  void TearDown() override {
    registry_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::string ReadToken() const {
    std::ifstream in(dir_ + "/admin.token");
    std::string line;
    std::getline(in, line);
    return line;
  }

  std::string dir_;
  std::unique_ptr<store::Db> db_;
  std::unique_ptr<TokenRegistry> registry_;
};

TEST_F(TokenRegistryTest, FirstStartWritesTheAdminTokenPrivately) {
  ASSERT_TRUE(registry_->Load(dir_ + "/admin.token").ok());
  struct stat st {};
  ASSERT_EQ(::stat((dir_ + "/admin.token").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  const std::string secret = ReadToken();
  ASSERT_EQ(secret.size(), 68u);
  absl::StatusOr<Caller> admin = registry_->Authenticate("Bearer " + secret);
  ASSERT_TRUE(admin.ok()) << admin.status();
  EXPECT_EQ(admin->role, Role::kAdmin);
  EXPECT_EQ(admin->token_id, "admin");
  EXPECT_EQ(admin->Actor(), "admin:admin");
  // Only the hash is stored: the same caller by hash, nobody by the secret as a hash.
  EXPECT_EQ(registry_->AuthenticateHash(Sha256Hex(secret))->token_id, "admin");
  EXPECT_EQ(registry_->AuthenticateHash(secret).status().code(),
            absl::StatusCode::kUnauthenticated);
  // A second start keeps the first token and does not rewrite the file.
  TokenRegistry again(db_.get());
  ASSERT_TRUE(again.Load(dir_ + "/admin.token").ok());
  EXPECT_EQ(ReadToken(), secret);
  EXPECT_TRUE(again.Authenticate("Bearer " + secret).ok());
}

TEST_F(TokenRegistryTest, IssuedTokensAuthenticateUntilRevoked) {
  ASSERT_TRUE(registry_->Load(dir_ + "/admin.token").ok());
  TokenRegistry::Issued lead = registry_->Issue(Role::kLead, "g1", "lead of g1", "admin:admin", 7);
  EXPECT_EQ(lead.hash, Sha256Hex(lead.secret));
  // The public id is "t" and the hash's first 11 hex digits: it names, it does not unlock.
  EXPECT_EQ(lead.record.token_id(), "t" + lead.hash.substr(0, 11));
  // Not remembered yet: unknown.
  EXPECT_EQ(registry_->Authenticate("Bearer " + lead.secret).status().code(),
            absl::StatusCode::kUnauthenticated);
  registry_->Remember(lead.hash, lead.record);
  absl::StatusOr<Caller> caller = registry_->Authenticate("Bearer " + lead.secret);
  ASSERT_TRUE(caller.ok());
  EXPECT_EQ(caller->role, Role::kLead);
  EXPECT_EQ(caller->unit_id, "g1");
  EXPECT_EQ(caller->Actor(), "lead:" + lead.record.token_id() + "@g1");
  EXPECT_EQ(registry_->FindHashById(lead.record.token_id()), lead.hash);
  // One character off, or the secret with a trailing newline: unknown.
  std::string off = lead.secret;
  off.back() = off.back() == '0' ? '1' : '0';
  EXPECT_FALSE(registry_->Authenticate("Bearer " + off).ok());
  EXPECT_FALSE(registry_->Authenticate("Bearer " + lead.secret + "\n").ok());

  store::TokenRecord revoked = lead.record;
  revoked.set_revoked(true);
  registry_->Remember(lead.hash, revoked);
  EXPECT_EQ(registry_->Authenticate("Bearer " + lead.secret).status().message(),
            "unknown or revoked token");
  EXPECT_FALSE(registry_->AuthenticateHash(lead.hash).ok());
}

TEST(ParseRole, NamesEveryRoleAndNothingElse) {
  EXPECT_EQ(*ParseRole("admin"), Role::kAdmin);
  EXPECT_EQ(*ParseRole("director"), Role::kDirector);
  EXPECT_EQ(*ParseRole("lead"), Role::kLead);
  EXPECT_EQ(*ParseRole("agent"), Role::kAgent);
  EXPECT_EQ(ParseRole("Admin").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseRole("").status().code(), absl::StatusCode::kInvalidArgument);
  for (Role r : {Role::kAdmin, Role::kDirector, Role::kLead, Role::kAgent}) {
    EXPECT_EQ(*ParseRole(RoleName(r)), r);
  }
}

}  // namespace
}  // namespace okr
