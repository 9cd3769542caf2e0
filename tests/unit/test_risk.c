/* Failure injection over the risk plans (engine/src/risk.c) and the rows
 * that must hold in every draw (hold.c): the cuts' LP of risk = cvar (a
 * range on a curve and on a social channel's cvr, so a rate channel's
 * column and a draw's chords are both in each cut) and of risk = worst over
 * draws files, on two periods; a min-cost plan whose conversions floor must
 * hold in every draw; and a cvar plan with a CPA cap in every draw (cuts and
 * draws' rows in one loop). Each run with the Nth allocation failing ends
 * out of memory or with the untouched run's objective to the bit
 * (inject.h). */
#include "inject.h"
#include "report.h"

#include <string.h>

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

static const char *HOLD_MIN = "[plan]\n"
                              "budget = 400k\n"
                              "start = 2027-03-01\n"
                              "periods = 2\n"
                              "objective = min cost\n"
                              "must_hold = all\n"
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
                              "audience = 2.5M\n"
                              "[constraint \"floor\"]\n"
                              "expr = conversions >= 900\n";

static const char *HOLD_CVAR = "[plan]\n"
                               "budget = 240k\n"
                               "start = 2027-03-01\n"
                               "periods = 2\n"
                               "risk = cvar 34%\n"
                               "[channel \"telly\"]\n"
                               "type = tv\n"
                               "cpp = 1500\n"
                               "curve = hill\n"
                               "slope = 1\n"
                               "draws = telly.csv\n"
                               "[channel \"web\"]\n"
                               "type = curve\n"
                               "curve = exp\n"
                               "draws = web.csv\n"
                               "[constraint \"cap\"]\n"
                               "expr = cpa <= 100\n"
                               "must_hold = all\n";

static void fails_cleanly(const char *text)
{
    char *dir = test_tmpdir();
    free(test_write(dir, "telly.csv", "draw,beta,ec\n1,800,25000\n2,900,30000\n3,1100,42000\n"));
    free(test_write(dir, "web.csv", "draw,beta,k\n1,700,12000\n2,500,20000\n3,650,15000\n"));
    char *path = test_write(dir, "plan.ini", text);
    inject_plan p = {path, NULL, 0, 0};
    inject_sample s = {300, 37, 20};
    assert_true(inject_sweep(path, inject_plan_run, &p, s) > 100);
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

static void must_hold_min_fails_cleanly(void **state)
{
    (void)state;
    fails_cleanly(HOLD_MIN);
}

static void must_hold_cvar_fails_cleanly(void **state)
{
    (void)state;
    fails_cleanly(HOLD_CVAR);
}

/* A plan the time limit stops before any plan meeting its rows (a floor on
 * conversions, so spending nothing is none): an error for optimize, a
 * result without a plan for a risk plan's comparison with the mean-optimal
 * plan (MPI_SOLVE_PLANLESS), whose line then says why it has none. */
static void planless_comparison(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    char *path = test_write(dir, "plan.ini", HOLD_MIN);
    mp_plan *plan = NULL;
    mp_solution *sol = NULL;
    assert_int_equal(mp_plan_load(path, &plan), MP_OK);
    mp_solve_opts opts;
    mp_solve_opts_init(&opts);
    opts.time_limit_s = 1e-9;
    assert_int_equal(mpi_plan_solve(plan, &opts, 0, &sol), MP_ERR_SOLVER);
    assert_null(sol);
    assert_int_equal(mpi_plan_solve(plan, &opts, MPI_SOLVE_PLANLESS, &sol), MP_OK);
    assert_true(sol->planless && sol->result == MP_RESULT_TIME_LIMIT);
    mpi_risk_out r = {.measure = MPI_RISK_CVAR, .level = 0.1, .mean_stopped = 1};
    r.mean_plan_value = r.mean_plan_mean = NAN;
    sol->risk = &r;
    char line[512];
    mpi_risk_text(sol, MPI_LANG_EN, 0, line, sizeof line);
    assert_non_null(strstr(line, "the time limit stopped the mean-optimal plan's own solve"));
    mpi_risk_text(sol, MPI_LANG_FR, 0, line, sizeof line);
    assert_non_null(strstr(line, "la limite de temps a arrêté"));
    sol->risk = NULL;
    mp_solution_free(sol);
    mp_plan_free(plan);
    free(path);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cvar_fails_cleanly),
        cmocka_unit_test(worst_fails_cleanly),
        cmocka_unit_test(must_hold_min_fails_cleanly),
        cmocka_unit_test(must_hold_cvar_fails_cleanly),
        cmocka_unit_test(planless_comparison),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
