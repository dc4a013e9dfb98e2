/*
 * modelc native runtime (see modelc_rt.h): model instances with their resident tensors, storage
 * for the kernels' buffers per set of dimension values, a thread pool for parallel loops, and
 * safetensors reading and writing. Written by modelc.
 */
#define _GNU_SOURCE
#include "modelc_rt.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MC_ALIGN 64
/* Below this much estimated work (operations per iteration times iterations) a loop runs on the
 * calling thread: waking the workers costs more. The JVM backend uses the same figure. */
#define MC_MIN_WORK 500000
#define MC_CHUNKS_PER_THREAD 4
#define MC_SPINS 20000

static const int64_t dtype_bytes[] = {4, 8, 4, 8, 1};
static const char *const dtype_names[] = {"F32", "F64", "I32", "I64", "BOOL"};

/* ---- thread pool ---- */

typedef struct {
    pthread_mutex_t mutex;
    pthread_cond_t wake, done;
    pthread_t *workers;
    int nworkers;
    int stop;
    atomic_uint generation;
    int busy; /* workers still on the current job */
    /* the current job */
    mc_chunk_fn *chunk;
    void *env;
    int64_t lo, hi, step, iterations, chunks;
    atomic_llong next;
} mc_pool;

static __thread mc_pool *current_pool;
static __thread int inside_chunk;

static void take_chunks(mc_pool *p) {
    inside_chunk = 1;
    for (;;) {
        int64_t c = atomic_fetch_add(&p->next, 1);
        if (c >= p->chunks) break;
        int64_t first = p->iterations * c / p->chunks, end = p->iterations * (c + 1) / p->chunks;
        int64_t hi = p->lo + end * p->step;
        p->chunk(p->lo + first * p->step, hi < p->hi ? hi : p->hi, p->env);
    }
    inside_chunk = 0;
}

static void *worker_main(void *arg) {
    mc_pool *p = arg;
    unsigned seen = 0;
    for (;;) {
        /* spin a little first: the next parallel loop of a step usually comes within microseconds */
        for (int i = 0; i < MC_SPINS && atomic_load_explicit(&p->generation, memory_order_acquire) == seen; i++) {
#if defined(__x86_64__)
            __builtin_ia32_pause();
#endif
        }
        pthread_mutex_lock(&p->mutex);
        while (!p->stop && atomic_load(&p->generation) == seen) pthread_cond_wait(&p->wake, &p->mutex);
        if (p->stop) {
            pthread_mutex_unlock(&p->mutex);
            return NULL;
        }
        seen = atomic_load(&p->generation);
        pthread_mutex_unlock(&p->mutex);
        take_chunks(p);
        pthread_mutex_lock(&p->mutex);
        if (--p->busy == 0) pthread_cond_signal(&p->done);
        pthread_mutex_unlock(&p->mutex);
    }
}

static mc_pool *pool_create(int threads) {
    if (threads <= 1) return NULL;
    mc_pool *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    pthread_mutex_init(&p->mutex, NULL);
    pthread_cond_init(&p->wake, NULL);
    pthread_cond_init(&p->done, NULL);
    p->workers = calloc((size_t) threads - 1, sizeof(pthread_t));
    for (int i = 0; i < threads - 1 && p->workers; i++) {
        if (pthread_create(&p->workers[i], NULL, worker_main, p) != 0) break;
        p->nworkers++;
    }
    return p;
}

static void pool_destroy(mc_pool *p) {
    if (!p) return;
    pthread_mutex_lock(&p->mutex);
    p->stop = 1;
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->mutex);
    for (int i = 0; i < p->nworkers; i++) pthread_join(p->workers[i], NULL);
    free(p->workers);
    pthread_cond_destroy(&p->wake);
    pthread_cond_destroy(&p->done);
    pthread_mutex_destroy(&p->mutex);
    free(p);
}

/* The parallel_for the kernels call: the calling thread and the pool's workers take chunks. */
static void parallel_for(mc_chunk_fn *chunk, void *env, int64_t lo, int64_t hi, int64_t step, int64_t work) {
    if (hi <= lo) return;
    mc_pool *p = current_pool;
    int64_t iterations = (hi - lo + step - 1) / step;
    if (!p || p->nworkers == 0 || inside_chunk || iterations < 2 || (work > 0 && iterations * work < MC_MIN_WORK)) {
        chunk(lo, hi, env);
        return;
    }
    int64_t threads = p->nworkers + 1;
    pthread_mutex_lock(&p->mutex);
    p->chunk = chunk;
    p->env = env;
    p->lo = lo;
    p->hi = hi;
    p->step = step;
    p->iterations = iterations;
    p->chunks = iterations < MC_CHUNKS_PER_THREAD * threads ? iterations : MC_CHUNKS_PER_THREAD * threads;
    atomic_store(&p->next, 0);
    p->busy = p->nworkers;
    atomic_fetch_add_explicit(&p->generation, 1, memory_order_release);
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->mutex);
    take_chunks(p);
    pthread_mutex_lock(&p->mutex);
    while (p->busy > 0) pthread_cond_wait(&p->done, &p->mutex);
    pthread_mutex_unlock(&p->mutex);
}

/* ---- model instances ---- */

typedef struct {
    int ready;
    int64_t *dims;
    int64_t *counts;
    void **buffers; /* one pointer per buffer id */
    int nslots;
    void **slots;
} mc_storage;

struct mc_model {
    const mc_model_desc *desc;
    void **resident;
    mc_storage *storage; /* one per program */
    mc_pool *pool;
    int threads;
    int64_t steps;
    char error[512];
};

static int fail(mc_model *m, const char *format, ...) {
    va_list args;
    va_start(args, format);
    vsnprintf(m->error, sizeof m->error, format, args);
    va_end(args);
    return 1;
}

static void *aligned_zeroed(int64_t bytes) {
    void *p = NULL;
    size_t size = (size_t) (bytes > 0 ? bytes : 1);
    size = (size + MC_ALIGN - 1) / MC_ALIGN * MC_ALIGN;
    if (posix_memalign(&p, MC_ALIGN, size) != 0) return NULL;
    memset(p, 0, size);
    return p;
}

static int online_cpus(void) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int) n : 1;
}

mc_model *mc_create(const mc_model_desc *desc) {
    mc_model *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    m->desc = desc;
    m->resident = calloc((size_t) desc->nresidents + 1, sizeof(void *));
    m->storage = calloc((size_t) desc->nprograms + 1, sizeof(mc_storage));
    if (!m->resident || !m->storage) {
        mc_destroy(m);
        return NULL;
    }
    for (int i = 0; i < desc->nresidents; i++) {
        const mc_resident_desc *r = &desc->residents[i];
        m->resident[i] = aligned_zeroed(r->count * dtype_bytes[r->dtype]);
        if (!m->resident[i]) {
            mc_destroy(m);
            return NULL;
        }
    }
    m->threads = online_cpus();
    m->pool = pool_create(m->threads);
    return m;
}

static void storage_free(mc_storage *s) {
    for (int i = 0; i < s->nslots; i++) free(s->slots[i]);
    free(s->slots);
    free(s->buffers);
    free(s->counts);
    free(s->dims);
    memset(s, 0, sizeof *s);
}

void mc_destroy(mc_model *m) {
    if (!m) return;
    pool_destroy(m->pool);
    if (m->storage) for (int i = 0; i < m->desc->nprograms; i++) storage_free(&m->storage[i]);
    if (m->resident) for (int i = 0; i < m->desc->nresidents; i++) free(m->resident[i]);
    free(m->storage);
    free(m->resident);
    free(m);
}

const char *mc_error(const mc_model *m) { return m ? m->error : "no model (its creation failed)"; }

int mc_set_threads(mc_model *m, int threads) {
    if (threads < 1) return fail(m, "threads must be at least 1, not %d", threads);
    if (threads == m->threads) return 0;
    pool_destroy(m->pool);
    m->pool = pool_create(threads);
    m->threads = threads;
    return 0;
}

int64_t mc_steps(const mc_model *m) { return m->steps; }

static int resident_index(const mc_model *m, const char *name) {
    for (int i = 0; i < m->desc->nresidents; i++) if (strcmp(m->desc->residents[i].name, name) == 0) return i;
    return -1;
}

int mc_set(mc_model *m, const char *name, const void *data, int64_t count) {
    int i = resident_index(m, name);
    if (i < 0) return fail(m, "%s has no tensor named %s", m->desc->model, name);
    const mc_resident_desc *r = &m->desc->residents[i];
    if (count != r->count) return fail(m, "%s has %lld elements, not %lld", name, (long long) r->count, (long long) count);
    memcpy(m->resident[i], data, (size_t) (count * dtype_bytes[r->dtype]));
    return 0;
}

int mc_get(mc_model *m, const char *name, void *out, int64_t count) {
    int i = resident_index(m, name);
    if (i < 0) return fail(m, "%s has no tensor named %s", m->desc->model, name);
    const mc_resident_desc *r = &m->desc->residents[i];
    if (count != r->count) return fail(m, "%s has %lld elements, not %lld", name, (long long) r->count, (long long) count);
    memcpy(out, m->resident[i], (size_t) (count * dtype_bytes[r->dtype]));
    return 0;
}

/* Storage for a program at these dimension values: kept while they do not change. */
static int bind(mc_model *m, int program, const int64_t *dims) {
    const mc_program_desc *p = m->desc->programs[program];
    mc_storage *s = &m->storage[program];
    if (s->ready && memcmp(s->dims, dims, sizeof(int64_t) * (size_t) p->ndims) == 0) return 0;
    for (int d = 0; d < p->ndims; d++) {
        if (dims[d] < 0 || dims[d] > (INT64_C(1) << 40)) return fail(m, "%s: dimension %d is %lld", p->name, d, (long long) dims[d]);
    }
    storage_free(s);
    s->dims = malloc(sizeof(int64_t) * ((size_t) p->ndims + 1));
    s->counts = malloc(sizeof(int64_t) * ((size_t) p->nbuffers + 1));
    s->buffers = calloc((size_t) p->nbuffers + 1, sizeof(void *));
    if (!s->dims || !s->counts || !s->buffers) return fail(m, "out of memory");
    memcpy(s->dims, dims, sizeof(int64_t) * (size_t) p->ndims);
    p->counts(dims, s->counts);
    for (int b = 0; b < p->nbuffers; b++) {
        if (s->counts[b] < 0 || s->counts[b] > (INT64_C(1) << 40)) return fail(m, "%s: buffer %s is too large", p->name, p->buffers[b].name);
        if (p->buffers[b].source == MC_TEMP && p->buffers[b].index + 1 > s->nslots) s->nslots = p->buffers[b].index + 1;
    }
    s->slots = calloc((size_t) s->nslots + 1, sizeof(void *));
    if (!s->slots) return fail(m, "out of memory");
    for (int slot = 0; slot < s->nslots; slot++) {
        int64_t bytes = 0;
        for (int b = 0; b < p->nbuffers; b++) {
            const mc_buffer_desc *d = &p->buffers[b];
            if (d->source == MC_TEMP && d->index == slot && s->counts[b] * dtype_bytes[d->dtype] > bytes) bytes = s->counts[b] * dtype_bytes[d->dtype];
        }
        s->slots[slot] = aligned_zeroed(bytes);
        if (!s->slots[slot]) return fail(m, "out of memory for %lld bytes", (long long) bytes);
    }
    for (int b = 0; b < p->nbuffers; b++) {
        const mc_buffer_desc *d = &p->buffers[b];
        if (d->source == MC_TEMP) s->buffers[b] = s->slots[d->index];
        else if (d->source == MC_RESIDENT) s->buffers[b] = m->resident[d->index];
    }
    s->ready = 1;
    return 0;
}

static uint64_t mix(uint64_t z) {
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* Sets a scalar resident to a value, whatever its element type. */
static void put_scalar(mc_model *m, int i, double value, int64_t bits) {
    void *p = m->resident[i];
    switch (m->desc->residents[i].dtype) {
    case MC_F32: *(float *) p = (float) value; break;
    case MC_F64: *(double *) p = value; break;
    case MC_I32: *(int32_t *) p = (int32_t) bits; break;
    case MC_I64: *(int64_t *) p = bits; break;
    default: *(uint8_t *) p = (uint8_t) (bits != 0); break;
    }
}

static double scalar_of(const void *p, int dtype) {
    switch (dtype) {
    case MC_F32: return *(const float *) p;
    case MC_F64: return *(const double *) p;
    case MC_I32: return *(const int32_t *) p;
    case MC_I64: return (double) *(const int64_t *) p;
    default: return *(const uint8_t *) p;
    }
}

int mc_run(mc_model *m, int program, const int64_t *dims, const void *const *inputs, void *const *outputs, double *scalars) {
    if (program < 0 || program >= m->desc->nprograms) return fail(m, "no program %d", program);
    const mc_program_desc *p = m->desc->programs[program];
    if (bind(m, program, dims) != 0) return 1;
    mc_storage *s = &m->storage[program];
    for (int b = 0; b < p->nbuffers; b++) {
        if (p->buffers[b].source != MC_ARGUMENT) continue;
        if (!inputs[p->buffers[b].index] && s->counts[b] > 0) return fail(m, "%s: input %s is NULL", p->name, p->buffers[b].name);
        s->buffers[b] = (void *) inputs[p->buffers[b].index]; /* read, never written: only residents are updated in place */
    }
    if (p->train_step) {
        for (int i = 0; i < m->desc->nresidents; i++) {
            /* the optimiser's t counts from 1; the dropout key is drawn from the seed and the step count, as on the JVM */
            if (m->desc->residents[i].role == MC_STEP) put_scalar(m, i, (double) (m->steps + 1), m->steps + 1);
            if (m->desc->residents[i].role == MC_KEY) put_scalar(m, i, 0, (int64_t) mix(m->desc->seed ^ mix((uint64_t) m->steps)));
        }
    }
    current_pool = m->pool;
    int32_t status = p->run(s->buffers, s->dims, parallel_for);
    current_pool = NULL;
    if (status == 1) return fail(m, "%s: integer division by zero", p->name);
    if (status == 2) return fail(m, "%s: an integer to a negative power", p->name);
    if (status != 0) return fail(m, "%s: the kernels returned status %d", p->name, status);
    for (int r = 0; r < p->nresults; r++) {
        const mc_result_desc *res = &p->results[r];
        const mc_buffer_desc *d = &p->buffers[res->buffer];
        int64_t bytes = s->counts[res->buffer] * dtype_bytes[d->dtype];
        void *from = s->buffers[res->buffer];
        switch (res->sink) {
        case MC_OUTPUT:
            if (outputs[res->index]) memcpy(outputs[res->index], from, (size_t) bytes);
            break;
        case MC_TO_RESIDENT:
            if (from != m->resident[res->index]) memcpy(m->resident[res->index], from, (size_t) bytes);
            break;
        default:
            if (scalars) scalars[res->index] = scalar_of(from, d->dtype);
            break;
        }
    }
    if (p->train_step) m->steps++;
    return 0;
}

/* ---- safetensors ---- */

typedef struct {
    const char *at, *end;
} cursor;

static void skip_space(cursor *c) {
    while (c->at < c->end && (*c->at == ' ' || *c->at == '\n' || *c->at == '\r' || *c->at == '\t')) c->at++;
}

static int expect(cursor *c, char ch) {
    skip_space(c);
    if (c->at < c->end && *c->at == ch) {
        c->at++;
        return 1;
    }
    return 0;
}

/* A JSON string into out (NUL-terminated, at most size-1 bytes); \u escapes become UTF-8. */
static int read_string(cursor *c, char *out, size_t size) {
    skip_space(c);
    if (c->at >= c->end || *c->at != '"') return 0;
    c->at++;
    size_t n = 0;
    while (c->at < c->end && *c->at != '"') {
        unsigned code = (unsigned char) *c->at++;
        if (code == '\\') {
            if (c->at >= c->end) return 0;
            char e = *c->at++;
            switch (e) {
            case 'n': code = '\n'; break;
            case 't': code = '\t'; break;
            case 'r': code = '\r'; break;
            case 'b': code = '\b'; break;
            case 'f': code = '\f'; break;
            case 'u':
                if (c->end - c->at < 4) return 0;
                code = 0;
                for (int i = 0; i < 4; i++) {
                    char h = *c->at++;
                    code = code * 16 + (unsigned) (h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10 : h >= 'A' && h <= 'F' ? h - 'A' + 10 : 99);
                    if (code > 0xffff) return 0;
                }
                break;
            default: code = (unsigned char) e; break;
            }
            if (code >= 0x80) { /* one BMP code point as UTF-8 */
                char u[3];
                int k = 0;
                if (code < 0x800) {
                    u[k++] = (char) (0xc0 | (code >> 6));
                } else {
                    u[k++] = (char) (0xe0 | (code >> 12));
                    u[k++] = (char) (0x80 | ((code >> 6) & 0x3f));
                }
                u[k++] = (char) (0x80 | (code & 0x3f));
                for (int i = 0; i < k; i++) if (n + 1 < size) out[n++] = u[i];
                continue;
            }
        }
        if (n + 1 < size) out[n++] = (char) code;
        else return 0;
    }
    if (c->at >= c->end) return 0;
    c->at++;
    out[n] = 0;
    return 1;
}

static int read_integer(cursor *c, int64_t *v) {
    skip_space(c);
    int64_t x = 0;
    int digits = 0;
    while (c->at < c->end && *c->at >= '0' && *c->at <= '9') {
        if (x > (INT64_MAX - 9) / 10) return 0;
        x = x * 10 + (*c->at++ - '0');
        digits++;
    }
    *v = x;
    return digits > 0;
}

/* Skips any JSON value (the metadata object, or fields this reader does not need). */
static int skip_value(cursor *c, int depth) {
    char scratch[4096];
    skip_space(c);
    if (c->at >= c->end || depth > 16) return 0;
    if (*c->at == '"') return read_string(c, scratch, sizeof scratch);
    if (*c->at == '{' || *c->at == '[') {
        char close = *c->at == '{' ? '}' : ']';
        int object = close == '}';
        c->at++;
        if (expect(c, close)) return 1;
        do {
            if (object && (!read_string(c, scratch, sizeof scratch) || !expect(c, ':'))) return 0;
            if (!skip_value(c, depth + 1)) return 0;
        } while (expect(c, ','));
        return expect(c, close);
    }
    while (c->at < c->end && (*c->at == '-' || *c->at == '+' || *c->at == '.' || (*c->at >= '0' && *c->at <= '9') ||
                              (*c->at >= 'a' && *c->at <= 'z') || *c->at == 'E')) c->at++;
    return 1;
}

typedef struct {
    char dtype[16];
    int rank;
    int64_t shape[8];
    int64_t begin, end;
} tensor_info;

static int read_tensor_info(cursor *c, tensor_info *t) {
    char key[64];
    int have = 0;
    t->rank = 0;
    if (!expect(c, '{')) return 0;
    if (expect(c, '}')) return 0;
    do {
        if (!read_string(c, key, sizeof key) || !expect(c, ':')) return 0;
        if (strcmp(key, "dtype") == 0) {
            if (!read_string(c, t->dtype, sizeof t->dtype)) return 0;
            have |= 1;
        } else if (strcmp(key, "shape") == 0) {
            if (!expect(c, '[')) return 0;
            if (!expect(c, ']')) {
                do {
                    if (t->rank == 8 || !read_integer(c, &t->shape[t->rank++])) return 0;
                } while (expect(c, ','));
                if (!expect(c, ']')) return 0;
            }
            have |= 2;
        } else if (strcmp(key, "data_offsets") == 0) {
            if (!expect(c, '[') || !read_integer(c, &t->begin) || !expect(c, ',') || !read_integer(c, &t->end) || !expect(c, ']')) return 0;
            have |= 4;
        } else if (!skip_value(c, 1)) {
            return 0;
        }
    } while (expect(c, ','));
    return expect(c, '}') && have == 7;
}

int mc_load(mc_model *m, const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return fail(m, "cannot open %s: %s", path, strerror(errno));
    unsigned char size_bytes[8];
    if (fread(size_bytes, 1, 8, f) != 8) {
        fclose(f);
        return fail(m, "%s is not a safetensors file: too short", path);
    }
    uint64_t header_size = 0;
    for (int i = 7; i >= 0; i--) header_size = header_size << 8 | size_bytes[i];
    if (header_size > (UINT64_C(1) << 27)) {
        fclose(f);
        return fail(m, "%s: a header of %llu bytes is not believable", path, (unsigned long long) header_size);
    }
    fseek(f, 0, SEEK_END);
    long file_size = ftell(f);
    if (file_size < 0 || (uint64_t) file_size < 8 + header_size) {
        fclose(f);
        return fail(m, "%s: the header runs past the end of the file", path);
    }
    uint64_t data_size = (uint64_t) file_size - 8 - header_size;
    char *header = malloc(header_size + 1);
    if (!header) {
        fclose(f);
        return fail(m, "out of memory");
    }
    fseek(f, 8, SEEK_SET);
    if (fread(header, 1, header_size, f) != header_size) {
        free(header);
        fclose(f);
        return fail(m, "%s: cannot read the header", path);
    }
    int *seen = calloc((size_t) m->desc->nresidents + 1, sizeof(int));
    cursor c = {header, header + header_size};
    char name[256];
    int ok = seen != NULL && expect(&c, '{');
    int result = 0;
    if (ok && !expect(&c, '}')) {
        do {
            if (!read_string(&c, name, sizeof name) || !expect(&c, ':')) {
                ok = 0;
                break;
            }
            int i = strcmp(name, "__metadata__") == 0 ? -2 : resident_index(m, name);
            if (i == -2 || i < 0 || m->desc->residents[i].role == MC_STEP || m->desc->residents[i].role == MC_KEY) {
                tensor_info ignored;
                if (!(i == -2 ? skip_value(&c, 1) : read_tensor_info(&c, &ignored))) {
                    ok = 0;
                    break;
                }
                continue;
            }
            tensor_info t;
            if (!read_tensor_info(&c, &t)) {
                ok = 0;
                break;
            }
            const mc_resident_desc *r = &m->desc->residents[i];
            if (strcmp(t.dtype, dtype_names[r->dtype]) != 0) {
                result = fail(m, "%s: %s is %s, but %s takes %s", path, name, t.dtype, m->desc->model, dtype_names[r->dtype]);
                break;
            }
            int same = t.rank == r->rank;
            for (int d = 0; same && d < r->rank; d++) same = t.shape[d] == r->shape[d];
            if (!same) {
                result = fail(m, "%s: %s has another shape than %s's (rank %d, not %d, or other sizes)", path, name, m->desc->model, t.rank, r->rank);
                break;
            }
            int64_t bytes = r->count * dtype_bytes[r->dtype];
            if (t.begin < 0 || t.end - t.begin != bytes || (uint64_t) t.end > data_size) {
                result = fail(m, "%s: %s's data offsets [%lld, %lld] do not hold %lld bytes inside the file", path, name,
                              (long long) t.begin, (long long) t.end, (long long) bytes);
                break;
            }
            fseek(f, (long) (8 + header_size + (uint64_t) t.begin), SEEK_SET);
            if (fread(m->resident[i], 1, (size_t) bytes, f) != (size_t) bytes) {
                result = fail(m, "%s: cannot read %s", path, name);
                break;
            }
            seen[i] = 1;
        } while (expect(&c, ','));
        if (ok && !result && !expect(&c, '}')) ok = 0;
    }
    if (!ok && !result) result = fail(m, "%s: the safetensors header is not valid JSON of the expected form", path);
    for (int i = 0; !result && i < m->desc->nresidents; i++) {
        if (m->desc->residents[i].role == MC_PARAM && !seen[i]) result = fail(m, "%s has no tensor %s", path, m->desc->residents[i].name);
    }
    free(seen);
    free(header);
    fclose(f);
    return result;
}

/* Writes the params and consts (and the optimiser state after a step) to a temporary file, then renames it over path. */
int mc_save(mc_model *m, const char *path) {
    size_t cap = 1024, len = 0;
    char *json = malloc(cap);
    if (!json) return fail(m, "out of memory");
    int64_t offset = 0;
    len += (size_t) snprintf(json + len, cap - len, "{");
    for (int i = 0; i < m->desc->nresidents; i++) {
        const mc_resident_desc *r = &m->desc->residents[i];
        if (r->role == MC_STEP || r->role == MC_KEY || (r->role == MC_STATE && m->steps == 0)) continue;
        int64_t bytes = r->count * dtype_bytes[r->dtype];
        char entry[512], dims[256] = "";
        size_t dl = 0;
        for (int d = 0; d < r->rank; d++) dl += (size_t) snprintf(dims + dl, sizeof dims - dl, "%s%lld", d ? "," : "", (long long) r->shape[d]);
        int n = snprintf(entry, sizeof entry, "%s\"%s\":{\"dtype\":\"%s\",\"shape\":[%s],\"data_offsets\":[%lld,%lld]}", len > 1 ? "," : "",
                         r->name, dtype_names[r->dtype], dims, (long long) offset, (long long) (offset + bytes));
        if (len + (size_t) n + 16 > cap) {
            cap = (len + (size_t) n + 16) * 2;
            char *grown = realloc(json, cap);
            if (!grown) {
                free(json);
                return fail(m, "out of memory");
            }
            json = grown;
        }
        memcpy(json + len, entry, (size_t) n);
        len += (size_t) n;
        offset += bytes;
    }
    json[len++] = '}';
    while (len % 8 != 0) json[len++] = ' '; /* the data starts 8-byte aligned */
    size_t tlen = strlen(path) + 32;
    char *temp = malloc(tlen);
    if (!temp) {
        free(json);
        return fail(m, "out of memory");
    }
    snprintf(temp, tlen, "%s.tmp.%ld", path, (long) getpid());
    FILE *f = fopen(temp, "wb");
    int result = 0;
    if (!f) {
        result = fail(m, "cannot write %s: %s", temp, strerror(errno));
    } else {
        unsigned char size_bytes[8];
        for (int i = 0; i < 8; i++) size_bytes[i] = (unsigned char) ((uint64_t) len >> (8 * i));
        int good = fwrite(size_bytes, 1, 8, f) == 8 && fwrite(json, 1, len, f) == len;
        for (int i = 0; good && i < m->desc->nresidents; i++) {
            const mc_resident_desc *r = &m->desc->residents[i];
            if (r->role == MC_STEP || r->role == MC_KEY || (r->role == MC_STATE && m->steps == 0)) continue;
            size_t bytes = (size_t) (r->count * dtype_bytes[r->dtype]);
            good = fwrite(m->resident[i], 1, bytes, f) == bytes;
        }
        good = fclose(f) == 0 && good;
        if (!good || rename(temp, path) != 0) {
            result = fail(m, "cannot write %s: %s", path, strerror(errno));
            remove(temp);
        }
    }
    free(temp);
    free(json);
    return result;
}
