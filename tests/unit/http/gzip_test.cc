#include "mailpath/http/gzip.h"

#include <gtest/gtest.h>
#include <zlib.h>

namespace mailpath::http {
namespace {

std::string Gunzip(const std::string& data) {
  z_stream zs{};
  EXPECT_EQ(Z_OK, inflateInit2(&zs, 15 + 16));
  std::string out(1 << 16, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(Z_STREAM_END, inflate(&zs, Z_FINISH));
  out.resize(zs.total_out);
  inflateEnd(&zs);
  return out;
}

TEST(Gzip, round_trips) {
  const std::string text(5000, 'x');
  const std::string packed = Gzip(text);
  EXPECT_LT(packed.size(), text.size());
  EXPECT_EQ(text, Gunzip(packed));
  EXPECT_EQ("", Gunzip(Gzip("")));
}

TEST(AcceptsGzip, header_variants) {
  struct Case {
    const char* name;
    const char* header;
    bool want;
  };
  const Case cases[] = {
      {"plain", "gzip", true},
      {"list", "deflate, gzip", true},
      {"upper case", "GZIP", true},
      {"weighted", "gzip;q=0.5", true},
      {"refused", "gzip;q=0", false},
      {"refused decimal", "gzip; q=0.000", false},
      {"wildcard", "*", true},
      {"absent", "", false},
      {"other only", "br, deflate", false},
      {"prefix is not gzip", "gzipx", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(c.want, AcceptsGzip(c.header));
  }
}

}  // namespace
}  // namespace mailpath::http
