/* Failure injection over carryover (adstock): the history reader and the
 * carried-in adstock (adstock_load.c), the curves with the response after the
 * plan, the read-back over the money paid (adstock.c) and the objective over
 * the money paid (min cost: build.c, rows.c), in a load and solve of a plan
 * with adstock, and a what-if run of two budgets on it. With the Nth
 * allocation made to fail, each run ends with MP_ERR_NOMEM and "out of
 * memory" in mp_last_error(), or, when it makes fewer than N or got over the
 * failure (libcsv asks again for less), with the untouched run's objective
 * to the bit. Leaks are LeakSanitizer's under the
 * ASan build.
 *
 * Sampled: every N up to DENSE (the load, the history file with it, and the
 * start of the solve), then every STRIDE-th N (a prime, so that the N tried
 * fall at different points of repeated steps) and every N of the last TAIL.
 * Measured on the 2-core machine (RelWithDebInfo): max conversions 1,301
 * allocations a run, min cost 1,876, the what-if 780; about 520 to 560
 * runs each, 3 s of CPU in all. MP_FAILINJECT_ALL=1 tries every N. */
#include "inject.h"

#include <limits.h>
#include <math.h>

#include "base.h"

#define DENSE  500
#define STRIDE 29
#define TAIL   20

static const char *PLAN_HEAD = "[plan]\n"
                               "budget = 240k\n"
                               "start = 2027-03-01\n"
                               "periods = 6\n"
                               "count_after = 3\n";
static const char *PLAN_CHANNELS = "[channel \"telly\"]\n"
                                   "type = tv\n"
                                   "cpp = 1500\n"
                                   "curve = hill\n"
                                   "beta = 900\n"
                                   "ec = 30k\n"
                                   "slope = 1\n"
                                   "adstock = 0.6\n"
                                   "history = past.csv\n"
                                   "[channel \"web\"]\n"
                                   "type = curve\n"
                                   "curve = exp\n"
                                   "beta = 600\n"
                                   "k = 15k\n"
                                   "adstock = 0.3\n"
                                   "carryover_in = 5k\n";

static char *write_plan(const char *dir, const char *objective)
{
    char text[2048];
    snprintf(text, sizeof text, "%sobjective = %s\n%s%s", PLAN_HEAD, objective, PLAN_CHANNELS,
             strstr(objective, "cost") ? "[constraint \"conv\"]\nexpr = conversions >= 3000\n"
                                       : "");
    free(test_write(dir, "past.csv",
                    "channel,period_start,spend\ntelly,2027-02-22,20000\ntelly,2027-02-15,10000\n"
                    "other,2027-02-22,5\n"));
    return test_write(dir, "plan.ini", text);
}

static void fails_cleanly(const char *objective, int whatif)
{
    char *dir = test_tmpdir();
    char *path = write_plan(dir, objective);
    const char *axes[] = {"budget=150k,240k"};
    inject_plan run = {path, axes, whatif ? 1 : 0, 1};
    inject_sample sample = {DENSE, STRIDE, TAIL};
    assert_true(inject_sweep(whatif ? "whatif" : "optimize", inject_plan_run, &run, sample) > 100);
    free(path);
    free(dir);
}

static void max_conversions_fails_cleanly(void **state)
{
    (void)state;
    fails_cleanly("max conversions", 0);
}

static void min_cost_fails_cleanly(void **state)
{
    (void)state;
    fails_cleanly("min cost", 0);
}

static void whatif_fails_cleanly(void **state)
{
    (void)state;
    fails_cleanly("max conversions", 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(max_conversions_fails_cleanly),
        cmocka_unit_test(min_cost_fails_cleanly),
        cmocka_unit_test(whatif_fails_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
