// Universal approximation: one hidden layer of tanh units and a linear output fitted to
// sin(x) on [-pi, pi]. The error falls as the hidden layer widens; the program prints the
// progress of training and then the mean squared and the largest error on a fine grid for
// each width, and exits non-zero unless the widest network's largest error is below 0.02.
#include <ctnn/ctnn.hpp>

#include "support/progress.hpp"

#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <vector>

namespace {

using namespace ctnn;
constexpr float pi = 3.14159265358979f;

struct Fit {
    double mean_squared, largest;
};

template <std::size_t Width>
Fit fit_sine() {
    using Net = Network<float, Input<1>, Dense<Width, Tanh>, Dense<1, Linear>>;
    Net net;
    Random random(Width);
    init::normal_inverse_fan_in(net, random);
    // Inputs scaled to [-1, 1]; 256 evenly spaced training points.
    std::vector<typename Net::input_type> xs(256);
    std::vector<typename Net::output_type> ts(256);
    for (std::size_t i = 0; i < xs.size(); ++i) {
        const float x = -1 + 2 * static_cast<float>(i) / static_cast<float>(xs.size() - 1);
        xs[i] = {x};
        ts[i] = {std::sin(pi * x)};
    }
    Trainer<Net, MeanSquaredError, Adam<ExponentialDecay>> trainer(net, {.learning_rate = {0.02, 0.9995}});
    auto largest_train_error = [&] {
        double largest = 0;
        for (std::size_t i = 0; i < xs.size(); ++i)
            largest = std::fmax(largest, std::fabs(net.forward(xs[i])[0] - ts[i][0]));
        return largest;
    };
    char label[16];
    std::snprintf(label, sizeof label, "width %2zu", Width);
    constexpr std::size_t epochs = 1500;
    examples::Progress progress(label, epochs);
    float loss = 0;
    for (std::size_t epoch = 1; epoch <= epochs; ++epoch) {
        const auto run = trainer.train_epoch(xs, ts, 32);
        constexpr double inf = std::numeric_limits<double>::infinity();
        if (!progress.completed(epoch, run)) return {inf, inf};  // the exit test then fails
        loss = run.loss;
        // The training points' largest error, the figure the exit test checks on a finer grid.
        if (progress.due(epoch))
            progress.report(epoch, loss, {examples::Figure::number("train max error", largest_train_error())},
                            epoch * xs.size());
    }
    const double seconds = progress.seconds();

    Fit fit{0, 0};
    const int grid = 2001;
    for (int i = 0; i < grid; ++i) {
        const float x = -1 + 2 * static_cast<float>(i) / (grid - 1);
        const double error = std::fabs(net.forward({x})[0] - std::sin(pi * x));
        fit.mean_squared += error * error / grid;
        fit.largest = std::fmax(fit.largest, error);
    }
    std::printf("width %3zu  %4zu parameters  final loss %.2e  mse %.2e  max error %.4f  %9.0f samples/s\n", Width,
                Net::parameter_count, static_cast<double>(loss), fit.mean_squared, fit.largest,
                static_cast<double>(epochs * xs.size()) / seconds);
    return fit;
}

}  // namespace

int main() {
    std::printf("fitting sin(x) on [-pi, pi] with one hidden layer of tanh units\n");
    fit_sine<1>();
    fit_sine<2>();
    fit_sine<4>();
    fit_sine<8>();
    const Fit widest = fit_sine<16>();
    std::printf("universality: width 16 reaches a largest error of %.4f (needs < 0.02)\n", widest.largest);
    return widest.largest < 0.02 ? 0 : 1;
}
