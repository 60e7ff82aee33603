#include <ctnn/random.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <concepts>
#include <random>

TEST_CASE("Random is a seeded uniform random bit generator", "[random]") {
    STATIC_REQUIRE(std::uniform_random_bit_generator<ctnn::Random>);
    ctnn::Random a(42), b(42), c(43);
    bool differs = false;
    for (int i = 0; i < 100; ++i) {
        const auto x = a();
        CHECK(x == b());
        differs = differs || x != c();
    }
    CHECK(differs);
}

TEMPLATE_TEST_CASE("Random's uniform and normal draws have the right range and moments", "[random]", float, double) {
    ctnn::Random random(7);
    const int n = 200000;
    double sum = 0, sum_sq = 0, normal_sum = 0, normal_sq = 0;
    for (int i = 0; i < n; ++i) {
        const TestType u = random.template uniform<TestType>();
        REQUIRE(u >= 0);
        REQUIRE(u < 1);
        sum += u;
        sum_sq += double(u) * u;
        const TestType g = random.template normal<TestType>(2, 3);
        normal_sum += g;
        normal_sq += (double(g) - 2) * (double(g) - 2);
    }
    CHECK(sum / n == Approx(0.5).margin(0.005));
    CHECK(sum_sq / n - (sum / n) * (sum / n) == Approx(1.0 / 12).margin(0.002));
    CHECK(normal_sum / n == Approx(2).margin(0.03));
    CHECK(std::sqrt(normal_sq / n) == Approx(3).margin(0.03));
}

TEST_CASE("Random::below is unbiased over small ranges", "[random]") {
    ctnn::Random random(11);
    int counts[3] = {0, 0, 0};
    for (int i = 0; i < 30000; ++i) ++counts[random.below(3)];
    for (int c : counts) CHECK(c == Approx(10000).margin(400));
}
