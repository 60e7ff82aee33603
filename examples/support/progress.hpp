#pragma once

// The training examples' progress lines, one style for all: label, epoch, loss, a few
// figures (accuracy, error) and samples/s since construction.
//
// On a terminal every epoch rewrites one line in place, and the line is kept at the
// milestones: the first epoch, every max(1, epochs/10)-th and the last. Elsewhere (logs,
// ctest) every epoch gets a line if there are at most 100, otherwise only the milestones.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <initializer_list>
#include <string>
#include <utility>

#if __has_include(<unistd.h>)
#include <unistd.h>
#endif

namespace examples {

/// A figure printed after the loss: a percentage ("train  97.5 %") or a number ("max error 0.0130").
struct Figure {
    const char* name;
    double value;
    bool is_percent;

    static Figure percent(const char* name, double fraction) { return {name, 100 * fraction, true}; }
    static Figure number(const char* name, double value) { return {name, value, false}; }
};

class Progress {
public:
    Progress(std::string label, std::size_t epochs)
        : label_(std::move(label)),
          epochs_(epochs),
          every_(std::max<std::size_t>(1, epochs / 10)),
          terminal_(stdout_is_terminal()),
          start_(std::chrono::steady_clock::now()) {}

    /// Whether report() prints anything for this epoch, so callers can skip figures nobody sees.
    [[nodiscard]] bool due(std::size_t epoch) const { return terminal_ || epochs_ <= 100 || milestone(epoch); }

    /// True when `run` (a ctnn::TrainingResult) took all its steps; otherwise prints at which
    /// step of `epoch` training stopped, and why (a loss or gradient that was not finite).
    template <class Run>
    bool completed(std::size_t epoch, const Run& run) const {
        if (run.ok()) return true;
        std::printf("%s  epoch %zu: training stopped at step %zu of the epoch: %s\n", label_.c_str(), epoch,
                    run.failed_step(), to_string(run.status));
        return false;
    }

    /// Prints the line for `epoch` (1-based) after `samples` training samples in all.
    void report(std::size_t epoch, double loss, std::initializer_list<Figure> figures, std::size_t samples) {
        if (!due(epoch)) return;
        char line[256];
        std::size_t used = 0;
        // snprintf returns the length it wanted; keep `used` inside the buffer if a line is ever too long.
        auto advance = [&](int n) {
            used = std::min(sizeof line - 1, used + static_cast<std::size_t>(std::max(n, 0)));
        };
        const int digits = std::snprintf(nullptr, 0, "%zu", epochs_);
        advance(std::snprintf(line, sizeof line, "%s  epoch %*zu/%zu  loss ", label_.c_str(), digits, epoch, epochs_));
        advance(number(line + used, sizeof line - used, loss));
        for (const Figure& f : figures) {
            advance(std::snprintf(line + used, sizeof line - used, "  %s ", f.name));
            advance(f.is_percent ? std::snprintf(line + used, sizeof line - used, "%5.1f %%", f.value)
                                 : number(line + used, sizeof line - used, f.value));
        }
        const double rate = static_cast<double>(samples) / std::max(seconds(), 1e-9);
        advance(std::snprintf(line + used, sizeof line - used, " %9.0f samples/s", rate));

        const bool keep = !terminal_ || milestone(epoch);
        if (terminal_) {
            // Spaces over whatever the previous, longer in-place line left behind.
            const int pad = std::max(0, previous_ - static_cast<int>(used));
            std::printf("\r%s%*s", line, pad, "");
            previous_ = keep ? 0 : static_cast<int>(used);
        } else {
            std::fputs(line, stdout);
        }
        if (keep) std::fputc('\n', stdout);
        std::fflush(stdout);
    }

    /// Seconds since construction.
    [[nodiscard]] double seconds() const {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    }

private:
    [[nodiscard]] bool milestone(std::size_t epoch) const {
        return epoch == 1 || epoch % every_ == 0 || epoch == epochs_;
    }

    // %.4f would print late losses and small errors (below 0.01) with one or two digits, so they get an exponent.
    static int number(char* out, std::size_t size, double value) {
        return value == 0 || std::fabs(value) >= 0.01 ? std::snprintf(out, size, "%.4f", value)
                                                      : std::snprintf(out, size, "%.2e", value);
    }

    static bool stdout_is_terminal() {
#if __has_include(<unistd.h>)
        return isatty(fileno(stdout)) != 0;
#else
        return false;
#endif
    }

    std::string label_;
    std::size_t epochs_, every_;
    bool terminal_;
    std::chrono::steady_clock::time_point start_;
    int previous_ = 0;  // length of the line now shown in place, 0 after a newline
};

}  // namespace examples
