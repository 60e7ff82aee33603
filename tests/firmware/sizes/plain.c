/* The baseline of tools/embedded-sizes: the 2-16-16-1 network (tanh hidden layers, sigmoid output, float) as plain C
 * loops, with libm's tanhf and expf. Parameters in ctnn's canonical order, as tanh_net::parameters holds them: per
 * layer the weight [out][in], then the bias. */
#include <math.h>

enum { hidden = 16, w1 = 0, b1 = w1 + hidden * 2, w2 = b1 + hidden, b2 = w2 + hidden * hidden, w3 = b2 + hidden,
       b3 = w3 + hidden };

static float forward(const float *p, const float x[2], float h1[hidden], float h2[hidden]) {
    for (int j = 0; j < hidden; ++j) {
        float z = p[b1 + j];
        for (int i = 0; i < 2; ++i) z += p[w1 + j * 2 + i] * x[i];
        h1[j] = tanhf(z);
    }
    for (int j = 0; j < hidden; ++j) {
        float z = p[b2 + j];
        for (int i = 0; i < hidden; ++i) z += p[w2 + j * hidden + i] * h1[i];
        h2[j] = tanhf(z);
    }
    float z = p[b3];
    for (int i = 0; i < hidden; ++i) z += p[w3 + i] * h2[i];
    return 1.0f / (1.0f + expf(-z));
}

float plain_forward(const float *p, const float x[2]) {
    float h1[hidden], h2[hidden];
    return forward(p, x, h1, h2);
}

/* One SGD step on one sample for binary cross-entropy: with a sigmoid output dL/dz = y - t. */
void plain_sgd_step(float *p, const float x[2], float target, float rate) {
    float h1[hidden], h2[hidden], d2[hidden], d1[hidden];
    const float d3 = forward(p, x, h1, h2) - target;
    for (int i = 0; i < hidden; ++i) {
        d2[i] = p[w3 + i] * d3 * (1.0f - h2[i] * h2[i]);
        p[w3 + i] -= rate * d3 * h2[i];
    }
    p[b3] -= rate * d3;
    for (int i = 0; i < hidden; ++i) {
        float sum = 0.0f;
        for (int j = 0; j < hidden; ++j) sum += p[w2 + j * hidden + i] * d2[j];
        d1[i] = sum * (1.0f - h1[i] * h1[i]);
    }
    for (int j = 0; j < hidden; ++j) {
        for (int i = 0; i < hidden; ++i) p[w2 + j * hidden + i] -= rate * d2[j] * h1[i];
        p[b2 + j] -= rate * d2[j];
    }
    for (int j = 0; j < hidden; ++j) {
        for (int i = 0; i < 2; ++i) p[w1 + j * 2 + i] -= rate * d1[j] * x[i];
        p[b1 + j] -= rate * d1[j];
    }
}
