/* Failure injection over uncertain curves: the draws file and the ranges
 * (models/draws.c), the mean curve (response.c), the draws' alignment and
 * the plan's quantiles over the draws (uncertain.c), in a load and solve of
 * a plan with a draws file, a range on a curve and a range on a social
 * channel's cvr (independent draws: every combination counted), and a
 * what-if run of two budgets on it; then aligned, the ranges crossed with
 * the file (each file draw with each of their three points). With the Nth allocation made to fail,
 * each run ends with MP_ERR_NOMEM and "out of memory" in mp_last_error(),
 * or, when it makes fewer than N or got over the failure (libcsv asks again
 * for less), with the untouched run's objective to the bit. Leaks are
 * LeakSanitizer's under the ASan build.
 *
 * Sampled as test_adstock is: every N up to DENSE, then every STRIDE-th N
 * and every N of the last TAIL; MP_FAILINJECT_ALL=1 tries every N. */
#include "inject.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

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

/* The plan, its draws independent or (aligned) the ranges crossed with
 * telly's file. */
static char *write_plan(const char *dir, int aligned)
{
    free(test_write(dir, "telly.csv", "draw,beta,ec\n1,800,25000\n2,900,30000\n3,1100,42000\n"));
    const char *cut = strstr(PLAN, "draws = independent\n");
    char text[2048];
    snprintf(text, sizeof text, "%.*s%s", (int)(cut - PLAN), PLAN,
             aligned ? cut + strlen("draws = independent\n") : cut);
    return test_write(dir, "plan.ini", text);
}

static void fails_cleanly(int whatif, int aligned)
{
    char *dir = test_tmpdir();
    char *path = write_plan(dir, aligned);
    const char *axes[] = {"budget=150k,240k"};
    inject_plan run = {path, axes, whatif ? 1 : 0, 1};
    inject_sample sample = {DENSE, STRIDE, TAIL};
    assert_true(inject_sweep(whatif ? "whatif" : "optimize", inject_plan_run, &run, sample) > 100);
    free(path);
    free(dir);
}

static void optimize_fails_cleanly(void **state)
{
    (void)state;
    fails_cleanly(0, 0);
}

static void whatif_fails_cleanly(void **state)
{
    (void)state;
    fails_cleanly(1, 0);
}

static void crossed_fails_cleanly(void **state)
{
    (void)state;
    fails_cleanly(0, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(optimize_fails_cleanly),
        cmocka_unit_test(whatif_fails_cleanly),
        cmocka_unit_test(crossed_fails_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
