// Loaded by Debian 12's libcivetweb through dlopen("libcrypto.so"), which
// only exists on hosts with libssl-dev. It has no code: its DT_NEEDED on the
// real libcrypto.so.3 makes dlsym on our handle resolve there.
extern "C" {
__attribute__((visibility("default"))) int mailpath_civetweb_crypto_shim = 1;
}
