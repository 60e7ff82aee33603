#pragma once

// Files for the weights-file tests: a temporary directory, reading and writing bytes, and resealing a deliberately
// edited file's CRC-32.

#include <ctnn/io/weights.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <span>
#include <string>
#include <system_error>
#include <vector>

namespace ctnn_test {

namespace fs = std::filesystem;

/// A fresh directory under the system's temporary directory, removed with everything in it.
class TemporaryDirectory {
public:
    TemporaryDirectory() {
        std::random_device device;
        const auto tick = static_cast<unsigned long long>(std::chrono::steady_clock::now().time_since_epoch().count());
        for (int attempt = 0;; ++attempt) {
            path_ = fs::temp_directory_path() /
                    ("ctnn_weights_test_" + std::to_string(tick) + '_' + std::to_string(device()));
            std::error_code ec;
            if (fs::create_directory(path_, ec)) break;
            REQUIRE(attempt < 100);
        }
    }
    ~TemporaryDirectory() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    TemporaryDirectory(const TemporaryDirectory&) = delete;
    TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;

    [[nodiscard]] fs::path operator/(const std::string& name) const { return path_ / name; }
    [[nodiscard]] const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

inline std::vector<std::byte> read_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    const std::vector<char> chars((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<std::byte> bytes(chars.size());
    std::memcpy(bytes.data(), chars.data(), chars.size());
    return bytes;
}

inline void write_bytes(const fs::path& path, std::span<const std::byte> bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    REQUIRE(out.good());
}

/// Recomputes the trailing CRC-32 after a deliberate edit, so that only the edit is wrong.
inline void reseal(std::vector<std::byte>& bytes) {
    const std::uint32_t crc = ctnn::io::detail::crc32(std::span<const std::byte>(bytes).first(bytes.size() - 4));
    for (std::size_t k = 0; k < 4; ++k) bytes[bytes.size() - 4 + k] = static_cast<std::byte>((crc >> (8 * k)) & 0xFF);
}

/// Checks that a weights file is refused, with the network left unchanged, for the faults of any network's file: every
/// truncation (past the magic: truncated or checksum_mismatch), every flipped bit, another format version (2 for a
/// version-1 file, which only quantized networks with FixedPointRequantizer read, and 3: unsupported_version), a count
/// field one less (parameter_count_mismatch), bytes after the checksum and a wrong magic (not_a_weights_file).
/// `load(bytes)` loads `bytes` into a copy of a network, REQUIREs that a failure leaves the copy unchanged and names
/// the file, and returns the Status.
template <class Load>
void check_refuses_faults(const std::vector<std::byte>& bytes, Load load) {
    using Kind = ctnn::io::Status::Kind;
    for (std::size_t n = 0; n < bytes.size(); ++n) {
        const ctnn::io::Status status = load(std::span<const std::byte>(bytes).first(n));
        INFO(n << " bytes: " << status.message());
        REQUIRE(!status);
        if (n >= 8) REQUIRE((status.kind() == Kind::truncated || status.kind() == Kind::checksum_mismatch));
    }
    for (std::size_t bit = 0; bit < 8 * bytes.size(); ++bit) {
        std::vector<std::byte> flipped = bytes;
        flipped[bit / 8] ^= static_cast<std::byte>(1u << (bit % 8));
        const ctnn::io::Status status = load(flipped);
        INFO("bit " << bit << ": " << status.message());
        REQUIRE(!status);
    }
    const auto expect = [&](std::vector<std::byte> edited, Kind kind, bool resealed = true) {
        if (resealed) reseal(edited);
        const ctnn::io::Status status = load(edited);
        INFO(status.message());
        CHECK(status.kind() == kind);
        return status.message();
    };
    std::vector<std::byte> edited = bytes;
    for (const std::byte version : {std::byte{2}, std::byte{3}}) {
        if (version == bytes[8]) continue;
        edited[8] = version;
        expect(edited, Kind::unsupported_version);
    }
    const std::size_t count_at = 20 + static_cast<std::size_t>(std::to_integer<unsigned>(bytes[16]) +
                                                               (std::to_integer<unsigned>(bytes[17]) << 8));
    std::uint64_t count = 0;
    for (std::size_t k = 0; k < 8; ++k) count |= std::to_integer<std::uint64_t>(bytes[count_at + k]) << (8 * k);
    edited = bytes;
    for (std::size_t k = 0; k < 8; ++k) edited[count_at + k] = static_cast<std::byte>(((count - 1) >> (8 * k)) & 0xFF);
    expect(edited, Kind::parameter_count_mismatch);
    edited = bytes;
    edited.insert(edited.end(), 6, std::byte{0});
    expect(edited, Kind::not_a_weights_file);
    edited = bytes;
    edited[5] = std::byte{'X'};
    expect(edited, Kind::not_a_weights_file, false);
}

}  // namespace ctnn_test
