// TLS over loopback with a throwaway self-signed certificate made at test time: verification
// is on by default, ca_bundle makes the certificate trusted, verify_tls=false skips the check.
#include <gtest/gtest.h>
#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include "snapstate/snapstate.hpp"

namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};

// A P-256 key and a self-signed certificate for 127.0.0.1, valid for a day.
struct Certificate {
  std::unique_ptr<EVP_PKEY, PkeyFree> key;
  std::unique_ptr<X509, X509Free> cert;
  std::string pem_path;

  Certificate() {
    key.reset(EVP_EC_gen("P-256"));
    cert.reset(X509_new());
    if (!key || !cert) throw std::runtime_error("openssl: cannot make a key");
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 86400);
    X509_set_pubkey(cert.get(), key.get());
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("snapstate-test"), -1, -1, 0);
    X509_set_issuer_name(cert.get(), name);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
    X509_EXTENSION* san =
        X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost");
    X509_add_ext(cert.get(), san, -1);
    X509_EXTENSION_free(san);
    X509_EXTENSION* ca = X509V3_EXT_conf_nid(nullptr, &ctx, NID_basic_constraints, "CA:TRUE");
    X509_add_ext(cert.get(), ca, -1);
    X509_EXTENSION_free(ca);
    if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) {
      throw std::runtime_error("openssl: cannot sign");
    }
    char path[] = "/tmp/snapstate-tls-XXXXXX";
    const int fd = mkstemp(path);
    if (fd < 0) throw std::runtime_error("cannot create a temporary file");
    FILE* file = fdopen(fd, "w");
    PEM_write_X509(file, cert.get());
    fclose(file);
    pem_path = path;
  }
  ~Certificate() { std::remove(pem_path.c_str()); }
};

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server = std::make_unique<httplib::SSLServer>(certificate.cert.get(), certificate.key.get());
    server->Get("/health", [this](const httplib::Request&, httplib::Response& res) {
      ++served;
      res.set_content(R"({"status":"ok"})", "application/json");
    });
    port = server->bind_to_any_port("127.0.0.1");
    ASSERT_GT(port, 0);
    thread = std::thread([this] { server->listen_after_bind(); });
    while (!server->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  void TearDown() override {
    server->stop();
    thread.join();
  }
  snapstate::ClientOptions options() const {
    snapstate::ClientOptions o;
    o.api_key = "snp_tls_test_key";
    o.base_url = "https://127.0.0.1:" + std::to_string(port);
    o.max_retries = 1;
    return o;
  }

  Certificate certificate;
  std::unique_ptr<httplib::SSLServer> server;
  std::thread thread;
  int port = 0;
  std::atomic<int> served{0};
};

TEST_F(TlsTest, AnUntrustedCertificateIsANetworkErrorNamingTls) {
  snapstate::SnapStateClient client(options());
  try {
    client.health();
    FAIL() << "a self-signed certificate was accepted without a CA bundle";
  } catch (const snapstate::NetworkError& e) {
    EXPECT_EQ(e.code(), "TLS_ERROR");
    EXPECT_NE(std::string(e.what()).find("TLS"), std::string::npos) << e.what();
    EXPECT_EQ(e.status_code(), 0);
  }
  EXPECT_EQ(served.load(), 0);
}

TEST_F(TlsTest, TheCertificateIsTrustedThroughCaBundle) {
  auto o = options();
  o.ca_bundle = certificate.pem_path;
  snapstate::SnapStateClient client(o);
  EXPECT_EQ(client.health().status, "ok");
  EXPECT_EQ(served.load(), 1);
}

TEST_F(TlsTest, VerificationCanBeSwitchedOffForTestServers) {
  auto o = options();
  o.verify_tls = false;
  snapstate::SnapStateClient client(o);
  EXPECT_EQ(client.health().status, "ok");
}

}  // namespace
