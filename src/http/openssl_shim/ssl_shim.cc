// Loaded by Debian 12's libcivetweb through dlopen("libssl.so"); see
// docs/security.md ("Web configuration"). It forwards everything to the real
// libssl.so.3 (a DT_NEEDED of this library, so dlsym on our handle finds its
// symbols) and adds the one symbol civetweb 1.15 looks up that OpenSSL 3 only
// has as a macro.
#include <openssl/ssl.h>

#undef SSL_get_peer_certificate

extern "C" {
__attribute__((visibility("default"))) X509* SSL_get_peer_certificate(const SSL* ssl);
X509* SSL_get_peer_certificate(const SSL* ssl) { return SSL_get1_peer_certificate(ssl); }
}
