/* Failure injection over the risk plans (engine/src/risk.c): the cuts' LP
 * of risk = cvar (a range on a curve and on a social channel's cvr, so a
 * rate channel's column and a draw's chords are both in each cut) and of
 * risk = worst over a draws file, on two periods. With the Nth allocation
 * made to fail, each run ends with MP_ERR_NOMEM and "out of memory" in
 * mp_last_error(), or, when it makes fewer than N, with the untouched
 * run's objective to the bit. Leaks are LeakSanitizer's under the ASan
 * build.
 *
 * Sampled as test_draws is: every N up to DENSE, then every STRIDE-th N
 * and every N of the last TAIL; MP_FAILINJECT_ALL=1 tries every N. */
#include "helpers.h"

#include <math.h>

#include "base.h"

#define DENSE  300
#define STRIDE 37
#define TAIL   20

static const char *CVAR = "[plan]\n"
                          "budget = 240k\n"
                          "start = 2027-03-01\n"
                          "periods = 2\n"
                          "risk = cvar 20%\n"
                          "[channel \"web\"]\n"
                          "type = curve\n"
                          "curve = exp\n"
                          "beta = 600 +- 30%\n"
                          "k = 15k\n"
                          "[channel \"meta\"]\n"
                          "type = social\n"
                          "cpm = 7.5\n"
                          "ctr = 1.2%\n"
                          "cvr = 1.6% +- 25%\n"
                          "audience = 2.5M\n";

static const char *WORST = "[plan]\n"
                           "budget = 240k\n"
                           "start = 2027-03-01\n"
                           "periods = 2\n"
                           "risk = worst\n"
                           "[channel \"telly\"]\n"
                           "type = tv\n"
                           "cpp = 1500\n"
                           "curve = hill\n"
                           "slope = 1\n"
                           "draws = telly.csv\n"
                           "[channel \"web\"]\n"
                           "type = curve\n"
                           "curve = exp\n"
                           "draws = web.csv\n";

static mp_status run_once(const char *path, double *objective)
{
    mp_plan *plan = NULL;
    mp_solution *sol = NULL;
    mp_status st = mp_plan_load(path, &plan);
    if (st == MP_OK)
        st = mp_plan_solve(plan, NULL, &sol);
    if (st == MP_OK)
        *objective = mp_solution_objective(sol);
    mp_solution_free(sol);
    mp_plan_free(plan);
    return st;
}

/* Every sampled N for one plan; returns how many failed. */
static unsigned long sweep(const char *path)
{
    int all = getenv("MP_FAILINJECT_ALL") && *getenv("MP_FAILINJECT_ALL") == '1';
    double want = NAN, got;
    mpi_alloc_fail_at(0);
    assert_int_equal(run_once(path, &want), MP_OK);
    unsigned long total = mpi_alloc_count(), failed = 0;
    assert_true(isfinite(want) && want > 0);
    for (unsigned long n = 1;; n += all || n < DENSE || n + TAIL >= total ? 1 : STRIDE) {
        got = NAN;
        mpi_alloc_fail_at(n);
        mp_status st = run_once(path, &got);
        unsigned long made = mpi_alloc_count();
        mpi_alloc_fail_at(0);
        if (made < n) {
            assert_int_equal(st, MP_OK);
            assert_true(got == want);
            break;
        }
        if (st == MP_OK) { /* got over: an allocation that is retried smaller (libcsv) */
            assert_true(got == want);
            continue;
        }
        if (st != MP_ERR_NOMEM)
            fprintf(stderr, "allocation %lu of %lu failing: %s (%s)\n", n, made, mp_strerror(st),
                    mp_last_error());
        assert_int_equal(st, MP_ERR_NOMEM);
        assert_non_null(strstr(mp_last_error(), "out of memory"));
        failed++;
    }
    fprintf(stderr, "%s: %lu allocations, %lu runs with one failing, all clean\n", path, total,
            failed);
    return failed;
}

static void fails_cleanly(const char *text)
{
    char *dir = test_tmpdir();
    free(test_write(dir, "telly.csv", "draw,beta,ec\n1,800,25000\n2,900,30000\n3,1100,42000\n"));
    free(test_write(dir, "web.csv", "draw,beta,k\n1,700,12000\n2,500,20000\n3,650,15000\n"));
    char *path = test_write(dir, "plan.ini", text);
    assert_true(sweep(path) > 100);
    free(path);
    free(dir);
}

static void cvar_fails_cleanly(void **state)
{
    (void)state;
    fails_cleanly(CVAR);
}

static void worst_fails_cleanly(void **state)
{
    (void)state;
    fails_cleanly(WORST);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cvar_fails_cleanly),
        cmocka_unit_test(worst_fails_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
