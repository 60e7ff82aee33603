// Fuzz target for the weights-file loaders (ctnn/io/weights.hpp, ctnn/io/quantized_weights.hpp for quantized
// networks, ctnn/io/weights16.hpp for networks of bfloat16 and binary16 weights). Every input is loaded into each
// network of weights_networks.hpp twice over: as it is, and resealed (its last 4 bytes replaced by the CRC-32 of the
// rest), since almost every mutation breaks the checksum and the checks behind it would otherwise go unexplored. Each
// of those is loaded from memory (from_weights_bytes) and from a file (load), and these must hold:
//
// - an accepted input saves back to the same bytes (to_weights_bytes), so nothing in a file goes unchecked; but a
//   version-1 file of a quantized network that keeps no weight scales saves as version 2, without them: 4 bytes a unit
//   shorter, and loading back to the same parameters;
// - a rejected input leaves the network's parameters as they were, bit for bit, and its message names the file;
// - bytes that do not start with the magic are not_a_weights_file, a wrong checksum is never accepted, and an intact
//   checksum is never reported as checksum_mismatch;
// - no two networks accept the same bytes (their topology texts differ);
// - load() from a file and from_weights_bytes() from the same bytes accept alike and leave the same parameters; for
//   inputs no longer than what load() keeps in memory they give the same kind and message too.

#include <ctnn/io/quantized_weights.hpp>
#include <ctnn/io/weights.hpp>
#include <ctnn/io/weights16.hpp>

#include "fuzz/fuzz_target.hpp"
#include "fuzz/weights_networks.hpp"
#include "support/parameter_bits.hpp"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <span>
#include <string>
#include <system_error>
#include <vector>

namespace {

using ctnn::io::Status;
using Kind = Status::Kind;

using ctnn_test::parameter_bits;

/// The file load() reads: one per process (libFuzzer's -jobs run several), removed at exit. It is rewritten for every
/// input, so it lives in memory (/dev/shm) unless TMPDIR says otherwise: on a disk, ext4 flushes a file that is
/// truncated and rewritten when it is closed, which made the target several times slower.
class ScratchFile {
public:
    ScratchFile() {
        std::error_code ec;
        const std::filesystem::path shm = "/dev/shm";
        const std::filesystem::path folder = std::getenv("TMPDIR") == nullptr && std::filesystem::is_directory(shm, ec)
                                                 ? shm
                                                 : std::filesystem::temp_directory_path();
        std::random_device device;
        const auto tick = std::chrono::steady_clock::now().time_since_epoch().count();
        path_ = folder / ("ctnn_weights_fuzz_" + std::to_string(tick) + '_' + std::to_string(device()) + ".ctnn");
    }
    ~ScratchFile() {
        std::error_code ignored;
        std::filesystem::remove(path_, ignored);
    }
    ScratchFile(const ScratchFile&) = delete;
    ScratchFile& operator=(const ScratchFile&) = delete;

    void write(std::span<const std::byte> bytes) const {
        std::ofstream out(path_, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
        out.close();
        CTNN_FUZZ_CHECK(!out.fail(), "the scratch file for load() could not be written");
    }
    [[nodiscard]] const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

const ScratchFile& scratch() {
    static const ScratchFile file;
    return file;
}

/// A float network's parameters, a quantized network's every byte (it has no padding: storage_bytes), or a 16-bit
/// network's weight patterns and float parameters, as bytes that see NaN payloads and signed zeros.
template <class Net>
std::vector<std::byte> state_bits(const Net& net) {
    if constexpr (ctnn::io::QuantizedNetworkType<Net>) {
        static_assert(sizeof(Net) == Net::storage_bytes);
        std::vector<std::byte> bits(sizeof(Net));
        std::memcpy(bits.data(), &net, sizeof(Net));
        return bits;
    } else {
        return parameter_bits(net);
    }
}

/// Whether an accepted input `bytes` saves back as `saved` (see the invariants above).
template <class Net>
bool saves_back(std::span<const std::byte> bytes, const std::vector<std::byte>& saved) {
    if (std::ranges::equal(saved, bytes)) return true;
    if constexpr (ctnn::io::QuantizedNetworkType<Net>) {
        using ctnn::io::detail::quantized_weights_layout;
        const bool version_1_without_scales = !Net::template layer_type<0>::has_weight_scales &&
                                              ctnn::io::detail::read_little_endian<std::uint32_t>(bytes, 8) == 1;
        if (!version_1_without_scales || bytes.size() != quantized_weights_layout<Net>(1).file_size() ||
            saved.size() != quantized_weights_layout<Net>(2).file_size()) {
            return false;
        }
        Net from_input, reloaded;
        return ctnn::io::from_weights_bytes(from_input, bytes).ok() &&
               ctnn::io::from_weights_bytes(reloaded, saved).ok() && state_bits(from_input) == state_bits(reloaded);
    }
    return false;
}

/// Loads `bytes` (also written to scratch()) into `Net` from memory and from the file; checks the invariants above.
/// Returns whether the load succeeded.
template <class Net>
bool check_load(std::span<const std::byte> bytes) {
    const std::string name = scratch().path().string();
    const Net original = ctnn_fuzz::patterned_network<Net>(1.0f / 3.0f, false);
    const std::vector<std::byte> original_bits = state_bits(original);

    Net from_memory = original;
    const Status status = ctnn::io::from_weights_bytes(from_memory, bytes, name);
    CTNN_FUZZ_CHECK(status.ok() == (status.kind() == Kind::ok) && static_cast<bool>(status) == status.ok(),
                    "Status::ok(), operator bool and kind() disagree");
    CTNN_FUZZ_CHECK(ctnn::io::to_string(status.kind()) != "unknown", "a Status kind without a name");

    const bool checksum_intact =
        bytes.size() >= 4 && ctnn::io::detail::crc32(bytes.first(bytes.size() - 4)) ==
                                 ctnn::io::detail::read_little_endian<std::uint32_t>(bytes, bytes.size() - 4);
    const std::size_t magic_seen = std::min(bytes.size(), ctnn::io::weights_magic.size());
    const bool magic_agrees = std::equal(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(magic_seen),
                                         ctnn::io::weights_magic.begin());
    if (status) {
        CTNN_FUZZ_CHECK(status.message() == "ok", "a successful load has a message other than \"ok\"");
        CTNN_FUZZ_CHECK(saves_back<Net>(bytes, ctnn::io::to_weights_bytes(from_memory)),
                        "an accepted weights file saves back to other bytes");
        CTNN_FUZZ_CHECK(checksum_intact, "a weights file with a wrong checksum was accepted");
    } else {
        CTNN_FUZZ_CHECK(state_bits(from_memory) == original_bits, "a failed load changed the network");
        CTNN_FUZZ_CHECK(status.message().find(name) != std::string::npos, "a failure's message does not name the file");
        CTNN_FUZZ_CHECK(magic_agrees || status.kind() == Kind::not_a_weights_file,
                        "bytes without the magic are not reported as not_a_weights_file");
        CTNN_FUZZ_CHECK(!checksum_intact || status.kind() != Kind::checksum_mismatch,
                        "an intact checksum is reported as checksum_mismatch");
    }

    Net from_file = original;
    const Status file_status = ctnn::io::load(from_file, scratch().path());
    CTNN_FUZZ_CHECK(file_status.ok() == status.ok(), "load() and from_weights_bytes() disagree about acceptance");
    CTNN_FUZZ_CHECK(state_bits(from_file) == state_bits(from_memory),
                    "load() and from_weights_bytes() leave different parameters");
    // load() keeps only this much of a file in memory, so past it the reason for a rejection may differ.
    if (bytes.size() <= ctnn::io::detail::weights_layout_of<Net>().file_size() + 4096) {
        CTNN_FUZZ_CHECK(file_status.kind() == status.kind(), "load() and from_weights_bytes() give different kinds");
        CTNN_FUZZ_CHECK(file_status.message() == status.message(),
                        "load() and from_weights_bytes() give different messages");
    }
    return status.ok();
}

/// Runs check_load for every network; returns whether one accepted.
bool check_all(std::span<const std::byte> bytes) {
    scratch().write(bytes);
    int accepted = 0;
    ctnn_fuzz::for_each_weights_network(
        [&]<class Net>(ctnn_fuzz::named_network<Net>) { accepted += check_load<Net>(bytes) ? 1 : 0; });
    CTNN_FUZZ_CHECK(accepted <= 1, "two networks of different topologies accepted the same bytes");
    return accepted == 1;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
    bool accepted = check_all(bytes);
    if (size >= 4) {
        std::vector<std::byte> resealed(bytes.begin(), bytes.end());
        const std::uint32_t crc = ctnn::io::detail::crc32(std::span<const std::byte>(resealed).first(size - 4));
        for (std::size_t k = 0; k < 4; ++k) resealed[size - 4 + k] = static_cast<std::byte>((crc >> (8 * k)) & 0xFFu);
        if (!std::ranges::equal(resealed, bytes)) accepted = check_all(resealed) || accepted;
    }
    ctnn_fuzz::accepted = accepted;
    return 0;
}
