/* The one allocator entry point: every allocation of mixplan goes through
 * mpi_realloc(), so that a test can make the Nth one fail and prove that
 * every error path ends cleanly. */
#include "base.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static atomic_ulong alloc_count;   /* allocations made since the last reset */
static atomic_ulong alloc_fail_at; /* 1-based allocation that fails; 0: none */

void mpi_alloc_fail_at(unsigned long n)
{
    atomic_store(&alloc_count, 0);
    atomic_store(&alloc_fail_at, n);
}

unsigned long mpi_alloc_count(void)
{
    return atomic_load(&alloc_count);
}

void *mpi_realloc(void *p, size_t size)
{
    unsigned long k = atomic_fetch_add(&alloc_count, 1) + 1;
    unsigned long fail = atomic_load(&alloc_fail_at);
    if (fail && k == fail)
        return NULL;
    return realloc(p, size ? size : 1);
}

void *mpi_malloc(size_t size)
{
    return mpi_realloc(NULL, size);
}

void *mpi_calloc(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    size_t bytes = n * size;
    void *p = mpi_realloc(NULL, bytes);
    if (p)
        memset(p, 0, bytes > 0 ? bytes : 1);
    return p;
}

void mpi_alloc_trim(void)
{
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

void *mpi_reallocarray(void *p, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    return mpi_realloc(p, n * size);
}

void *mpi_reserve(void *p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return p;
    size_t ncap = *cap ? *cap : 8;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2 / size)
            return NULL;
        ncap *= 2;
    }
    void *q = mpi_realloc(p, ncap * size);
    if (!q)
        return NULL;
    memset((char *)q + *cap * size, 0, (ncap - *cap) * size);
    *cap = ncap;
    return q;
}

mp_status mpi_reserve_all(size_t *cap, size_t need, size_t n, void *arrays[], const size_t sizes[])
{
    if (need <= *cap)
        return MP_OK;
    size_t grown = *cap;
    for (size_t i = 0; i < n; i++) {
        size_t c = *cap;
        void *p = mpi_reserve(arrays[i], &c, need, sizes[i]);
        if (!p)
            return mpi_nomem();
        arrays[i] = p;
        grown = c;
    }
    *cap = grown;
    return MP_OK;
}
