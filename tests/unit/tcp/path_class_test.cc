// The path classifier on field values measured in the four-namespace lab
// (tests/integration/netns_lab.py, kernel 6.18.44, docs/tcp.md "Measured"):
// every case of every mode, server-side sockets for inbound cases and our
// client's socket for outbound ones, read with
// tests/integration/sockdiag_fields.py about 4 and 7 s after connecting (the probing run every 2 to
// 4 s up to 14 s: a blackhole until the client's MTU probing gets its data through, healed after).

#include "mailpath/tcp/path_class.h"

#include <gtest/gtest.h>
#include <sys/socket.h>

#include <cstring>
#include <optional>
#include <string>

namespace mailpath::tcp {
namespace {

struct Fields {
  std::uint8_t ca_state, backoff;
  std::uint32_t snd_mss, rcv_mss, advmss, pmtu, unacked, sacked, lost, total_retrans;
  std::uint64_t bytes_retrans, bytes_acked;
  std::uint32_t data_segs_in, last_data_recv, last_data_sent, rcv_ooopack, dsack_dups, rqueue,
      wqueue, rmem_alloc;
};

// A 280-byte tcp_info image (kernel 6.18) with the fields at their offsets
// (include/uapi/linux/tcp.h), cut to `len` bytes like an older kernel's.
SocketSample Sample(const Fields& f, std::size_t len = 280, bool skmem = true) {
  std::string b(280, '\0');
  auto set = [&b](std::size_t off, auto v) { std::memcpy(b.data() + off, &v, sizeof v); };
  set(0, std::uint8_t{1});
  set(1, f.ca_state);
  set(2, f.backoff);  // retransmits == backoff in every lab row
  set(4, f.backoff);
  set(16, f.snd_mss);
  set(20, f.rcv_mss);
  set(24, f.unacked);
  set(28, f.sacked);
  set(32, f.lost);
  set(44, f.last_data_sent);
  set(52, f.last_data_recv);
  set(60, f.pmtu);
  set(84, f.advmss);
  set(100, f.total_retrans);
  set(120, f.bytes_acked);
  set(152, f.data_segs_in);
  set(208, f.bytes_retrans);
  set(216, f.dsack_dups);
  set(224, f.rcv_ooopack);
  SocketSample s;
  s.family = AF_INET;
  s.state = 1;
  s.rqueue = f.rqueue;
  s.wqueue = f.wqueue;
  if (skmem) s.rmem_alloc = f.rmem_alloc;
  s.info = DecodeTcpInfo(std::string_view(b).substr(0, len));
  return s;
}

bool Flagged(PathClass c) {
  return c == PathClass::kBlackholeSuspect || c == PathClass::kRcvBlackholeSuspect;
}

constexpr std::optional<PathClass> kNotFlagged = std::nullopt;

struct Row {
  const char* name;
  std::optional<PathClass> want;  // nullopt: any class but the two suspects
  Fields f;
};

// Columns: ca_state, backoff, snd_mss, rcv_mss, advmss, pmtu, unacked, sacked, lost, total_retrans,
// bytes_retrans, bytes_acked, data_segs_in, last_data_recv, last_data_sent, rcv_ooopack,
// dsack_dups, rqueue, wqueue, rmem_alloc. Case names: s2c = our certificate flight lost (small
// ClientHello), c2s = the client's 1,533-byte ClientHello (587 after STARTTLS, 993) or 100 kB DATA
// (25) lost, out-* = our client to a remote MX (DATA, the remote's flight, our big ClientHello),
// silent = connects and says nothing, plain = EHLO then idle, dark = every segment towards the
// client lost (banner on 587, certificate flight on 993). Modes: blackhole (ICMP dropped both
// ways), pmtud, clamped, blackhole_c2s-probing (only the client's ICMP dropped, tcp_mtu_probing=1
// on the client; 587 and 25).
const Row kLab[] = {
    {"blackhole s2c-587/v4 3.91s",
     PathClass::kBlackholeSuspect,
     {4, 3, 1448, 536, 1448, 1500, 6, 1, 5, 4, 5792, 87, 3, 2004, 476, 0, 0, 0, 8177, 0}},
    {"blackhole s2c-587/v4 6.95s",
     PathClass::kBlackholeSuspect,
     {4, 4, 1448, 536, 1448, 1500, 6, 1, 5, 5, 7240, 87, 3, 4992, 1768, 0, 0, 0, 8177, 0}},
    {"blackhole s2c-993/v4 3.91s",
     PathClass::kBlackholeSuspect,
     {4, 3, 1448, 536, 1448, 1500, 6, 1, 5, 4, 5792, 0, 1, 2120, 604, 0, 0, 0, 8177, 0}},
    {"blackhole s2c-993/v4 6.95s",
     PathClass::kBlackholeSuspect,
     {4, 4, 1448, 536, 1448, 1500, 6, 1, 5, 5, 7240, 0, 1, 5108, 1928, 0, 0, 0, 8177, 0}},
    {"blackhole c2s-587/v4 3.91s",
     PathClass::kRcvBlackholeSuspect,
     {0, 0, 1448, 536, 1448, 1500, 0, 0, 0, 0, 0, 87, 3, 2024, 2020, 1, 0, 0, 0, 947}},
    {"blackhole c2s-587/v4 6.95s",
     PathClass::kRcvBlackholeSuspect,
     {0, 0, 1448, 536, 1448, 1500, 0, 0, 0, 0, 0, 87, 3, 5012, 5008, 1, 0, 0, 0, 947}},
    {"blackhole c2s-993/v4 3.91s",
     PathClass::kRcvBlackholeSuspect,
     {0, 0, 1448, 536, 1448, 1500, 0, 0, 0, 0, 0, 0, 1, 2156, 2156, 1, 0, 0, 0, 947}},
    {"blackhole c2s-993/v4 6.95s",
     PathClass::kRcvBlackholeSuspect,
     {0, 0, 1448, 536, 1448, 1500, 0, 0, 0, 0, 0, 0, 1, 5144, 5144, 1, 0, 0, 0, 947}},
    {"blackhole c2s-25/v4 3.91s",
     PathClass::kRcvBlackholeSuspect,
     {0, 0, 1448, 536, 1448, 1500, 0, 0, 0, 1, 14, 99, 4, 2024, 1816, 0, 1, 0, 0, 0}},
    {"blackhole c2s-25/v4 6.95s",
     PathClass::kRcvBlackholeSuspect,
     {0, 0, 1448, 536, 1448, 1500, 0, 0, 0, 1, 14, 99, 4, 5012, 4804, 0, 1, 0, 0, 0}},
    {"blackhole out-data/v4 3.91s",
     PathClass::kBlackholeSuspect,
     {4, 3, 1448, 536, 1448, 1500, 15, 0, 15, 3, 4344, 90, 6, 2088, 604, 0, 0, 0, 83984, 0}},
    {"blackhole out-data/v4 6.95s",
     PathClass::kBlackholeSuspect,
     {4, 4, 1448, 536, 1448, 1500, 15, 0, 15, 4, 5792, 90, 6, 5060, 1912, 0, 0, 0, 83984, 0}},
    {"blackhole out-s2c/v4 3.91s",
     PathClass::kRcvBlackholeSuspect,
     {0, 0, 1448, 1185, 1448, 1500, 0, 0, 0, 0, 0, 553, 4, 1956, 1956, 1, 0, 0, 0, 2017}},
    {"blackhole out-s2c/v4 6.95s",
     PathClass::kRcvBlackholeSuspect,
     {0, 0, 1448, 1185, 1448, 1500, 0, 0, 0, 0, 0, 553, 4, 4928, 4928, 1, 0, 0, 0, 2017}},
    {"blackhole out-c2s/v4 3.91s",
     PathClass::kBlackholeSuspect,
     {4, 3, 1448, 536, 1448, 1500, 2, 1, 1, 5, 5907, 36, 3, 2036, 540, 0, 0, 0, 1563, 0}},
    {"blackhole out-c2s/v4 6.95s",
     PathClass::kBlackholeSuspect,
     {4, 4, 1448, 536, 1448, 1500, 2, 1, 1, 6, 7355, 36, 3, 5008, 1848, 0, 0, 0, 1563, 0}},
    {"blackhole silent/v4 3.91s", PathClass::kHealthy, {0, 0,  1448, 536,  1448, 1500, 0, 0, 0, 0,
                                                        0, 15, 0,    2192, 2088, 0,    0, 0, 0, 0}},
    {"blackhole silent/v4 6.95s", PathClass::kHealthy, {0, 0,  1448, 536,  1448, 1500, 0, 0, 0, 0,
                                                        0, 15, 0,    5180, 5076, 0,    0, 0, 0, 0}},
    {"blackhole plain/v4 3.91s", PathClass::kHealthy, {0, 0,  1448, 536,  1448, 1500, 0, 0, 0, 0,
                                                       0, 57, 1,    2024, 1988, 0,    0, 0, 0, 0}},
    {"blackhole plain/v4 6.95s", PathClass::kHealthy, {0, 0,  1448, 536,  1448, 1500, 0, 0, 0, 0,
                                                       0, 57, 1,    5012, 4976, 0,    0, 0, 0, 0}},
    {"blackhole dark-587/v4 3.91s",
     PathClass::kOutage,
     {4, 3, 1448, 536, 1448, 1500, 1, 0, 1, 4, 60, 0, 0, 2072, 380, 0, 0, 0, 15, 0}},
    {"blackhole dark-587/v4 6.95s",
     PathClass::kOutage,
     {4, 4, 1448, 536, 1448, 1500, 1, 0, 1, 5, 75, 0, 0, 5060, 1704, 0, 0, 0, 15, 0}},
    {"blackhole dark-993/v4 3.91s",
     PathClass::kOutage,
     {4, 3, 1448, 536, 1448, 1500, 6, 0, 6, 3, 4344, 0, 5, 1840, 348, 0, 0, 0, 8177, 0}},
    {"blackhole dark-993/v4 6.95s",
     PathClass::kOutage,
     {4, 4, 1448, 536, 1448, 1500, 6, 0, 6, 4, 5792, 0, 6, 4828, 1672, 0, 0, 0, 8177, 0}},
    {"blackhole s2c-587/v6 3.91s",
     PathClass::kBlackholeSuspect,
     {4, 3, 1428, 536, 1428, 1500, 6, 1, 5, 4, 5712, 87, 3, 1744, 252, 0, 0, 0, 8177, 0}},
    {"blackhole s2c-587/v6 6.95s",
     PathClass::kBlackholeSuspect,
     {4, 4, 1428, 536, 1428, 1500, 6, 1, 5, 5, 7140, 87, 3, 4732, 1576, 0, 0, 0, 8177, 0}},
    {"blackhole s2c-993/v6 3.91s",
     PathClass::kBlackholeSuspect,
     {4, 3, 1428, 536, 1428, 1500, 6, 1, 5, 4, 5712, 0, 1, 1716, 188, 0, 0, 0, 8177, 0}},
    {"blackhole s2c-993/v6 6.95s",
     PathClass::kBlackholeSuspect,
     {4, 4, 1428, 536, 1428, 1500, 6, 1, 5, 5, 7140, 0, 1, 4704, 1512, 0, 0, 0, 8177, 0}},
    {"blackhole c2s-587/v6 3.91s",
     PathClass::kRcvBlackholeSuspect,
     {0, 0, 1428, 536, 1428, 1500, 0, 0, 0, 0, 0, 87, 3, 1700, 1700, 1, 0, 0, 0, 967}},
    {"blackhole c2s-587/v6 6.95s",
     PathClass::kRcvBlackholeSuspect,
     {0, 0, 1428, 536, 1428, 1500, 0, 0, 0, 0, 0, 87, 3, 4688, 4688, 1, 0, 0, 0, 967}},
    {"blackhole c2s-993/v6 3.91s",
     PathClass::kRcvBlackholeSuspect,
     {0, 0, 1428, 536, 1428, 1500, 0, 0, 0, 0, 0, 0, 1, 1692, 1692, 1, 0, 0, 0, 967}},
    {"blackhole c2s-993/v6 6.95s",
     PathClass::kRcvBlackholeSuspect,
     {0, 0, 1428, 536, 1428, 1500, 0, 0, 0, 0, 0, 0, 1, 4680, 4680, 1, 0, 0, 0, 967}},
    {"blackhole c2s-25/v6 3.91s",
     PathClass::kRcvBlackholeSuspect,
     {0, 0, 1428, 536, 1428, 1500, 0, 0, 0, 1, 14, 99, 4, 1596, 1388, 0, 1, 0, 0, 0}},
    {"blackhole c2s-25/v6 6.95s",
     PathClass::kRcvBlackholeSuspect,
     {0, 0, 1428, 536, 1428, 1500, 0, 0, 0, 1, 14, 99, 4, 4584, 4376, 0, 1, 0, 0, 0}},
    {"blackhole out-data/v6 3.91s",
     PathClass::kBlackholeSuspect,
     {4, 3, 1428, 536, 1428, 1500, 15, 0, 15, 3, 4284, 90, 6, 1592, 124, 0, 0, 0, 82824, 0}},
    {"blackhole out-data/v6 6.95s",
     PathClass::kBlackholeSuspect,
     {4, 4, 1428, 536, 1428, 1500, 15, 0, 15, 4, 5712, 90, 6, 4580, 1448, 0, 0, 0, 82824, 0}},
    {"blackhole out-s2c/v6 3.91s",
     PathClass::kRcvBlackholeSuspect,
     {0, 0, 1428, 1225, 1428, 1500, 0, 0, 0, 0, 0, 553, 4, 1572, 1544, 1, 0, 0, 0, 2057}},
    {"blackhole out-s2c/v6 6.95s",
     PathClass::kRcvBlackholeSuspect,
     {0, 0, 1428, 1225, 1428, 1500, 0, 0, 0, 0, 0, 553, 4, 4560, 4532, 1, 0, 0, 0, 2057}},
    {"blackhole out-c2s/v6 3.91s",
     PathClass::kBlackholeSuspect,
     {4, 3, 1428, 536, 1428, 1500, 2, 1, 1, 5, 5847, 36, 3, 1560, 60, 0, 0, 0, 1563, 0}},
    {"blackhole out-c2s/v6 6.95s",
     PathClass::kBlackholeSuspect,
     {4, 4, 1428, 536, 1428, 1500, 2, 1, 1, 6, 7275, 36, 3, 4548, 1384, 0, 0, 0, 1563, 0}},
    {"blackhole silent/v6 3.91s", PathClass::kHealthy, {0, 0,  1428, 536,  1428, 1500, 0, 0, 0, 0,
                                                        0, 15, 0,    1572, 1568, 0,    0, 0, 0, 0}},
    {"blackhole silent/v6 6.95s", PathClass::kHealthy, {0, 0,  1428, 536,  1428, 1500, 0, 0, 0, 0,
                                                        0, 15, 0,    4560, 4556, 0,    0, 0, 0, 0}},
    {"blackhole plain/v6 3.91s", PathClass::kHealthy, {0, 0,  1428, 536,  1428, 1500, 0, 0, 0, 0,
                                                       0, 57, 1,    1536, 1524, 0,    0, 0, 0, 0}},
    {"blackhole plain/v6 6.95s", PathClass::kHealthy, {0, 0,  1428, 536,  1428, 1500, 0, 0, 0, 0,
                                                       0, 57, 1,    4524, 4512, 0,    0, 0, 0, 0}},
    {"blackhole dark-587/v6 3.91s",
     PathClass::kOutage,
     {4, 2, 1428, 536, 1428, 1500, 1, 0, 1, 3, 45, 0, 0, 1576, 732, 0, 0, 0, 15, 0}},
    {"blackhole dark-587/v6 6.95s",
     PathClass::kOutage,
     {4, 4, 1428, 536, 1428, 1500, 1, 0, 1, 5, 75, 0, 0, 4564, 1224, 0, 0, 0, 15, 0}},
    {"blackhole dark-993/v6 3.91s",
     PathClass::kOutage,
     {4, 3, 1428, 536, 1428, 1500, 6, 0, 6, 3, 4284, 0, 4, 1512, 28, 0, 0, 0, 8177, 0}},
    {"blackhole dark-993/v6 6.95s",
     PathClass::kOutage,
     {4, 4, 1428, 536, 1428, 1500, 6, 0, 6, 4, 5712, 0, 6, 4500, 1352, 0, 0, 0, 8177, 0}},
    {"pmtud s2c-587/v4 6.85s", kNotFlagged, {0,    0,    1348, 536,  1448, 1400, 0, 0, 0, 4,
                                             4096, 8774, 4,    4928, 4816, 0,    0, 0, 0, 0}},
    {"pmtud s2c-993/v4 6.85s", kNotFlagged, {0, 0,    1348, 536,  1448, 1400, 0, 0, 0, 0,
                                             0, 8687, 2,    4852, 4772, 0,    0, 0, 0, 0}},
    {"pmtud c2s-587/v4 6.85s", kNotFlagged, {0, 0,    1348, 1348, 1448, 1400, 0, 0, 0, 0,
                                             0, 8774, 5,    4600, 4540, 0,    0, 0, 0, 0}},
    {"pmtud c2s-993/v4 6.85s", kNotFlagged, {0, 0,    1348, 1348, 1448, 1400, 0, 0, 0, 0,
                                             0, 8687, 3,    4844, 4800, 0,    0, 0, 0, 0}},
    {"pmtud c2s-25/v4 6.85s", kNotFlagged, {0, 0,   1348, 1348, 1348, 1400, 0, 0, 0, 0,
                                            0, 117, 79,   4852, 4852, 0,    0, 0, 0, 0}},
    {"pmtud out-data/v4 6.85s", kNotFlagged, {0, 0,      1348, 536,  1348, 1400, 0, 0, 0, 0,
                                              0, 100109, 6,    4744, 4744, 0,    0, 0, 0, 0}},
    {"pmtud out-s2c/v4 6.85s", kNotFlagged, {0, 0,   1348, 1348, 1348, 1400, 0, 0,   0, 0,
                                             0, 633, 13,   4536, 4600, 0,    0, 510, 0, 1342}},
    {"pmtud out-c2s/v4 6.85s", kNotFlagged, {0, 0,    1348, 1348, 1348, 1400, 0, 0,   0, 0,
                                             0, 1679, 13,   4580, 4636, 0,    0, 510, 0, 1342}},
    {"pmtud silent/v4 6.85s", kNotFlagged, {0, 0,  1348, 536,  1448, 1500, 0, 0, 0, 0,
                                            0, 15, 0,    4988, 4884, 0,    0, 0, 0, 0}},
    {"pmtud plain/v4 6.85s", kNotFlagged, {0, 0,  1348, 536,  1448, 1400, 0, 0, 0, 0,
                                           0, 57, 1,    4956, 4956, 0,    0, 0, 0, 0}},
    {"pmtud dark-587/v4 6.85s", PathClass::kOutage, {4,  4, 1348, 536,  1448, 1500, 1, 0, 1,  5,
                                                     75, 0, 0,    4868, 1512, 0,    0, 0, 15, 0}},
    {"pmtud dark-993/v4 6.85s",
     PathClass::kOutage,
     {4, 4, 1348, 536, 1448, 1500, 8, 0, 8, 4, 5392, 0, 6, 4680, 1480, 0, 0, 0, 8177, 0}},
    {"pmtud s2c-587/v6 6.85s", kNotFlagged, {0, 0,    1328, 536,  1428, 1400, 0, 0, 0, 0,
                                             0, 8774, 4,    4572, 4520, 0,    1, 0, 0, 0}},
    {"pmtud s2c-993/v6 6.85s", kNotFlagged, {0, 0,    1328, 536,  1428, 1400, 0, 0, 0, 0,
                                             0, 8687, 2,    4580, 4520, 0,    0, 0, 0, 0}},
    {"pmtud c2s-587/v6 6.85s", kNotFlagged, {0,    0,    1328, 1328, 1428, 1400, 0, 0, 0, 4,
                                             4096, 8774, 5,    4548, 4532, 0,    0, 0, 0, 0}},
    {"pmtud c2s-993/v6 6.85s", kNotFlagged, {0, 0,    1328, 1328, 1328, 1400, 0, 0, 0, 0,
                                             0, 8687, 3,    4536, 4488, 0,    0, 0, 0, 0}},
    {"pmtud c2s-25/v6 6.85s", kNotFlagged, {0, 0,   1328, 1328, 1428, 1400, 0, 0, 0, 0,
                                            0, 117, 80,   4636, 4636, 0,    0, 0, 0, 0}},
    {"pmtud out-data/v6 6.85s", kNotFlagged, {0, 0,      1328, 536,  1328, 1400, 0, 0, 0, 0,
                                              0, 100109, 6,    4532, 4532, 0,    0, 0, 0, 0}},
    {"pmtud out-s2c/v6 6.85s", kNotFlagged, {0, 0,   1328, 1328, 1428, 1400, 0, 0,   0, 0,
                                             0, 633, 13,   4488, 4532, 0,    0, 510, 0, 1342}},
    {"pmtud out-c2s/v6 6.85s", kNotFlagged, {0, 0,    1328, 1328, 1328, 1400, 0, 0,   0, 0,
                                             0, 1679, 13,   4416, 4460, 0,    0, 510, 0, 1342}},
    {"pmtud silent/v6 6.85s", kNotFlagged, {0, 0,  1328, 536,  1328, 1400, 0, 0, 0, 0,
                                            0, 15, 0,    4604, 4592, 0,    0, 0, 0, 0}},
    {"pmtud plain/v6 6.85s", kNotFlagged, {0, 0,  1328, 536,  1328, 1400, 0, 0, 0, 0,
                                           0, 57, 1,    4528, 4528, 0,    0, 0, 0, 0}},
    {"pmtud dark-587/v6 6.85s", PathClass::kOutage, {4,  4, 1328, 536,  1428, 1500, 1, 0, 1,  5,
                                                     75, 0, 0,    4572, 1224, 0,    0, 0, 15, 0}},
    {"pmtud dark-993/v6 6.85s",
     PathClass::kOutage,
     {4, 4, 1328, 536, 1428, 1500, 8, 0, 8, 4, 5312, 0, 6, 4480, 1352, 0, 0, 0, 8177, 0}},
    {"clamped s2c-587/v4 6.86s", kNotFlagged, {0, 0,    1348, 536,  1448, 1500, 0, 0, 0, 0,
                                               0, 8774, 4,    5280, 5200, 0,    0, 0, 0, 0}},
    {"clamped s2c-993/v4 6.86s", kNotFlagged, {0, 0,    1348, 536,  1448, 1500, 0, 0, 0, 0,
                                               0, 8687, 2,    5208, 5180, 0,    0, 0, 0, 0}},
    {"clamped c2s-587/v4 6.86s", kNotFlagged, {0, 0,    1348, 1348, 1448, 1500, 0, 0, 0, 0,
                                               0, 8774, 5,    5216, 5160, 0,    0, 0, 0, 0}},
    {"clamped c2s-993/v4 6.86s", kNotFlagged, {0, 0,    1348, 1348, 1448, 1500, 0, 0, 0, 0,
                                               0, 8687, 3,    5208, 5180, 0,    0, 0, 0, 0}},
    {"clamped c2s-25/v4 6.86s", kNotFlagged, {0, 0,   1348, 1348, 1448, 1500, 0, 0, 0, 0,
                                              0, 117, 79,   5208, 5208, 0,    0, 0, 0, 0}},
    {"clamped out-data/v4 6.86s", kNotFlagged, {0, 0,      1348, 536,  1448, 1500, 0, 0, 0, 0,
                                                0, 100109, 6,    5336, 5336, 0,    0, 0, 0, 0}},
    {"clamped out-s2c/v4 6.86s", kNotFlagged, {0, 0,   1348, 1348, 1448, 1500, 0, 0,   0, 0,
                                               0, 633, 13,   5136, 5204, 0,    0, 510, 0, 1342}},
    {"clamped out-c2s/v4 6.86s", kNotFlagged, {0, 0,    1348, 1348, 1448, 1500, 0, 0,   0, 0,
                                               0, 1679, 13,   5100, 5180, 0,    0, 510, 0, 1342}},
    {"clamped silent/v4 6.86s", kNotFlagged, {0, 0,  1348, 536,  1448, 1500, 0, 0, 0, 0,
                                              0, 15, 0,    5320, 5240, 0,    0, 0, 0, 0}},
    {"clamped plain/v4 6.86s", kNotFlagged, {0, 0,  1348, 536,  1448, 1500, 0, 0, 0, 0,
                                             0, 57, 1,    5204, 5188, 0,    0, 0, 0, 0}},
    {"clamped dark-587/v4 6.86s", PathClass::kOutage, {4,  4, 1348, 536,  1448, 1500, 1, 0, 1,  5,
                                                       75, 0, 0,    5280, 1924, 0,    0, 0, 15, 0}},
    {"clamped dark-993/v4 6.86s",
     PathClass::kOutage,
     {4, 4, 1348, 536, 1448, 1500, 8, 0, 8, 4, 5392, 0, 6, 5144, 1956, 0, 0, 0, 8177, 0}},
    {"clamped s2c-587/v6 6.86s", kNotFlagged, {0, 0,    1328, 536,  1428, 1500, 0, 0, 0, 0,
                                               0, 8774, 4,    5060, 4992, 0,    0, 0, 0, 0}},
    {"clamped s2c-993/v6 6.86s", kNotFlagged, {0, 0,    1328, 536,  1428, 1500, 0, 0, 0, 0,
                                               0, 8687, 2,    5036, 5036, 0,    0, 0, 0, 0}},
    {"clamped c2s-587/v6 6.86s", kNotFlagged, {0, 0,    1328, 1328, 1428, 1500, 0, 0, 0, 0,
                                               0, 8774, 5,    5008, 4956, 0,    0, 0, 0, 0}},
    {"clamped c2s-993/v6 6.86s", kNotFlagged, {0, 0,    1328, 1328, 1428, 1500, 0, 0, 0, 0,
                                               0, 8687, 3,    5000, 4988, 0,    0, 0, 0, 0}},
    {"clamped c2s-25/v6 6.86s", kNotFlagged, {0, 0,   1328, 1328, 1428, 1500, 0, 0, 0, 0,
                                              0, 117, 80,   5036, 5036, 0,    0, 0, 0, 0}},
    {"clamped out-data/v6 6.86s", kNotFlagged, {0, 0,      1328, 536,  1428, 1500, 0, 0, 0, 0,
                                                0, 100109, 6,    5000, 5000, 0,    0, 0, 0, 0}},
    {"clamped out-s2c/v6 6.86s", kNotFlagged, {0, 0,   1328, 1328, 1428, 1500, 0, 0,   0, 0,
                                               0, 633, 13,   4908, 4952, 0,    0, 510, 0, 1342}},
    {"clamped out-c2s/v6 6.86s", kNotFlagged, {0, 0,    1328, 1328, 1428, 1500, 0, 0,   0, 0,
                                               0, 1679, 13,   4908, 4952, 0,    0, 510, 0, 1342}},
    {"clamped silent/v6 6.86s", kNotFlagged, {0, 0,  1328, 536,  1428, 1500, 0, 0, 0, 0,
                                              0, 15, 0,    4892, 4892, 0,    0, 0, 0, 0}},
    {"clamped plain/v6 6.86s", kNotFlagged, {0, 0,  1328, 536,  1428, 1500, 0, 0, 0, 0,
                                             0, 57, 1,    4960, 4956, 0,    0, 0, 0, 0}},
    {"clamped dark-587/v6 6.86s", PathClass::kOutage, {4,  4, 1328, 536,  1428, 1500, 1, 0, 1,  5,
                                                       75, 0, 0,    4976, 1636, 0,    0, 0, 15, 0}},
    {"clamped dark-993/v6 6.86s",
     PathClass::kOutage,
     {4, 4, 1328, 536, 1428, 1500, 8, 0, 8, 4, 5312, 0, 6, 4960, 1796, 0, 0, 0, 8177, 0}},
    {"blackhole_c2s-probing c2s-587/v4 2.29s",
     PathClass::kRcvBlackholeSuspect,
     {0, 0, 1448, 536, 1448, 1500, 0, 0, 0, 0, 0, 87, 3, 1896, 1896, 1, 0, 0, 0, 947}},
    {"blackhole_c2s-probing c2s-587/v4 4.41s",
     PathClass::kProbingRecovered,
     {0, 0, 1348, 1024, 1448, 1400, 0, 0, 0, 4, 4096, 8774, 6, 728, 684, 1, 0, 0, 0, 0}},
    {"blackhole_c2s-probing c2s-587/v4 7.27s",
     PathClass::kProbingRecovered,
     {0, 0, 1348, 1024, 1448, 1400, 0, 0, 0, 4, 4096, 8774, 6, 3712, 3668, 1, 0, 0, 0, 0}},
    {"blackhole_c2s-probing c2s-587/v4 10.27s",
     PathClass::kProbingRecovered,
     {0, 0, 1348, 1024, 1448, 1400, 0, 0, 0, 4, 4096, 8774, 6, 6724, 6680, 1, 0, 0, 0, 0}},
    {"blackhole_c2s-probing c2s-587/v4 14.52s",
     PathClass::kProbingRecovered,
     {0, 0, 1348, 1024, 1448, 1400, 0, 0, 0, 4, 4096, 8774, 6, 10792, 10748, 1, 0, 0, 0, 0}},
    {"blackhole_c2s-probing c2s-25/v4 2.29s",
     PathClass::kRcvBlackholeSuspect,
     {0, 0, 1448, 536, 1448, 1500, 0, 0, 0, 1, 14, 99, 4, 1876, 1664, 0, 1, 0, 0, 0}},
    {"blackhole_c2s-probing c2s-25/v4 4.41s",
     PathClass::kRcvBlackholeSuspect,
     {0, 0, 1448, 536, 1448, 1500, 0, 0, 0, 1, 14, 99, 4, 3844, 3632, 0, 1, 0, 0, 0}},
    {"blackhole_c2s-probing c2s-25/v4 7.27s",
     PathClass::kProbingRecovered,
     {0, 0, 1348, 1024, 1448, 1400, 0, 0, 0, 1, 14, 117, 104, 312, 312, 12, 1, 0, 0, 0}},
    {"blackhole_c2s-probing c2s-25/v4 10.27s",
     PathClass::kProbingRecovered,
     {0, 0, 1348, 1024, 1448, 1400, 0, 0, 0, 1, 14, 117, 104, 3324, 3324, 12, 1, 0, 0, 0}},
    {"blackhole_c2s-probing c2s-25/v4 14.52s",
     PathClass::kProbingRecovered,
     {0, 0, 1348, 1024, 1448, 1400, 0, 0, 0, 1, 14, 117, 104, 7400, 7400, 12, 1, 0, 0, 0}},
    {"blackhole_c2s-probing c2s-587/v6 2.29s",
     PathClass::kRcvBlackholeSuspect,
     {0, 0, 1428, 536, 1428, 1500, 0, 0, 0, 0, 0, 87, 3, 1892, 1892, 1, 0, 0, 0, 967}},
    {"blackhole_c2s-probing c2s-587/v6 4.41s",
     PathClass::kProbingRecovered,
     {0, 0, 1328, 1024, 1428, 1400, 0, 0, 0, 4, 4096, 8774, 6, 704, 660, 1, 0, 0, 0, 0}},
    {"blackhole_c2s-probing c2s-587/v6 7.27s",
     PathClass::kProbingRecovered,
     {0, 0, 1328, 1024, 1428, 1400, 0, 0, 0, 4, 4096, 8774, 6, 3684, 3640, 1, 0, 0, 0, 0}},
    {"blackhole_c2s-probing c2s-587/v6 10.27s",
     PathClass::kProbingRecovered,
     {0, 0, 1328, 1024, 1428, 1400, 0, 0, 0, 4, 4096, 8774, 6, 6692, 6648, 1, 0, 0, 0, 0}},
    {"blackhole_c2s-probing c2s-587/v6 14.52s",
     PathClass::kProbingRecovered,
     {0, 0, 1328, 1024, 1428, 1400, 0, 0, 0, 4, 4096, 8774, 6, 10776, 10732, 1, 0, 0, 0, 0}},
    {"blackhole_c2s-probing c2s-25/v6 2.29s",
     PathClass::kRcvBlackholeSuspect,
     {0, 0, 1428, 536, 1428, 1500, 0, 0, 0, 1, 14, 99, 4, 1872, 1660, 0, 1, 0, 0, 0}},
    {"blackhole_c2s-probing c2s-25/v6 4.41s",
     PathClass::kRcvBlackholeSuspect,
     {0, 0, 1428, 536, 1428, 1500, 0, 0, 0, 1, 14, 99, 4, 3836, 3624, 0, 1, 0, 0, 0}},
    {"blackhole_c2s-probing c2s-25/v6 7.27s",
     PathClass::kProbingRecovered,
     {0, 0, 1328, 1024, 1428, 1400, 0, 0, 0, 1, 14, 117, 104, 308, 308, 12, 1, 0, 0, 0}},
    {"blackhole_c2s-probing c2s-25/v6 10.27s",
     PathClass::kProbingRecovered,
     {0, 0, 1328, 1024, 1428, 1400, 0, 0, 0, 1, 14, 117, 104, 3324, 3324, 12, 1, 0, 0, 0}},
    {"blackhole_c2s-probing c2s-25/v6 14.52s",
     PathClass::kProbingRecovered,
     {0, 0, 1328, 1024, 1428, 1400, 0, 0, 0, 1, 14, 117, 104, 7392, 7392, 12, 1, 0, 0, 0}},
};

TEST(ClassifyPath, every_measured_lab_case_lands_on_its_class) {
  for (const Row& r : kLab) {
    SCOPED_TRACE(r.name);
    const PathClass got = ClassifyPath(Sample(r.f));
    if (r.want) {
      EXPECT_EQ(PathClassName(*r.want), PathClassName(got));
    } else {
      EXPECT_FALSE(Flagged(got)) << PathClassName(got);
    }
  }
}

TEST(ClassifyPath, a_peer_gone_dark_is_an_outage_not_a_blackhole) {
  // dark-587: the 15-byte banner retransmitted 5 times, nothing acknowledged; dark-993: the whole
  // certificate flight lost and the client never acknowledged a byte of ours.
  EXPECT_EQ(PathClass::kOutage, ClassifyPath(Sample({4,  4, 1448, 536,  1448, 1500, 1, 0, 1,  5,
                                                     75, 0, 0,    5060, 1704, 0,    0, 0, 15, 0})));
  EXPECT_EQ(PathClass::kOutage,
            ClassifyPath(Sample({4,    4, 1448, 536,  1448, 1500, 6, 0, 6,    4,
                                 5792, 0, 6,    4828, 1672, 0,    0, 0, 8177, 0})));
}

TEST(ClassifyPath, receive_side_needs_the_hole_to_outlive_the_stall_time) {
  Fields hole{0,    0, 1448, 536, 1448, 1500, 0, 0, 0, 0, 0, 87, 3, kReceiveStallMs,
              5008, 1, 0,    0,   0,    947};
  EXPECT_EQ(PathClass::kRcvBlackholeSuspect, ClassifyPath(Sample(hole)));
  hole.last_data_recv = kReceiveStallMs - 1;
  hole.last_data_sent = kReceiveStallMs - 1;
  EXPECT_EQ(PathClass::kHealthy, ClassifyPath(Sample(hole)))
      << "the client may still retransmit in time";
}

TEST(ClassifyPath, receive_side_needs_the_fields_it_reads) {
  const Fields hole{0, 0, 1448, 536, 1448, 1500, 0, 0, 0, 0, 0, 87, 3, 4904, 4904, 1, 0, 0, 0, 947};
  EXPECT_EQ(PathClass::kRcvBlackholeSuspect, ClassifyPath(Sample(hole, 232)))
      << "Debian 12's 6.1: 232 bytes";
  EXPECT_EQ(PathClass::kHealthy, ClassifyPath(Sample(hole, 280, false)))
      << "no INET_DIAG_SKMEMINFO";
  EXPECT_EQ(PathClass::kHealthy, ClassifyPath(Sample(hole, 224))) << "before 5.4: no rcv_ooopack";
  // An out-of-order segment long since repaired: nothing held any more.
  Fields repaired = hole;
  repaired.rmem_alloc = 0;
  EXPECT_EQ(PathClass::kHealthy, ClassifyPath(Sample(repaired)));
  // Data not read yet by the daemon is no hole.
  Fields unread = hole;
  unread.rqueue = 510;
  EXPECT_EQ(PathClass::kHealthy, ClassifyPath(Sample(unread)));
}

TEST(PathVerdict, maps_every_class_to_one_verdict) {
  EXPECT_EQ("blackhole", PathVerdictName(VerdictOf(PathClass::kBlackholeSuspect)));
  EXPECT_EQ("blackhole", PathVerdictName(VerdictOf(PathClass::kRcvBlackholeSuspect)));
  EXPECT_EQ("blackhole", PathVerdictName(VerdictOf(PathClass::kProbingRecovered)));
  EXPECT_EQ("outage", PathVerdictName(VerdictOf(PathClass::kOutage)));
  EXPECT_EQ("outage", PathVerdictName(VerdictOf(PathClass::kGenericLoss)));
  for (PathClass c : {PathClass::kHealthy, PathClass::kPmtudReduced, PathClass::kClamped}) {
    EXPECT_EQ("healthy", PathVerdictName(VerdictOf(c)));
  }
}

}  // namespace
}  // namespace mailpath::tcp
