/* Failure injection over uncertain curves: the draws file and the ranges
 * (models/draws.c), the mean curve (response.c), the draws' alignment and
 * the plan's quantiles over the draws (uncertain.c), in a load and solve of
 * a plan with a draws file, a range on a curve and a range on a social
 * channel's cvr (independent draws: every combination counted), and a
 * what-if run of two budgets on it. With the Nth allocation made to fail,
 * each run ends with MP_ERR_NOMEM and "out of memory" in mp_last_error(),
 * or, when it makes fewer than N or got over the failure (libcsv asks again
 * for less), with the untouched run's objective to the bit. Leaks are
 * LeakSanitizer's under the ASan build.
 *
 * Sampled as test_adstock is: every N up to DENSE, then every STRIDE-th N
 * and every N of the last TAIL; MP_FAILINJECT_ALL=1 tries every N. */
#include "helpers.h"

#include <limits.h>
#include <math.h>

#include "base.h"

#define DENSE  500
#define STRIDE 29
#define TAIL   20

static const char *PLAN = "[plan]\n"
                          "budget = 240k\n"
                          "start = 2027-03-01\n"
                          "periods = 3\n"
                          "draws = independent\n"
                          "[channel \"telly\"]\n"
                          "type = tv\n"
                          "cpp = 1500\n"
                          "curve = hill\n"
                          "slope = 1\n"
                          "draws = telly.csv\n"
                          "[channel \"web\"]\n"
                          "type = curve\n"
                          "curve = exp\n"
                          "beta = 600 +- 20%\n"
                          "k = 15k\n"
                          "[channel \"meta\"]\n"
                          "type = social\n"
                          "cpm = 7.5\n"
                          "ctr = 1.2%\n"
                          "cvr = 1.6% +- 25%\n"
                          "audience = 2.5M\n";

typedef struct run_ctx {
    const char *path;
    int whatif;
    double objective; /* the run's objective (what-if: the last scenario's) */
} run_ctx;

static mp_status run_once(run_ctx *r)
{
    mp_plan *plan = NULL;
    mp_solution *sol = NULL;
    mp_whatif *w = NULL;
    const char *axes[] = {"budget=150k,240k"};
    mp_status st = mp_plan_load(r->path, &plan);
    if (st == MP_OK && !r->whatif)
        st = mp_plan_solve(plan, NULL, &sol);
    if (st == MP_OK && r->whatif)
        st = mp_whatif_run(plan, axes, 1, NULL, &w);
    if (st == MP_OK)
        r->objective = r->whatif ? mp_whatif_scenario_objective(w, 1) : mp_solution_objective(sol);
    mp_whatif_free(w);
    mp_solution_free(sol);
    mp_plan_free(plan);
    return st;
}

/* Every sampled N for one run; returns how many failed. */
static unsigned long sweep(run_ctx *r)
{
    int all = getenv("MP_FAILINJECT_ALL") && *getenv("MP_FAILINJECT_ALL") == '1';
    mpi_alloc_fail_at(0);
    assert_int_equal(run_once(r), MP_OK);
    unsigned long total = mpi_alloc_count(), failed = 0, recovered = 0;
    double want = r->objective;
    assert_true(isfinite(want) && want > 0);
    for (unsigned long n = 1;; n += all || n < DENSE || n + TAIL >= total ? 1 : STRIDE) {
        r->objective = NAN;
        mpi_alloc_fail_at(n);
        mp_status st = run_once(r);
        unsigned long made = mpi_alloc_count();
        mpi_alloc_fail_at(0);
        if (made < n) {
            assert_int_equal(st, MP_OK);
            assert_true(r->objective == want);
            break;
        }
        if (st == MP_OK) { /* got over: libcsv asks again for less (the history file) */
            assert_true(r->objective == want);
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
            r->whatif ? "whatif" : "optimize", total, failed + recovered, recovered);
    return failed;
}

static char *write_plan(const char *dir)
{
    free(test_write(dir, "telly.csv", "draw,beta,ec\n1,800,25000\n2,900,30000\n3,1100,42000\n"));
    return test_write(dir, "plan.ini", PLAN);
}

static void fails_cleanly(int whatif)
{
    char *dir = test_tmpdir();
    char *path = write_plan(dir);
    run_ctx r = {path, whatif, NAN};
    assert_true(sweep(&r) > 100);
    free(path);
    free(dir);
}

static void optimize_fails_cleanly(void **state)
{
    (void)state;
    fails_cleanly(0);
}

static void whatif_fails_cleanly(void **state)
{
    (void)state;
    fails_cleanly(1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(optimize_fails_cleanly),
        cmocka_unit_test(whatif_fails_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
