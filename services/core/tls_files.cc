#include "services/core/tls_files.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/domain/calendar.h"

namespace okr {
namespace {

// A certificate, a key and a whole chain are a few kilobytes; this bounds a wrong path
// (a log, a device) without refusing any real file.
constexpr size_t kMaxPemBytes = 1 << 20;

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

// Never asks for a passphrase (OpenSSL's default prompts on the terminal): an encrypted key
// fails to read, and the message says so.
int NoPassphrase(char*, int, int, void*) { return 0; }

BioPtr MemoryBio(const std::string& text) {
  return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

// OpenSSL's reason for the last failure (and clears its error queue).
std::string OpenSslReason() {
  const unsigned long code = ERR_peek_last_error();
  ERR_clear_error();
  if (code == 0) return "unknown OpenSSL error";
  const char* reason = ERR_reason_error_string(code);
  return reason != nullptr ? reason : absl::StrCat("OpenSSL error ", code);
}

absl::StatusOr<std::string> ReadPemFile(const std::string& path, const std::string& source) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return absl::FailedPreconditionError(absl::StrCat(source, ": is a folder, not a file"));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::FailedPreconditionError(
        absl::StrCat(source, ": cannot read: ", std::strerror(errno)));
  }
  std::string text;
  char buffer[8192];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<size_t>(in.gcount()));
    if (text.size() > kMaxPemBytes) {
      return absl::InvalidArgumentError(
          absl::StrCat(source, ": larger than ", kMaxPemBytes, " bytes: not a PEM file"));
    }
  }
  if (in.bad()) return absl::FailedPreconditionError(absl::StrCat(source, ": cannot read"));
  return text;
}

absl::StatusOr<int64_t> UnixSeconds(const ASN1_TIME* time, const std::string& source) {
  std::tm tm{};
  if (time == nullptr || ASN1_TIME_to_tm(time, &tm) != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, ": the certificate's validity dates do not parse"));
  }
  return static_cast<int64_t>(::timegm(&tm));
}

std::string Subject(X509* cert) {
  BioPtr out(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(out.get(), X509_get_subject_name(cert), 0, XN_FLAG_RFC2253);
  char* data = nullptr;
  const long size = BIO_get_mem_data(out.get(), &data);
  return size > 0 ? std::string(data, static_cast<size_t>(size)) : std::string();
}

std::string Serial(X509* cert) {
  BIGNUM* number = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr);
  if (number == nullptr) return "";
  char* hex = BN_bn2hex(number);
  std::string serial = hex != nullptr ? hex : "";
  OPENSSL_free(hex);
  BN_free(number);
  return serial;
}

// The first certificate of the file; every further PEM certificate (the chain) must parse too.
absl::StatusOr<X509Ptr> ParseCertificate(const std::string& pem, const std::string& source) {
  ERR_clear_error();
  BioPtr bio = MemoryBio(pem);
  X509Ptr first(PEM_read_bio_X509(bio.get(), nullptr, NoPassphrase, nullptr));
  if (first == nullptr) {
    ERR_clear_error();
    if (absl::StrContains(pem, "PRIVATE KEY-----")) {
      return absl::InvalidArgumentError(
          absl::StrCat(source,
                       ": holds a private key, not a certificate (are --tls-cert and --tls-key "
                       "swapped?)"));
    }
    return absl::InvalidArgumentError(
        absl::StrCat(source,
                     ": not a PEM certificate (no block starting -----BEGIN CERTIFICATE----- "
                     "parses)"));
  }
  int position = 1;
  while (X509Ptr next{PEM_read_bio_X509(bio.get(), nullptr, NoPassphrase, nullptr)}) ++position;
  const unsigned long end = ERR_peek_last_error();
  if (ERR_GET_LIB(end) == ERR_LIB_PEM && ERR_GET_REASON(end) == PEM_R_NO_START_LINE) {
    ERR_clear_error();  // the normal end: no further certificate
  } else if (end != 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        source, ": certificate ", position + 1, " of the chain does not parse: ", OpenSslReason()));
  }
  return first;
}

absl::StatusOr<PkeyPtr> ParsePrivateKey(const std::string& pem, const std::string& source) {
  ERR_clear_error();
  BioPtr bio = MemoryBio(pem);
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassphrase, nullptr));
  if (key != nullptr) return key;
  const std::string reason = OpenSslReason();
  if (absl::StrContains(pem, "ENCRYPTED")) {
    return absl::InvalidArgumentError(
        absl::StrCat(source,
                     ": the private key is encrypted with a passphrase; okrd needs an unencrypted "
                     "key (openssl pkey -in KEY -out PLAIN_KEY asks for the passphrase once)"));
  }
  if (absl::StrContains(pem, "-----BEGIN CERTIFICATE-----") &&
      !absl::StrContains(pem, "PRIVATE KEY-----")) {
    return absl::InvalidArgumentError(
        absl::StrCat(source,
                     ": holds a certificate, not a private key (are --tls-cert and --tls-key "
                     "swapped?)"));
  }
  return absl::InvalidArgumentError(
      absl::StrCat(source,
                   ": not a PEM private key (no block starting -----BEGIN PRIVATE KEY----- or "
                   "-----BEGIN RSA/EC PRIVATE KEY----- parses: ",
                   reason, ")"));
}

}  // namespace

absl::StatusOr<TlsIdentity> CheckTlsIdentity(std::string cert_pem, std::string key_pem,
                                             const std::string& cert_source,
                                             const std::string& key_source, int64_t now) {
  absl::StatusOr<X509Ptr> cert = ParseCertificate(cert_pem, cert_source);
  if (!cert.ok()) return cert.status();
  absl::StatusOr<PkeyPtr> key = ParsePrivateKey(key_pem, key_source);
  if (!key.ok()) return key.status();
  ERR_clear_error();
  if (X509_check_private_key(cert->get(), key->get()) != 1) {
    const std::string reason = OpenSslReason();
    return absl::InvalidArgumentError(
        absl::StrCat(key_source, " does not match the certificate of ", cert_source, " (", reason,
                     "): give the private key the certificate was issued for"));
  }
  TlsIdentity identity;
  absl::StatusOr<int64_t> not_before = UnixSeconds(X509_get0_notBefore(cert->get()), cert_source);
  if (!not_before.ok()) return not_before.status();
  absl::StatusOr<int64_t> not_after = UnixSeconds(X509_get0_notAfter(cert->get()), cert_source);
  if (!not_after.ok()) return not_after.status();
  if (now > *not_after) {
    return absl::FailedPreconditionError(
        absl::StrCat(cert_source, ": the certificate expired at ", FormatTime(*not_after),
                     " (notAfter); every client would refuse it: renew it"));
  }
  if (now < *not_before) {
    return absl::FailedPreconditionError(
        absl::StrCat(cert_source, ": the certificate is not valid before ", FormatTime(*not_before),
                     " (notBefore); every client would refuse it until then: check this "
                     "machine's clock or the certificate's dates"));
  }
  identity.not_before = *not_before;
  identity.not_after = *not_after;
  identity.subject = Subject(cert->get());
  identity.serial = Serial(cert->get());
  identity.cert_pem = std::move(cert_pem);
  identity.key_pem = std::move(key_pem);
  return identity;
}

absl::StatusOr<TlsIdentity> LoadTlsIdentity(const std::string& cert_path,
                                            const std::string& key_path, int64_t now) {
  const std::string cert_source = "--tls-cert " + cert_path;
  const std::string key_source = "--tls-key " + key_path;
  absl::StatusOr<std::string> cert = ReadPemFile(cert_path, cert_source);
  if (!cert.ok()) return cert.status();
  absl::StatusOr<std::string> key = ReadPemFile(key_path, key_source);
  if (!key.ok()) return key.status();
  return CheckTlsIdentity(*std::move(cert), *std::move(key), cert_source, key_source, now);
}

}  // namespace okr
