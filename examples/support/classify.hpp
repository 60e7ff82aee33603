#pragma once

// The shared loop of the classification examples: load a CSV data set, split it 75/25
// (stratified), standardise the inputs on the training part, train with Adam in shuffled
// minibatches while reporting loss, accuracies and samples/s (support/progress.hpp), then
// print the confusion matrix on the test part and return its accuracy.

#include <ctnn/ctnn.hpp>
#include <ctnn/data.hpp>
#include <ctnn/io/csv.hpp>

#include "support/progress.hpp"

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace examples {

/// The project's examples/data/<name>, whether run from the root or from the build tree.
inline std::string data_file(const char* name) {
#ifdef CTNN_SOURCE_DIR
    return std::string(CTNN_SOURCE_DIR) + "/examples/data/" + name;
#else
    return std::string("examples/data/") + name;
#endif
}

struct Outcome {
    double test_accuracy = 0;
    double seconds = 0;
};

template <class Net>
std::optional<Outcome> classify(const char* file, std::size_t epochs, std::size_t batch_size, double learning_rate,
                                std::uint64_t seed, const std::vector<std::string>& class_names = {}) {
    using namespace ctnn;
    using T = typename Net::value_type;
    constexpr std::size_t inputs = Net::input_size, classes = Net::output_size;

    auto table = io::read_csv<T>(data_file(file));
    if (!table) {
        std::fprintf(stderr, "%s\n", table.error().message().c_str());
        return std::nullopt;
    }
    if (table.value().has_header()) {  // say so: a header is a line that is not a sample
        std::string names;
        for (const std::string& name : table.value().header) names += (names.empty() ? "" : ",") + name;
        std::printf("%s: line %zu read as a header: %s\n", file, table.value().header_line, names.c_str());
    }
    auto all = data::from_table<inputs, classes>(table.value());
    if (!all) {
        std::fprintf(stderr, "%s\n", all.error().message().c_str());
        return std::nullopt;
    }
    Random random(seed);
    auto [train, test] = data::split(all.value(), 0.75, random);
    data::Standardizer scaler(train);
    scaler.apply(train);
    scaler.apply(test);
    std::printf("%s: %zu samples of %zu values, %zu classes; %zu to train, %zu to test\n", file, all.value().size(),
                inputs, classes, train.size(), test.size());

    static Net net;  // static: a large network does not belong on the stack
    init::normal_inverse_fan_in(net, random);
    static Trainer<Net, CategoricalCrossEntropy, Adam<>> trainer(net, {.learning_rate = {learning_rate}}, seed);

    const std::string name(file);
    Progress progress(name.substr(0, name.rfind('.')), epochs);
    for (std::size_t epoch = 1; epoch <= epochs; ++epoch) {
        data::shuffle(train, random);
        const auto run = trainer.train_epoch(train.inputs, train.targets, batch_size);
        if (!progress.completed(epoch, run)) return std::nullopt;
        if (progress.due(epoch))
            progress.report(epoch, static_cast<double>(run.loss),
                            {Figure::percent("train", data::accuracy(net, train)),
                             Figure::percent("test", data::accuracy(net, test))},
                            epoch * train.size());
    }
    const double seconds = progress.seconds();
    const auto confusion = data::confusion_matrix(net, test);
    std::printf("confusion matrix on the test set (rows: truth, columns: predicted)\n%s",
                confusion.to_string(class_names).c_str());
    return Outcome{confusion.accuracy(), seconds};
}

}  // namespace examples
