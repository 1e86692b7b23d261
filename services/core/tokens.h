// Bearer tokens: random secrets shown once, kept only as SHA-256 hashes.
#ifndef OKR_SERVICES_CORE_TOKENS_H_
#define OKR_SERVICES_CORE_TOKENS_H_

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "store/db.h"
#include "store/records.pb.h"

namespace okr {

enum class Role { kAdmin = 1, kDirector = 2, kLead = 3, kAgent = 4 };

std::string_view RoleName(Role role);
absl::StatusOr<Role> ParseRole(std::string_view text);

// Who is calling: resolved from the bearer token once per call.
struct Caller {
  std::string token_id;
  Role role = Role::kAgent;
  std::string unit_id;  // lead and agent tokens are bound to a unit

  // The name written in the audit history.
  std::string Actor() const;
};

// A new random token: 32 bytes from the OS CSPRNG, hex-encoded with an "okr_" prefix.
std::string NewTokenSecret();
// `bytes` random bytes from the OS CSPRNG, as 2 * bytes lower-case hex digits.
std::string RandomHex(size_t bytes);
std::string Sha256Hex(std::string_view data);

// The secret of an authorization value "Bearer <secret>" (the scheme in any case, RFC 7235).
// UNAUTHENTICATED when the value is missing, has another scheme or no secret.
absl::StatusOr<std::string_view> ParseBearer(std::string_view authorization_header);

// Compares without an early exit, so a secret cannot be guessed byte by byte by timing.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// The token table: hashes in RocksDB, mirrored in memory for lookups on every call.
class TokenRegistry {
 public:
  explicit TokenRegistry(store::Db* db) : db_(db) {}

  struct Issued;
  // Stores the admin token of a first start (okrd: as a command, StoreFirstAdminToken).
  using FirstAdminStore = std::function<absl::Status(const Issued&)>;

  // Loads the stored tokens. On first start (no token at all) creates the admin token,
  // writes it to `admin_token_path` with mode 0600 and stores it with `store_first_admin`
  // (unset, in tests of the registry alone: written to the database directly).
  absl::Status Load(const std::string& admin_token_path,
                    const FirstAdminStore& store_first_admin = nullptr);

  // UNAUTHENTICATED when the header is missing, malformed, unknown or revoked.
  absl::StatusOr<Caller> Authenticate(std::string_view authorization_header) const;
  // The caller of the token with this SHA-256 hash; UNAUTHENTICATED when unknown or revoked
  // (a dashboard session checks its token this way on every request).
  absl::StatusOr<Caller> AuthenticateHash(std::string_view hash) const;

  // Adds the token's record to `batch`; Commit it, then call Remember().
  struct Issued {
    std::string secret;
    std::string hash;
    store::TokenRecord record;
  };
  Issued Issue(Role role, std::string_view unit_id, std::string_view label,
               std::string_view created_by, int64_t now_unix) const;
  void Remember(const std::string& hash, const store::TokenRecord& record);

  std::vector<store::TokenRecord> List() const;
  // OK while the token with this public id exists and is not revoked; UNAUTHENTICATED
  // otherwise. A long stream checks its caller's token with it between messages.
  absl::Status CheckActive(std::string_view token_id) const;
  // The hash of the token with this public id, if any.
  std::optional<std::string> FindHashById(std::string_view token_id) const;

 private:
  store::Db* db_;
  mutable std::mutex mu_;
  std::map<std::string, store::TokenRecord> by_hash_;
};

}  // namespace okr

#endif  // OKR_SERVICES_CORE_TOKENS_H_
