// Zip archives as numpy.savez (stored) and numpy.savez_compressed (deflated) write them, read from
// the central directory: it holds every member's sizes even where the local headers defer them
// (Python's zipfile writes ZIP64 local headers with placeholder sizes for every .npy member).
// Deflate is zlib's; each member's CRC-32 is checked, and its size is capped before inflating.
#include <zlib.h>

#include <cstdint>

#include "formats.hpp"

namespace certbound::io::detail {
namespace {

/// A member's uncompressed size is at most a .npy of kMaxEntries doubles and a generous header.
constexpr std::uint64_t kMaxMemberBytes = 8 * std::uint64_t(kMaxEntries) + (1 << 20);

class ZipReader {
 public:
  ZipReader(const std::string& name, std::string_view bytes) : name_(name), b_(bytes) {}

  std::map<std::string, std::string> members() {
    auto [count, offset] = central_directory();
    std::map<std::string, std::string> out;
    for (std::uint64_t k = 0; k < count; ++k) {
      Entry e = entry(offset);
      offset += 46 + e.name_len + e.extra_len + e.comment_len;
      if (!e.name.empty() && e.name.back() == '/') continue;  // a directory
      if (out.count(e.name)) fail(name_, "zip archive has two members named '" + e.name + "'");
      out[e.name] = contents(e);
    }
    return out;
  }

 private:
  struct Entry {
    std::string name;
    unsigned flags = 0, method = 0;
    std::uint32_t crc = 0;
    std::uint64_t compressed = 0, size = 0, local_offset = 0;
    std::size_t name_len = 0, extra_len = 0, comment_len = 0;
  };

  [[noreturn]] void corrupt() { fail(name_, "not a valid zip archive (.npz)"); }

  std::uint64_t u(std::uint64_t at, int bytes) {
    if (at > b_.size() || b_.size() - at < static_cast<std::uint64_t>(bytes)) corrupt();
    std::uint64_t v = 0;
    for (int k = 0; k < bytes; ++k) v |= std::uint64_t(static_cast<unsigned char>(b_[at + k])) << (8 * k);
    return v;
  }

  /// The number of members and the central directory's offset, from the end record (ZIP64 when
  /// its fields are saturated).
  std::pair<std::uint64_t, std::uint64_t> central_directory() {
    if (b_.size() < 22) corrupt();
    // The end record is the last 22 bytes plus a comment of at most 65535 bytes.
    const std::uint64_t lowest = b_.size() > 22 + 65535 ? b_.size() - 22 - 65535 : 0;
    for (std::uint64_t at = b_.size() - 22 + 1; at-- > lowest;) {
      if (u(at, 4) != 0x06054b50) continue;
      std::uint64_t count = u(at + 10, 2), offset = u(at + 16, 4);
      if ((count == 0xffff || offset == 0xffffffff) && at >= 20 && u(at - 20, 4) == 0x07064b50) {
        const std::uint64_t end64 = u(at - 20 + 8, 8);
        if (u(end64, 4) != 0x06064b50) corrupt();
        count = u(end64 + 32, 8);
        offset = u(end64 + 48, 8);
      }
      return {count, offset};
    }
    corrupt();
  }

  Entry entry(std::uint64_t at) {
    if (u(at, 4) != 0x02014b50) corrupt();
    Entry e;
    e.flags = static_cast<unsigned>(u(at + 8, 2));
    e.method = static_cast<unsigned>(u(at + 10, 2));
    e.crc = static_cast<std::uint32_t>(u(at + 16, 4));
    e.compressed = u(at + 20, 4);
    e.size = u(at + 24, 4);
    e.name_len = u(at + 28, 2);
    e.extra_len = u(at + 30, 2);
    e.comment_len = u(at + 32, 2);
    e.local_offset = u(at + 42, 4);
    if (at + 46 + e.name_len > b_.size()) corrupt();
    e.name = std::string(b_.substr(at + 46, e.name_len));
    zip64_sizes(e, at + 46 + e.name_len);
    return e;
  }

  /// Sizes and offset saturated at 0xffffffff are in the ZIP64 extra field (id 1), in this order.
  void zip64_sizes(Entry& e, std::uint64_t extra) {
    for (std::uint64_t at = extra; at + 4 <= extra + e.extra_len;) {
      const std::uint64_t id = u(at, 2), len = u(at + 2, 2);
      std::uint64_t p = at + 4;
      if (id == 1)
        for (std::uint64_t* field : {&e.size, &e.compressed, &e.local_offset})
          if (*field == 0xffffffff && p + 8 <= at + 4 + len) {
            *field = u(p, 8);
            p += 8;
          }
      at += 4 + len;
    }
  }

  std::string contents(const Entry& e) {
    const std::string label = name_ + ":" + e.name;
    if (e.flags & 1) fail(label, "encrypted zip members are not supported");
    if (e.size > kMaxMemberBytes || e.compressed > kMaxMemberBytes) fail(label, "member too large");
    if (u(e.local_offset, 4) != 0x04034b50) corrupt();
    const std::uint64_t start = e.local_offset + 30 + u(e.local_offset + 26, 2) + u(e.local_offset + 28, 2);
    if (start > b_.size() || b_.size() - start < e.compressed) corrupt();
    const std::string_view data = b_.substr(start, e.compressed);
    std::string out;
    if (e.method == 0) {
      if (e.compressed != e.size) corrupt();
      out = std::string(data);
    } else if (e.method == 8) {
      out = inflated(label, data, e.size);
    } else {
      fail(label, "zip compression method " + std::to_string(e.method) + " is not supported (only stored and deflated)");
    }
    const auto crc = crc32(0, reinterpret_cast<const Bytef*>(out.data()), static_cast<uInt>(out.size()));
    if (crc != e.crc) fail(label, "CRC-32 mismatch: the archive is damaged");
    return out;
  }

  /// Raw deflate into exactly `size` bytes: more or less output means a damaged member.
  static std::string inflated(const std::string& label, std::string_view in, std::uint64_t size) {
    std::string out(size, '\0');
    z_stream z{};
    if (inflateInit2(&z, -MAX_WBITS) != Z_OK) fail(label, "zlib could not start inflating");
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(size);
    const int rc = inflate(&z, Z_FINISH);
    const bool ok = rc == Z_STREAM_END && z.total_out == size;
    inflateEnd(&z);
    if (!ok) fail(label, "corrupt deflated data");
    return out;
  }

  const std::string& name_;
  std::string_view b_;
};

}  // namespace

std::map<std::string, std::string> unzip(const std::string& name, std::string_view bytes) {
  return ZipReader(name, bytes).members();
}

}  // namespace certbound::io::detail
