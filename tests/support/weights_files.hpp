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

}  // namespace ctnn_test
