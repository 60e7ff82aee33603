// A network with a layer of 2^20 units, whose forward pass alone needs 8 MiB of buffers (Linux's whole default
// stack), runs forward, loss, backward and predict_class in a thread with a 64 KiB stack (the least a thread may have
// where that is more: 128 KiB on AArch64) when the caller provides the
// buffers: a ctnn::Workspace and ctnn::Gradients on the heap, the network itself in static storage. The results are
// compared with a computation in double that shares nothing with ctnn but the canonical parameter order. As a control,
// forward(x) without a workspace, in the same kind of thread, must overflow that stack.
//
// No Catch2: Catch2's assertions are not thread-safe, and the checks here run after the thread has been joined.
#include <ctnn/ctnn.hpp>
#include <ctnn/data/metrics.hpp>

#include "support/expect.hpp"

#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <pthread.h>
#include <unistd.h>
#include <vector>

namespace {

using ctnn_test::expect;

constexpr std::size_t units = std::size_t{1} << 20;
using Wide = ctnn::Network<float, ctnn::Input<1>, ctnn::Dense<units, ctnn::ReLU>, ctnn::Dense<1, ctnn::Linear>>;
// The test thread's stack: 64 KiB, or the system's least stack where that is more (128 KiB on AArch64 Linux).
constexpr std::size_t small_stack_bytes = 64 * 1024;
constexpr std::size_t samples = 3;

static_assert(Wide::forward_stack_bytes == 2 * units * sizeof(float), "two rows of 2^20 floats");
static_assert(Wide::forward_stack_bytes > 100 * small_stack_bytes &&
                  Wide::backward_stack_bytes > 100 * small_stack_bytes,
              "without a workspace, the calls below could not run in the test's thread");

std::size_t thread_stack_bytes() {
    const long least = sysconf(_SC_THREAD_STACK_MIN);
    return std::max(small_stack_bytes, least > 0 ? static_cast<std::size_t>(least) : std::size_t{0});
}

Wide net;  // 24 MiB or more of parameters: static storage, never the stack

// What the thread computes, with the buffers it works in.
struct Job {
    std::array<Wide::input_type, samples> inputs{};
    std::array<Wide::output_type, samples> targets{};
    std::unique_ptr<ctnn::Workspace<Wide>> workspace = std::make_unique<ctnn::Workspace<Wide>>();
    std::unique_ptr<ctnn::Gradients<Wide>> gradients = std::make_unique<ctnn::Gradients<Wide>>();

    std::array<Wide::output_type, samples> one{};    // forward(x, workspace), sample by sample
    std::array<Wide::output_type, samples> batch{};  // forward(inputs, outputs, workspace)
    std::array<std::size_t, samples> classes{};      // data::predict_class(net, x, workspace)
    float loss = 0;                                  // ctnn::loss(..., workspace)
    float backward_loss = 0;                         // ctnn::backward(..., workspace)
};

void* run_with_workspace(void* argument) {
    Job& job = *static_cast<Job*>(argument);
    for (std::size_t s = 0; s < samples; ++s) {
        job.one[s] = net.forward(job.inputs[s], *job.workspace);
        job.classes[s] = ctnn::data::predict_class(net, job.inputs[s], *job.workspace);
    }
    net.forward(job.inputs, job.batch, *job.workspace);
    job.loss = ctnn::loss<ctnn::MeanSquaredError>(net, job.inputs, job.targets, *job.workspace);
    job.backward_loss =
        ctnn::backward<ctnn::MeanSquaredError>(net, job.inputs, job.targets, *job.gradients, *job.workspace);
    return nullptr;
}

void* run_on_the_stack(void* argument) {
    Job& job = *static_cast<Job*>(argument);
    job.one[0] = net.forward(job.inputs[0]);
    return nullptr;
}

// Runs `body(job)` in a thread with a stack of thread_stack_bytes() (and a guard page below it).
bool run_in_small_thread(void* (*body)(void*), Job& job) {
    pthread_attr_t attributes;
    pthread_t thread;
    bool ok = pthread_attr_init(&attributes) == 0 &&
              pthread_attr_setstacksize(&attributes, thread_stack_bytes()) == 0 &&
              pthread_create(&thread, &attributes, body, &job) == 0;
    pthread_attr_destroy(&attributes);
    return ok && pthread_join(thread, nullptr) == 0;
}

// The canonical parameters: w1 (units), b1 (units), w2 (units), b2. All w2 are positive and the hidden units are
// ReLUs, so the output is a sum of non-negative terms, which float sums to a few units in 1e5 of its value.
std::vector<float> make_parameters() {
    ctnn::Random random(11);
    std::vector<float> p(Wide::parameter_count);
    for (std::size_t j = 0; j < units; ++j) {
        p[j] = random.uniform<float>(-1, 1);                                               // w1[j]
        p[units + j] = random.uniform<float>(-0.5f, 0.5f);                                 // b1[j]
        p[2 * units + j] = random.uniform<float>(0.5f, 1.5f) / static_cast<float>(units);  // w2[j]
    }
    p[3 * units] = 0.25f;  // b2
    return p;
}

struct Reference {
    std::array<double, samples> y{};
    double loss = 0;
    std::vector<double> gradient;  // canonical order
};

// Mean over the batch of 1/2 (y - t)^2 and its gradient, in double, by the chain rule written out for this topology.
Reference reference(const std::vector<float>& p, const Job& job) {
    Reference r;
    r.gradient.assign(p.size(), 0.0);
    for (std::size_t s = 0; s < samples; ++s) {
        const double x = job.inputs[s][0];
        double y = p[3 * units];
        for (std::size_t j = 0; j < units; ++j) y += double(p[2 * units + j]) * std::max(0.0, p[j] * x + p[units + j]);
        r.y[s] = y;
        const double dy = (y - job.targets[s][0]) / samples;
        r.loss += 0.5 * (y - job.targets[s][0]) * (y - job.targets[s][0]) / samples;
        for (std::size_t j = 0; j < units; ++j) {
            const double z = p[j] * x + p[units + j];
            const double active = z > 0 ? 1.0 : 0.0;
            r.gradient[j] += dy * p[2 * units + j] * active * x;      // dL/dw1[j]
            r.gradient[units + j] += dy * p[2 * units + j] * active;  // dL/db1[j]
            r.gradient[2 * units + j] += dy * std::max(0.0, z);       // dL/dw2[j]
        }
        r.gradient[3 * units] += dy;  // dL/db2
    }
    return r;
}

bool close(double value, double expected, double relative) {
    return std::fabs(value - expected) <= relative * std::max(std::fabs(expected), 1e-30);
}

// Forks, runs forward(x) without a workspace in a small thread in the child, and tells whether the child died (by a
// signal, or through a sanitizer's report and exit code) rather than returning.
bool stack_forward_overflows(Job& job) {
    std::fflush(stdout);
    const pid_t child = fork();
    if (child < 0) return false;
    if (child == 0) {
        // The child's only output would be the crash report of a sanitizer.
        std::freopen("/dev/null", "w", stderr);
        _exit(run_in_small_thread(run_on_the_stack, job) ? 0 : 2);
    }
    int status = 0;
    if (waitpid(child, &status, 0) != child) return false;
    if (WIFSIGNALED(status)) {
        std::printf("control: forward(x) without a workspace killed the child (signal %d)\n", WTERMSIG(status));
        return true;
    }
    std::printf("control: forward(x) without a workspace: child exit status %d\n", WEXITSTATUS(status));
    return WEXITSTATUS(status) != 0 && WEXITSTATUS(status) != 2;
}

}  // namespace

int main() {
    const std::vector<float> parameters = make_parameters();
    net.write_parameters(std::span<const float, Wide::parameter_count>(parameters.data(), parameters.size()));

    auto job = std::make_unique<Job>();
    job->inputs = {{{0.75f}, {-1.25f}, {2.0f}}};
    job->targets = {{{-1.0f}, {0.5f}, {3.0f}}};

    std::printf("a thread with a stack of %zu KiB; forward(x) alone would keep %zu KiB there\n",
                thread_stack_bytes() / 1024, Wide::forward_stack_bytes / 1024);
    expect(16 * thread_stack_bytes() <= Wide::forward_stack_bytes,
           "the thread's stack is far too small for forward(x)");
    expect(run_in_small_thread(run_with_workspace, *job), "the thread with a small stack ran");
    const Reference r = reference(parameters, *job);

    // Sums of 2^20 float products: the float result is within 1e-4 of the double one (random rounding errors grow
    // with the square root of the count, about 1e-5 here; a unit left out or counted twice moves it far more).
    for (std::size_t s = 0; s < samples; ++s) {
        std::printf("sample %zu: y = %.7f (reference %.7f), batch %.7f\n", s, double(job->one[s][0]), r.y[s],
                    double(job->batch[s][0]));
        expect(close(job->one[s][0], r.y[s], 1e-4), "forward(x, workspace) agrees with the reference");
        expect(close(job->batch[s][0], r.y[s], 1e-4), "the batch forward with a workspace agrees with the reference");
        expect(job->classes[s] == (r.y[s] >= 0.5 ? 1u : 0u), "predict_class(net, x, workspace) thresholds y at 0.5");
    }
    std::printf("loss %.7f, backward's loss %.7f (reference %.7f)\n", double(job->loss), double(job->backward_loss),
                r.loss);
    expect(close(job->loss, r.loss, 2e-4), "loss(..., workspace) agrees with the reference");
    expect(close(job->backward_loss, r.loss, 2e-4), "backward(..., workspace) returns the reference loss");

    // Every gradient, against the reference, relative to the largest gradient of its block (w1, b1, w2, b2).
    std::vector<float> gradient(Wide::parameter_count);
    job->gradients->read(std::span<float, Wide::parameter_count>(gradient.data(), gradient.size()));
    const char* blocks[] = {"dL/dw1", "dL/db1", "dL/dw2", "dL/db2"};
    for (std::size_t b = 0; b < 4; ++b) {
        const std::size_t first = b * units, last = b == 3 ? first + 1 : first + units;
        double scale = 0, worst = 0;
        for (std::size_t k = first; k < last; ++k) scale = std::max(scale, std::fabs(r.gradient[k]));
        for (std::size_t k = first; k < last; ++k) worst = std::max(worst, std::fabs(gradient[k] - r.gradient[k]));
        std::printf("%s: largest %.3e, worst error %.3e\n", blocks[b], scale, worst);
        expect(scale > 0 && worst <= 2e-4 * scale, "backward's gradient agrees with the reference");
    }

    expect(stack_forward_overflows(*job), "forward(x) without a workspace overflows the thread's stack");

    return ctnn_test::summary();
}
