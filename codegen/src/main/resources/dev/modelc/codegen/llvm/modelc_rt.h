/*
 * modelc native runtime: what a model compiled ahead of time by `modelc compile --target
 * llvm-cpu` needs besides its kernels. Written by modelc; used by the generated <model>_api.c.
 * Only libc, libm and POSIX threads.
 */
#ifndef MODELC_RT_H
#define MODELC_RT_H

#include <stddef.h>
#include <stdint.h>

/* Bumped whenever the layout of these descriptions or the kernels' calling convention changes. */
#define MODELC_RT_ABI 1

enum mc_dtype { MC_F32, MC_F64, MC_I32, MC_I64, MC_BOOL };

/* What a resident tensor is: it lives in the model instance between calls. */
enum mc_role { MC_PARAM, MC_CONST, MC_STATE, MC_STEP, MC_KEY };

/* Where a program's buffer lives during a call. */
enum mc_source { MC_ARGUMENT, MC_RESIDENT, MC_TEMP };

/* Where a program's result goes after a call. */
enum mc_sink { MC_OUTPUT, MC_TO_RESIDENT, MC_SCALAR };

typedef void mc_chunk_fn(int64_t lo, int64_t hi, void *env);
typedef void mc_parallel_for_fn(mc_chunk_fn *chunk, void *env, int64_t lo, int64_t hi, int64_t step, int64_t work);
typedef int32_t mc_entry_fn(void **buffers, const int64_t *dims, mc_parallel_for_fn *parallel_for);

typedef struct {
    const char *name;
    int dtype;
    int role;
    int rank;
    int64_t shape[8];
    int64_t count;
} mc_resident_desc;

typedef struct {
    const char *name;
    int dtype;
    int source; /* enum mc_source */
    int index;  /* the argument's position, the resident's index, or the temp's slot */
} mc_buffer_desc;

typedef struct {
    int buffer;
    int sink;  /* enum mc_sink */
    int index; /* the output's position, the resident's index, or the scalar's position */
} mc_result_desc;

typedef struct {
    const char *name;
    int train_step; /* sets the step counter and the dropout key before, counts the step after */
    int ndims;
    int nbuffers;
    const mc_buffer_desc *buffers;
    int nresults;
    const mc_result_desc *results;
    void (*counts)(const int64_t *dims, int64_t *counts); /* element count of each buffer */
    mc_entry_fn *run;
} mc_program_desc;

typedef struct {
    const char *model;
    uint64_t seed;
    int nresidents;
    const mc_resident_desc *residents;
    int nprograms;
    const mc_program_desc *const *programs;
} mc_model_desc;

typedef struct mc_model mc_model;

/* All functions but mc_create return 0 on success, else nonzero with a message in mc_error. */
mc_model *mc_create(const mc_model_desc *desc);
void mc_destroy(mc_model *m);
const char *mc_error(const mc_model *m);
int mc_set_threads(mc_model *m, int threads);
int mc_load(mc_model *m, const char *safetensors_path);
int mc_save(mc_model *m, const char *safetensors_path);
int mc_set(mc_model *m, const char *name, const void *data, int64_t count);
int mc_get(mc_model *m, const char *name, void *out, int64_t count);
int64_t mc_steps(const mc_model *m);
int mc_run(mc_model *m, int program, const int64_t *dims, const void *const *inputs, void *const *outputs, double *scalars);

#endif
