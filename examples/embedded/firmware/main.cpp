// The firmware of the embedded example: the network that host/train_model trained and exported (model.hpp: constexpr
// parameters, placed in flash) classifies the points of a 48 x 24 grid over [-1, 1]^2: inside the circle of radius
// 0.6 or not. It draws the decision as text, prints a few outputs, and returns 0 when at least 95 % of the grid is
// classified as the circle says. Output goes through semihosting (the debugger's or QEMU's console); newlib-nano's
// printf has no %f, so numbers are printed as integers. Only inference is compiled in: no Trainer, no libm.

#include "model.hpp"

#include <cstdio>

namespace {

constexpr int columns = 48, rows = 24;
constexpr float radius = 0.6f;  // the rule host/train_model.cpp trained on

// The centre of grid cell (column, row), with y upwards (a cell is twice as tall as wide, like a character). Centres
// lie on odd multiples of 1/48 (x) and 1/24 (y), so x^2 + y^2 is never within 1e-4 of 0.36: every label is clear.
model::Network::input_type cell_centre(int column, int row) {
    return {static_cast<float>(2 * column + 1 - columns) / columns, static_cast<float>(rows - 2 * row - 1) / rows};
}

// p(inside) in thousandths, as "0.123".
void print_probability(const char* label, const model::Network::input_type& x) {
    const float p = model::network.forward(x)[0];
    const int thousandths = static_cast<int>(p * 1000 + 0.5f);
    std::printf("%s p(inside) = %d.%03d\n", label, thousandths / 1000, thousandths % 1000);
}

}  // namespace

int main() {
    std::printf("ctnn embedded example: %s, %u parameters in flash\n", model::topology,
                static_cast<unsigned>(model::Network::parameter_count));

    // '#': classified inside, '.': outside; 'X' and 'o' mark the cells where that is wrong.
    int correct = 0;
    for (int row = 0; row < rows; ++row) {
        char line[columns + 1];
        for (int column = 0; column < columns; ++column) {
            const model::Network::input_type x = cell_centre(column, row);
            const bool predicted = model::network.forward(x)[0] > 0.5f;
            const bool actual = x[0] * x[0] + x[1] * x[1] < radius * radius;
            correct += predicted == actual;
            line[column] = predicted == actual ? (predicted ? '#' : '.') : (predicted ? 'X' : 'o');
        }
        line[columns] = '\0';
        std::puts(line);
    }

    // The centre, two points 0.06 inside and outside the circle, and one on it.
    print_probability("(0, 0),       r = 0:   ", {0.0f, 0.0f});
    print_probability("(0.54, 0),    r = 0.54:", {0.54f, 0.0f});
    print_probability("(0, -0.66),   r = 0.66:", {0.0f, -0.66f});
    print_probability("(0.36, 0.48), r = 0.6: ", {0.36f, 0.48f});

    constexpr int cells = columns * rows;
    const int per_mille = (correct * 1000 + cells / 2) / cells;
    std::printf("grid: %d of %d cells correct (%d.%d %%)\n", correct, cells, per_mille / 10, per_mille % 10);
    return correct * 100 >= cells * 95 ? 0 : 1;
}
