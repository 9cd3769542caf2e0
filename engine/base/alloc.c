/* The one allocator entry point: every allocation of mixplan goes through
 * mpi_realloc() or mpi_calloc(), both counted by alloc_allowed(), so that a
 * test can make the Nth one fail and prove that every error path ends
 * cleanly. */
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

/* Whether this allocation may be made: counted, and not the one a test
 * makes fail. */
static int alloc_allowed(void)
{
    unsigned long k = atomic_fetch_add(&alloc_count, 1) + 1;
    unsigned long fail = atomic_load(&alloc_fail_at);
    return !(fail && k == fail);
}

void *mpi_realloc(void *p, size_t size)
{
    return alloc_allowed() ? realloc(p, size ? size : 1) : NULL;
}

void *mpi_malloc(size_t size)
{
    return mpi_realloc(NULL, size);
}

void *mpi_calloc(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    /* the C library's calloc, not malloc and memset: a large block comes
     * from the system already zero, its pages taken as they are first
     * written (by the pass that fills them, on two threads for a pass in
     * halves) instead of all at once here */
    size_t bytes = n * size;
    return alloc_allowed() ? calloc(1, bytes > 0 ? bytes : 1) : NULL;
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
