// Thread safety, as the README states it:
//   - several threads use one shared `const` network at once: forward(x), the batch forward, forward(x, workspace),
//     loss without a workspace, and backward into gradients and a workspace of their own;
//   - Trainer instances on separate networks train in parallel (Adam on minibatches, and SGD one random sample at a
//     time, with RReLU slopes drawn by each trainer's generator), reading one shared const dataset.
// Every result must equal, bit for bit, the same work done first by the main thread alone. Built like every test
// (ctest label `threads`), and by tools/tsan with -fsanitize=thread, which must report no race.
//
// `thread_safety_test --race` is tools/tsan's negative control, never a test: a Trainer updates the shared network
// while the other threads read it, a data race that ThreadSanitizer must report (tools/tsan expects the run to fail).
//
// No Catch2: its assertions are not thread-safe; the threads only compute, and the main thread compares.
#include <ctnn/ctnn.hpp>

#include "support/expect.hpp"

#include <array>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <latch>
#include <memory>
#include <string_view>
#include <thread>
#include <vector>

namespace {

using ctnn_test::expect;

using Net = ctnn::Network<float, ctnn::Input<6>, ctnn::Dense<24, ctnn::RReLU>, ctnn::Dense<12, ctnn::Tanh>,
                          ctnn::Dense<3, ctnn::Softmax>>;
using Loss = ctnn::CategoricalCrossEntropy;
using Input = Net::input_type;
using Output = Net::output_type;

constexpr std::size_t samples = 96;
constexpr std::size_t readers = 4;  // threads sharing the const network
constexpr std::size_t trainers = 2;
constexpr int rounds = 10;  // each reader's passes over the data, so that the threads' work overlaps in time

template <class A>
bool same_bits(const A& a, const A& b) {
    return std::memcmp(&a, &b, sizeof(A)) == 0;
}

struct Data {
    std::vector<Input> inputs = std::vector<Input>(samples);
    std::vector<Output> targets = std::vector<Output>(samples);
};

Data make_data() {
    Data data;
    ctnn::Random random(3);
    for (std::size_t s = 0; s < samples; ++s) {
        for (auto& v : data.inputs[s]) v = random.normal<float>();
        data.targets[s][random.below(Net::output_size)] = 1;
    }
    return data;
}

// What a reader computes with the shared network: every value it returns or writes.
struct ReaderResult {
    std::vector<Output> one = std::vector<Output>(samples);      // forward(x)
    std::vector<Output> batch = std::vector<Output>(samples);    // forward(inputs, outputs)
    std::vector<Output> through = std::vector<Output>(samples);  // forward(x, workspace)
    float loss = 0;                                              // loss(net, inputs, targets)
    float backward_loss = 0;                                     // backward(..., gradients, workspace)
    std::unique_ptr<ctnn::Gradients<Net>> gradients = std::make_unique<ctnn::Gradients<Net>>();
};

void read_shared(const Net& net, const Data& data, ReaderResult& r) {
    auto workspace = std::make_unique<ctnn::Workspace<Net>>();
    for (std::size_t s = 0; s < samples; ++s) r.one[s] = net.forward(data.inputs[s]);
    net.forward(data.inputs, r.batch);
    for (std::size_t s = 0; s < samples; ++s) r.through[s] = net.forward(data.inputs[s], *workspace);
    r.loss = ctnn::loss<Loss>(net, data.inputs, data.targets);
    r.backward_loss = ctnn::backward<Loss>(net, data.inputs, data.targets, *r.gradients, *workspace);
}

bool same_result(const ReaderResult& a, const ReaderResult& b) {
    bool same = a.one.size() == b.one.size() && a.batch.size() == b.batch.size();
    for (std::size_t s = 0; same && s < samples; ++s) {
        same =
            same_bits(a.one[s], b.one[s]) && same_bits(a.batch[s], b.batch[s]) && same_bits(a.through[s], b.through[s]);
    }
    return same && same_bits(a.loss, b.loss) && same_bits(a.backward_loss, b.backward_loss) &&
           same_bits(*a.gradients, *b.gradients);
}

// A network trained from `initial` by trainer `k`: Adam on minibatches for even k, SGD one random sample at a time
// (the fused step) for odd k, with the trainer's own seed (RReLU slopes, sample picks).
// Returns whether every step was taken (none refused as diverging).
bool train(const Net& initial, const Data& data, std::size_t k, Net& net) {
    net = initial;
    if (k % 2 == 0) {
        auto trainer = std::make_unique<ctnn::Trainer<Net, Loss, ctnn::Adam<>>>(net, ctnn::Adam<>{}, 100 + k);
        bool ok = true;
        for (int epoch = 0; epoch < 3; ++epoch) ok = trainer->train_epoch(data.inputs, data.targets, 16) && ok;
        return ok;
    }
    auto trainer = std::make_unique<ctnn::Trainer<Net, Loss, ctnn::SGD<>>>(net, ctnn::SGD<>{}, 100 + k);
    return bool(trainer->train_random_samples(data.inputs, data.targets, 3 * samples));
}

}  // namespace

int main(int argc, char** argv) {
    const bool race = argc > 1 && std::string_view(argv[1]) == "--race";
    const Data data = make_data();
    auto shared_storage = std::make_unique<Net>();
    ctnn::Random random(7);
    ctnn::init::normal_inverse_fan_in(*shared_storage, random);
    const Net& shared = *shared_storage;

    // The main thread alone first: what every thread must reproduce.
    ReaderResult expected_reader;
    read_shared(shared, data, expected_reader);
    std::vector<Net> expected_trained(trainers);
    for (std::size_t k = 0; k < trainers; ++k) {
        expect(train(shared, data, k, expected_trained[k]), "training on one thread took every step");
    }

    std::vector<ReaderResult> reader_results(readers);
    std::vector<char> reader_agrees(readers, 1);  // every round's results were the main thread's
    std::vector<Net> trained(trainers);
    std::latch start(static_cast<std::ptrdiff_t>(readers + trainers + (race ? 1 : 0)));
    {
        std::vector<std::jthread> threads;
        for (std::size_t t = 0; t < readers; ++t) {
            threads.emplace_back([&, t] {
                start.arrive_and_wait();
                for (int r = 0; r < rounds; ++r) {
                    read_shared(shared, data, reader_results[t]);
                    reader_agrees[t] = reader_agrees[t] && same_result(reader_results[t], expected_reader);
                }
            });
        }
        for (std::size_t k = 0; k < trainers; ++k) {
            threads.emplace_back([&, k] {
                start.arrive_and_wait();
                train(shared, data, k, trained[k]);
            });
        }
        if (race) {
            // The negative control: writes to the network the readers are reading, with nothing to order them.
            threads.emplace_back([&] {
                start.arrive_and_wait();
                ctnn::Trainer<Net, Loss> trainer(*shared_storage);
                (void)trainer.train_random_samples(data.inputs, data.targets, samples);  // only its writes matter
            });
        }
    }  // the jthreads join here
    if (race) {
        std::printf("--race: finished without a report (only a -fsanitize=thread build reports the race)\n");
        return 0;
    }

    for (std::size_t t = 0; t < readers; ++t) {
        expect(reader_agrees[t] != 0,
               "a thread sharing the const network computes what the main thread computed alone, bit for bit");
    }
    for (std::size_t k = 0; k < trainers; ++k) {
        expect(same_bits(trained[k], expected_trained[k]),
               "a Trainer in its own thread trains its network as the main thread did alone, bit for bit");
        expect(!same_bits(trained[k], shared), "training changed the network");
    }
    expect(!same_bits(trained[0], trained[1]), "the two trainers trained differently");
    std::printf("%zu threads reading one const network (%d rounds each), %zu trainers in parallel\n", readers, rounds,
                trainers);
    return ctnn_test::summary();
}
