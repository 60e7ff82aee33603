// Runs a fuzz target's LLVMFuzzerTestOneInput over kept inputs without libFuzzer, so that the corpus under
// tests/fuzz/corpus/ is a regression suite in every build, with any compiler and any sanitizer:
//
//   ctnn_fuzz_<target>_replay PATH...
//
// Each PATH is a file or a folder, whose regular files are read (not recursively) in name order. An input whose name
// starts with "valid-" must be accepted by the target's parser (ctnn_fuzz::accepted). A broken invariant aborts with
// its message (fuzz_target.hpp). Exit status 0 when every input ran and every valid-* input was accepted.

#include "fuzz/fuzz_target.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

namespace fs = std::filesystem;

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s PATH... (files or folders of inputs)\n", argv[0]);
        return 2;
    }
    std::vector<fs::path> inputs;
    for (int k = 1; k < argc; ++k) {
        const fs::path path = argv[k];
        std::error_code ec;
        if (fs::is_directory(path, ec)) {
            std::vector<fs::path> files;
            for (const fs::directory_entry& entry : fs::directory_iterator(path, ec)) {
                if (entry.is_regular_file()) files.push_back(entry.path());
            }
            std::sort(files.begin(), files.end());
            inputs.insert(inputs.end(), files.begin(), files.end());
        } else if (fs::is_regular_file(path, ec)) {
            inputs.push_back(path);
        } else {
            std::fprintf(stderr, "%s: no such file or folder\n", path.string().c_str());
            return 1;
        }
    }
    if (inputs.empty()) {
        std::fprintf(stderr, "no inputs found\n");
        return 1;
    }

    int rejected_valid = 0;
    for (const fs::path& path : inputs) {
        std::ifstream in(path, std::ios::binary);
        const std::vector<char> chars((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (in.bad()) {
            std::fprintf(stderr, "%s: cannot read\n", path.string().c_str());
            return 1;
        }
        std::printf("%s (%zu bytes)\n", path.string().c_str(), chars.size());
        std::fflush(stdout);  // so that the last input shows above an abort
        ctnn_fuzz::accepted = false;
        LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(chars.data()), chars.size());
        if (path.filename().string().starts_with("valid-") && !ctnn_fuzz::accepted) {
            std::fprintf(stderr, "%s: a valid-* input was not accepted\n", path.string().c_str());
            ++rejected_valid;
        }
    }
    std::printf("%zu inputs replayed, %d valid-* inputs rejected\n", inputs.size(), rejected_valid);
    return rejected_valid == 0 ? 0 : 1;
}
