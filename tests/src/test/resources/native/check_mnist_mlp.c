/*
 * Drives libmnist_mlp.so (modelc compile examples/mnist_mlp.model --target llvm-cpu) through its
 * C API the way a C user would: refuses a wrong ABI, loads params written by the JVM side, runs
 * an entry at two batch sizes and with one thread, takes two training steps and saves the params.
 * Usage: check_mnist_mlp DIR, where DIR holds params.safetensors, x.bin (8x784 f32), y.bin (8 i32).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnist_mlp.h"

#define BATCH 8

static char path_buffer[4096];

static const char *in_dir(const char *dir, const char *name) {
    snprintf(path_buffer, sizeof path_buffer, "%s/%s", dir, name);
    return path_buffer;
}

static int read_file(const char *path, void *into, size_t bytes) {
    FILE *f = fopen(path, "rb");
    if (!f) return 1;
    size_t n = fread(into, 1, bytes, f);
    fclose(f);
    return n != bytes;
}

static int write_file(const char *path, const void *data, size_t bytes) {
    FILE *f = fopen(path, "wb");
    if (!f) return 1;
    size_t n = fwrite(data, 1, bytes, f);
    return fclose(f) != 0 || n != bytes;
}

#define CHECK(call)                                                                  \
    do {                                                                             \
        if ((call) != 0) {                                                           \
            fprintf(stderr, "%s failed: %s\n", #call, mnist_mlp_error(model));        \
            return 1;                                                                \
        }                                                                            \
    } while (0)

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s DIR\n", argv[0]);
        return 2;
    }
    const char *dir = argv[1];
    if (mnist_mlp_abi_version() != MNIST_MLP_ABI_VERSION) {
        fprintf(stderr, "the library's ABI is %u, the header's %u\n", mnist_mlp_abi_version(), MNIST_MLP_ABI_VERSION);
        return 1;
    }
    if (mnist_mlp_create(MNIST_MLP_ABI_VERSION + 1) != NULL) {
        fprintf(stderr, "mnist_mlp_create accepted another ABI version\n");
        return 1;
    }
    mnist_mlp *model = mnist_mlp_create(MNIST_MLP_ABI_VERSION);
    if (!model) {
        fprintf(stderr, "mnist_mlp_create failed\n");
        return 1;
    }
    static float x[BATCH * 784];
    static int32_t y[BATCH];
    if (read_file(in_dir(dir, "x.bin"), x, sizeof x) || read_file(in_dir(dir, "y.bin"), y, sizeof y)) {
        fprintf(stderr, "cannot read the inputs in %s\n", dir);
        return 1;
    }
    if (mnist_mlp_load_params(model, in_dir(dir, "missing.safetensors")) == 0) {
        fprintf(stderr, "loading a missing file succeeded\n");
        return 1;
    }
    CHECK(mnist_mlp_load_params(model, in_dir(dir, "params.safetensors")));

    static float logits3[3 * 10], logits8[BATCH * 10], logits8_one_thread[BATCH * 10];
    CHECK(mnist_mlp_logits(model, 3, x, logits3));
    CHECK(mnist_mlp_logits(model, BATCH, x, logits8));
    CHECK(mnist_mlp_set_threads(model, 1));
    CHECK(mnist_mlp_logits(model, BATCH, x, logits8_one_thread));
    if (memcmp(logits8, logits8_one_thread, sizeof logits8) != 0) {
        fprintf(stderr, "one thread computed other logits than several\n");
        return 1;
    }
    CHECK(mnist_mlp_set_threads(model, 2));
    if (write_file(in_dir(dir, "logits3.bin"), logits3, sizeof logits3) || write_file(in_dir(dir, "logits8.bin"), logits8, sizeof logits8)) {
        fprintf(stderr, "cannot write the logits\n");
        return 1;
    }

    float w4[64 * 10];
    CHECK(mnist_mlp_get_param(model, "w4", w4, 64 * 10));
    if (mnist_mlp_get_param(model, "w4", w4, 10) == 0 || mnist_mlp_set_param(model, "no_such_param", w4, 1) == 0) {
        fprintf(stderr, "a wrong count or name was accepted\n");
        return 1;
    }

    double loss[2], accuracy[2];
    CHECK(mnist_mlp_train_step(model, BATCH, x, y, &loss[0], &accuracy[0]));
    CHECK(mnist_mlp_train_step(model, BATCH, x, y, &loss[1], &accuracy[1]));
    if (mnist_mlp_steps(model) != 2) {
        fprintf(stderr, "steps: %lld\n", (long long) mnist_mlp_steps(model));
        return 1;
    }
    FILE *f = fopen(in_dir(dir, "train.txt"), "w");
    if (!f) return 1;
    fprintf(f, "%.17g %.17g %.17g %.17g\n", loss[0], accuracy[0], loss[1], accuracy[1]);
    fclose(f);
    CHECK(mnist_mlp_save_params(model, in_dir(dir, "trained.safetensors")));
    mnist_mlp_destroy(model);
    puts("ok");
    return 0;
}
