// The TLS pair checks (services/core/tls_files.h) on certificates made here with OpenSSL,
// with dates chosen so that "now" falls on either side of notBefore and notAfter.
#include "services/core/tls_files.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <string>

namespace okr {
namespace {

// 2026-01-01T00:00:00Z and 2026-03-01T12:30:00Z, worked out from the calendar:
// 20454 days from 1970 to 2026 (56 years, 14 leap days: 56 * 365 + 14), and Jan (31) + Feb
// (28) = 59 days more, plus 12.5 hours.
constexpr int64_t kJan1 = 20454LL * 86400;
constexpr int64_t kMar1 = kJan1 + 59LL * 86400 + 12 * 3600 + 30 * 60;

struct Pem {
  std::string cert;
  std::string key;
};

std::string ToPem(int (*write)(BIO*, void*), void* object) {
  BIO* bio = BIO_new(BIO_s_mem());
  write(bio, object);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  std::string text(data, static_cast<size_t>(size));
  BIO_free(bio);
  return text;
}

// A self-signed certificate for CN=`name`, serial `serial`, valid from `not_before` to
// `not_after` (Unix seconds).
Pem MakePair(const std::string& name, long serial, int64_t not_before, int64_t not_after) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), serial);
  ASN1_TIME_set(X509_getm_notBefore(cert), static_cast<time_t>(not_before));
  ASN1_TIME_set(X509_getm_notAfter(cert), static_cast<time_t>(not_after));
  X509_NAME* subject = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(name.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert, subject);
  X509_set_pubkey(cert, key);
  X509_sign(cert, key, EVP_sha256());
  Pem pem;
  pem.cert =
      ToPem([](BIO* b, void* x) { return PEM_write_bio_X509(b, static_cast<X509*>(x)); }, cert);
  pem.key = ToPem(
      [](BIO* b, void* k) {
        return PEM_write_bio_PrivateKey(b, static_cast<EVP_PKEY*>(k), nullptr, nullptr, 0, nullptr,
                                        nullptr);
      },
      key);
  X509_free(cert);
  EVP_PKEY_free(key);
  return pem;
}

absl::StatusOr<TlsIdentity> Check(const Pem& pem, int64_t now) {
  return CheckTlsIdentity(pem.cert, pem.key, "--tls-cert c.pem", "--tls-key k.pem", now);
}

TEST(TlsFilesTest, AGoodPairGivesItsSubjectSerialAndDates) {
  const Pem pem = MakePair("okr.example.com", 0x1f2e, kJan1, kMar1);
  absl::StatusOr<TlsIdentity> identity = Check(pem, kJan1 + 86400);
  ASSERT_TRUE(identity.ok()) << identity.status();
  EXPECT_EQ(identity->subject, "CN=okr.example.com");
  EXPECT_EQ(identity->serial, "1F2E");
  EXPECT_EQ(identity->not_before, kJan1);
  EXPECT_EQ(identity->not_after, kMar1);
  EXPECT_EQ(identity->cert_pem, pem.cert);
  EXPECT_EQ(identity->key_pem, pem.key);
}

TEST(TlsFilesTest, ValidFromNotBeforeToNotAfterInclusive) {
  const Pem pem = MakePair("a", 1, kJan1, kMar1);
  EXPECT_TRUE(Check(pem, kJan1).ok());
  EXPECT_TRUE(Check(pem, kMar1).ok());
  absl::StatusOr<TlsIdentity> expired = Check(pem, kMar1 + 1);
  EXPECT_EQ(expired.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(expired.status().message().find(
                "--tls-cert c.pem: the certificate expired at 2026-03-01T12:30:00Z (notAfter)"),
            std::string::npos)
      << expired.status();
  absl::StatusOr<TlsIdentity> early = Check(pem, kJan1 - 1);
  EXPECT_EQ(early.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(early.status().message().find(
                "the certificate is not valid before 2026-01-01T00:00:00Z (notBefore)"),
            std::string::npos)
      << early.status();
}

TEST(TlsFilesTest, AKeyOfAnotherCertificateIsAMismatch) {
  const Pem a = MakePair("a", 1, kJan1, kMar1);
  const Pem b = MakePair("b", 2, kJan1, kMar1);
  absl::StatusOr<TlsIdentity> mixed = Check({a.cert, b.key}, kJan1);
  EXPECT_EQ(mixed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(
      mixed.status().message().find("--tls-key k.pem does not match the certificate of --tls-cert "
                                    "c.pem"),
      std::string::npos)
      << mixed.status();
}

TEST(TlsFilesTest, FilesThatAreNotWhatTheirFlagWantsSaySo) {
  const Pem pem = MakePair("a", 1, kJan1, kMar1);
  auto message = [](const absl::StatusOr<TlsIdentity>& r) {
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
    return std::string(r.status().message());
  };
  EXPECT_EQ(message(Check({"hello", pem.key}, kJan1)),
            "--tls-cert c.pem: not a PEM certificate (no block starting -----BEGIN "
            "CERTIFICATE----- parses)");
  EXPECT_EQ(message(Check({pem.key, pem.cert}, kJan1)),
            "--tls-cert c.pem: holds a private key, not a certificate (are --tls-cert and "
            "--tls-key swapped?)");
  EXPECT_EQ(message(Check({pem.cert, pem.cert}, kJan1)),
            "--tls-key k.pem: holds a certificate, not a private key (are --tls-cert and "
            "--tls-key swapped?)");
  // A chain whose second certificate is damaged.
  std::string damaged = pem.cert;
  damaged[damaged.size() / 2] = '!';
  EXPECT_EQ(message(Check({pem.cert + damaged, pem.key}, kJan1))
                .rfind("--tls-cert c.pem: certificate 2 of the chain does not parse", 0),
            0u);
}

}  // namespace
}  // namespace okr
