/* Failure injection shared by the unit tests: a run (typically a plan's
 * load and solve) made once untouched, then again with the Nth allocation
 * failing for each sampled N. Each run must end with MP_ERR_NOMEM and "out
 * of memory" in mp_last_error(), or, when it made fewer than N allocations
 * or got over the failure (a reader that asks again for less, a pass that
 * falls back when short of memory), with the untouched run's objective to
 * the bit. Leaks are LeakSanitizer's under the ASan build.
 *
 * Sampled: every N up to dense, then every stride-th N (a prime, so the N
 * tried fall at different points of repeated steps) and every N of the last
 * tail; MP_FAILINJECT_ALL=1 tries every N. */
#ifndef MP_TEST_INJECT_H
#define MP_TEST_INJECT_H

#include "helpers.h"

#include <math.h>

#include "base.h"

typedef struct inject_sample {
    unsigned long dense, stride, tail;
} inject_sample;

/* One run: its status, and its objective when it ends MP_OK. */
typedef mp_status (*inject_run_fn)(void *arg, double *objective);

/* A plan file's load and solve, or (axes given) its what-if run, whose
 * objective is that of scenario `scenario`. */
typedef struct inject_plan {
    const char *path;
    const char *const *axes;
    size_t naxes, scenario;
} inject_plan;

static inline mp_status inject_plan_run(void *arg, double *objective)
{
    const inject_plan *p = arg;
    mp_plan *plan = NULL;
    mp_solution *sol = NULL;
    mp_whatif *w = NULL;
    mp_status st = mp_plan_load(p->path, &plan);
    if (st == MP_OK && !p->naxes)
        st = mp_plan_solve(plan, NULL, &sol);
    if (st == MP_OK && p->naxes)
        st = mp_whatif_run(plan, p->axes, p->naxes, NULL, &w);
    if (st == MP_OK)
        *objective =
            p->naxes ? mp_whatif_scenario_objective(w, p->scenario) : mp_solution_objective(sol);
    mp_whatif_free(w);
    mp_solution_free(sol);
    mp_plan_free(plan);
    return st;
}

/* Every sampled N of run(arg); returns how many runs ended out of memory. */
static inline unsigned long inject_sweep(const char *what, inject_run_fn run, void *arg,
                                         inject_sample s)
{
    int all = getenv("MP_FAILINJECT_ALL") && *getenv("MP_FAILINJECT_ALL") == '1';
    double want = NAN;
    mpi_alloc_fail_at(0);
    assert_int_equal(run(arg, &want), MP_OK);
    unsigned long total = mpi_alloc_count(), failed = 0, recovered = 0;
    assert_true(isfinite(want) && want > 0);
    for (unsigned long n = 1;; n += all || n < s.dense || n + s.tail >= total ? 1 : s.stride) {
        double got = NAN;
        mpi_alloc_fail_at(n);
        mp_status st = run(arg, &got);
        unsigned long made = mpi_alloc_count();
        mpi_alloc_fail_at(0);
        if (made < n) {
            assert_int_equal(st, MP_OK);
            assert_true(got == want);
            break;
        }
        if (st == MP_OK) { /* got over it */
            assert_true(got == want);
            recovered++;
            continue;
        }
        if (st != MP_ERR_NOMEM)
            fprintf(stderr, "allocation %lu of %lu failing: %s (%s)\n", n, made, mp_strerror(st),
                    mp_last_error());
        assert_int_equal(st, MP_ERR_NOMEM);
        assert_non_null(strstr(mp_last_error(), "out of memory"));
        failed++;
    }
    fprintf(stderr, "%s: %lu allocations, %lu runs with one failing, all clean (%lu recovered)\n",
            what, total, failed + recovered, recovered);
    return failed;
}

#endif
