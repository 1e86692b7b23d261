#include "services/core/tokens.h"

#include <fcntl.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <ctime>
#include <optional>

#include "absl/status/status.h"
#include "store/codecs.h"
#include "store/damage.h"
#include "store/keys.h"

namespace okr {
namespace {

std::string Hex(const unsigned char* data, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    out.push_back(kDigits[data[i] >> 4]);
    out.push_back(kDigits[data[i] & 15]);
  }
  return out;
}

}  // namespace

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kAdmin:
      return "admin";
    case Role::kDirector:
      return "director";
    case Role::kLead:
      return "lead";
    case Role::kAgent:
      return "agent";
  }
  return "agent";
}

absl::StatusOr<Role> ParseRole(std::string_view text) {
  if (text == "admin") return Role::kAdmin;
  if (text == "director") return Role::kDirector;
  if (text == "lead") return Role::kLead;
  if (text == "agent") return Role::kAgent;
  return absl::InvalidArgumentError("bad role '" + std::string(text) +
                                    "': expected admin, director, lead or agent");
}

std::string Caller::Actor() const {
  std::string actor = std::string(RoleName(role)) + ":" + token_id;
  if (!unit_id.empty()) actor += "@" + unit_id;
  return actor;
}

std::string RandomHex(size_t bytes) {
  std::string raw(bytes, '\0');
  auto* data = reinterpret_cast<unsigned char*>(raw.data());
  if (RAND_bytes(data, static_cast<int>(bytes)) != 1) std::abort();  // no entropy: nothing is safe
  return Hex(data, bytes);
}

std::string NewTokenSecret() { return "okr_" + RandomHex(32); }

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  return Hex(digest, sizeof digest);
}

absl::Status TokenRegistry::Load(const std::string& admin_token_path,
                                 const FirstAdminStore& store_first_admin) {
  std::map<std::string, store::TokenRecord> loaded;
  // A token that does not read stops the start (it would lock its holder out, or, were it
  // the only one, make okrd issue a fresh admin token).
  absl::Status damaged;
  absl::Status scanned =
      db_->Scan(store::Cf::kTokens, "", [&](std::string_view key, std::string_view value) {
        store::TokenRecord record;
        store::KeyReader reader(key);
        std::optional<std::string> hash = reader.Str();
        if (!record.ParseFromArray(value.data(), static_cast<int>(value.size())) || !hash ||
            !reader.done()) {
          damaged = store::DamagedRecord(store::Cf::kTokens, key,
                                         "the stored TokenRecord does not parse");
          return false;
        }
        loaded.emplace(*hash, record);
        return true;
      });
  if (!scanned.ok()) return scanned;
  if (!damaged.ok()) return damaged;
  if (loaded.empty()) {
    Issued admin = Issue(Role::kAdmin, "", "admin (first start)", "okrd", std::time(nullptr));
    admin.record.set_token_id("admin");
    // Write the file first: a token in the database that nobody can read would lock everyone
    // out, while a file without a stored token is simply replaced at the next start.
    int fd = ::open(admin_token_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) return absl::FailedPreconditionError("cannot create " + admin_token_path);
    ::fchmod(fd, 0600);
    std::string line = admin.secret + "\n";
    bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
    written = ::fsync(fd) == 0 && written;
    ::close(fd);
    if (!written) return absl::FailedPreconditionError("cannot write " + admin_token_path);
    if (store_first_admin) {
      if (absl::Status s = store_first_admin(admin); !s.ok()) return s;
    } else {
      store::Batch batch = db_->NewBatch();
      batch.PutProto(store::Cf::kTokens, store::TokenKey(admin.hash), admin.record);
      if (absl::Status s = db_->Commit(batch); !s.ok()) return s;
    }
    loaded.emplace(admin.hash, admin.record);
  }
  std::lock_guard<std::mutex> lock(mu_);
  by_hash_ = std::move(loaded);
  return absl::OkStatus();
}

absl::StatusOr<std::string_view> ParseBearer(std::string_view header) {
  constexpr std::string_view kBearer = "bearer ";
  if (header.empty()) {
    return absl::UnauthenticatedError("missing bearer token (authorization: Bearer ...)");
  }
  bool scheme = header.size() > kBearer.size();
  for (size_t i = 0; scheme && i < kBearer.size(); ++i) {
    scheme = std::tolower(static_cast<unsigned char>(header[i])) == kBearer[i];
  }
  if (!scheme) {
    return absl::UnauthenticatedError("malformed authorization header: expected 'Bearer <token>'");
  }
  return header.substr(kBearer.size());
}

absl::StatusOr<Caller> TokenRegistry::Authenticate(std::string_view header) const {
  absl::StatusOr<std::string_view> secret = ParseBearer(header);
  if (!secret.ok()) return secret.status();
  return AuthenticateHash(Sha256Hex(*secret));
}

absl::StatusOr<Caller> TokenRegistry::AuthenticateHash(std::string_view hash) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = by_hash_.lower_bound(std::string(hash));
  if (it == by_hash_.end() || !ConstantTimeEquals(it->first, hash) || it->second.revoked()) {
    return absl::UnauthenticatedError("unknown or revoked token");
  }
  Caller caller;
  caller.token_id = it->second.token_id();
  caller.role = static_cast<Role>(it->second.role());
  caller.unit_id = it->second.unit_id();
  return caller;
}

TokenRegistry::Issued TokenRegistry::Issue(Role role, std::string_view unit_id,
                                           std::string_view label, std::string_view created_by,
                                           int64_t now_unix) const {
  Issued issued;
  issued.secret = NewTokenSecret();
  issued.hash = Sha256Hex(issued.secret);
  issued.record.set_token_id("t" + issued.hash.substr(0, 11));
  issued.record.set_role(static_cast<int>(role));
  issued.record.set_unit_id(std::string(unit_id));
  issued.record.set_label(std::string(label));
  issued.record.set_created_by(std::string(created_by));
  issued.record.set_created_at_unix(now_unix);
  return issued;
}

void TokenRegistry::Remember(const std::string& hash, const store::TokenRecord& record) {
  std::lock_guard<std::mutex> lock(mu_);
  by_hash_[hash] = record;
}

std::vector<store::TokenRecord> TokenRegistry::List() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<store::TokenRecord> out;
  for (const auto& [hash, record] : by_hash_) out.push_back(record);
  return out;
}

absl::Status TokenRegistry::CheckActive(std::string_view token_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [hash, record] : by_hash_) {
    if (record.token_id() == token_id && !record.revoked()) return absl::OkStatus();
  }
  return absl::UnauthenticatedError("the token of this stream was revoked");
}

std::optional<std::string> TokenRegistry::FindHashById(std::string_view token_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [hash, record] : by_hash_) {
    if (record.token_id() == token_id) return hash;
  }
  return std::nullopt;
}

}  // namespace okr
