/* Effective reach of one channel as a function of its impressions
 * (effective.c) against closed forms: a social channel over an audience
 * equal to the universe reaches as a Poisson does, so its k+ reach is
 * U (1 - sum_{j<k} e^-m m^j / j!); at k = 1 any channel's is its reach; the
 * fewest impressions for a bound meet it and a hair fewer do not. Then the
 * rows, the objective and a floor over two channels (the MIP's grid) on a
 * plan, and runs with each sampled allocation failing in turn ending out of
 * memory or with the untouched objective (inject.h). */
#include "inject.h"

#include "plan.h"

static const char *PLAN = "[plan]\n"
                          "budget = 3M\n"
                          "start = 2027-03-01\n"
                          "periods = 2\n"
                          "universe = 10M\n"
                          "effective_frequency = 3\n"
                          "objective = max conversions\n"
                          "[channel \"tf1\"]\n"
                          "type = tv\n"
                          "cpp = 4000\n"
                          "rmax = 80%\n"
                          "k = 0.006\n"
                          "[channel \"meta\"]\n"
                          "type = social\n"
                          "cpm = 6\n"
                          "audience = 10M\n"
                          "ctr = 1%\n"
                          "cvr = 2%\n"
                          "[constraint \"eff\"]\n"
                          "expr = effective_reach(tf1) >= 40%\n";

static size_t channel_index(const mp_plan *plan, const char *name)
{
    for (size_t c = 0; c < plan->nch; c++)
        if (!strcmp(plan->ch[c].name, name))
            return c;
    fail();
    return 0;
}

static void poisson_closed_form(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    mp_plan *plan = test_plan(dir, PLAN);
    size_t meta = channel_index(plan, "meta");
    const double u = 1e7;
    for (double m = 0.25; m < 8; m *= 2)
        for (int k = 1; k <= 6; k++) {
            double below = 0, term = exp(-m);
            for (int j = 0; j < k; j++) {
                below += term;
                term *= m / (j + 1);
            }
            double want = u * (1 - below);
            assert_true(fabs(mpi_effective_at(plan, meta, k, m * u) - want) <= 1e-6 * u);
        }
    mp_plan_free(plan);
    free(dir);
}

static void one_plus_is_reach(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    mp_plan *plan = test_plan(dir, PLAN);
    size_t tf1 = channel_index(plan, "tf1");
    for (double grp = 10; grp < 2000; grp *= 3) {
        double reach = 0.8 * 1e7 * -expm1(-0.006 * grp); /* Rmax (1 - e^(-k GRP)) */
        assert_true(fabs(mpi_effective_at(plan, tf1, 1, grp / 100 * 1e7) - reach) <= 1e-6 * 1e7);
    }
    /* never falls: the bound is one on impressions */
    for (int k = 1; k <= MPI_MAX_FREQUENCY; k += 7)
        assert_true(isnan(mpi_effective_falls(plan, tf1, k)));
    /* at most what it reaches at all, and past what 10,000 GRP reach */
    double most = mpi_effective_most(plan, tf1, 3);
    assert_true(most <= 0.8e7 && most >= mpi_effective_at(plan, tf1, 3, 100 * 1e7));
    mp_plan_free(plan);
    free(dir);
}

static void fewest_meets_it(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    mp_plan *plan = test_plan(dir, PLAN);
    size_t tf1 = channel_index(plan, "tf1");
    for (double people = 1e5; people < 7.9e6; people *= 1.7) {
        double imp = mpi_effective_exposures(plan, tf1, 3, people);
        assert_true(mpi_effective_at(plan, tf1, 3, imp) >= people);
        assert_true(mpi_effective_at(plan, tf1, 3, imp * (1 - 1e-9)) < people);
    }
    /* past the most: a bound no plan meets */
    assert_true(mpi_effective_exposures(plan, tf1, 3, 0.81e7) > 1e4 * 1e7);
    assert_true(mpi_effective_exposures(plan, tf1, 3, 0) == 0);
    mp_plan_free(plan);
    free(dir);
}

/* The row holds and the objective's row binds on a solved plan. */
static void rows_hold(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    mp_plan *plan = test_plan(dir, PLAN);
    mp_solution *sol = NULL;
    assert_int_equal(mp_plan_solve(plan, NULL, &sol), MP_OK);
    assert_int_equal(mp_solution_result(sol), MP_RESULT_OPTIMAL);
    size_t tf1 = channel_index(plan, "tf1");
    double spend = mp_solution_channel_spend(sol, tf1);
    double got = mpi_effective_at(plan, tf1, 3, spend / 4000 / 100 * 1e7);
    assert_true(got >= 4e6 * (1 - 1e-9) && got <= 4e6 * (1 + 1e-6));
    mp_solution_free(sol);
    mp_plan_free(plan);
    free(dir);
}

static const char *MAX_PLAN_TAIL = "[constraint \"m\"]\n"
                                   "expr = share(meta) >= 40%\n";

/* PLAN with share(meta) >= 40% in place of its constraint. */
static char *max_plan(void)
{
    const char *cut = strstr(PLAN, "[constraint");
    size_t n = (size_t)(cut - PLAN);
    char *text = calloc(n + strlen(MAX_PLAN_TAIL) + 1, 1);
    assert_non_null(text);
    memcpy(text, PLAN, n);
    strcat(text, MAX_PLAN_TAIL);
    return text;
}

/* max_plan() maximising effective_reach(tf1). */
static char *max_plan_text(void)
{
    char *base = max_plan();
    const char *at = strstr(base, "objective = max conversions\n");
    assert_non_null(at);
    size_t head = (size_t)(at - base);
    const char *obj = "objective = max effective_reach(tf1)\n";
    const char *rest = at + strlen("objective = max conversions\n");
    char *text = calloc(strlen(base) + strlen(obj) + 1, 1);
    assert_non_null(text);
    memcpy(text, base, head);
    strcat(text, obj);
    strcat(text, rest);
    free(base);
    return text;
}

static void max_objective(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    char *text = max_plan_text();
    char *path = test_write(dir, "max.ini", text);
    double got = NAN;
    inject_plan run = {path, NULL, 0, 0};
    assert_int_equal(inject_plan_run(&run, &got), MP_OK);
    mp_plan *plan = test_plan(dir, text);
    double want = mpi_effective_at(plan, channel_index(plan, "tf1"), 3, 1.8e6 / 4000 / 100 * 1e7);
    assert_true(fabs(got - want) <= 1e-5 * want);
    mp_plan_free(plan);
    free(text);
    free(path);
    free(dir);
}

/* A plan whose floor spans two channels: the grid of the booked MIP. */
static const char *GRID_PLAN = "[plan]\n"
                               "budget = 3M\n"
                               "start = 2027-03-01\n"
                               "periods = 2\n"
                               "universe = 10M\n"
                               "effective_frequency = 3\n"
                               "objective = max conversions\n"
                               "[channel \"tf1\"]\n"
                               "type = tv\n"
                               "cpp = 4000\n"
                               "rmax = 80%\n"
                               "k = 0.006\n"
                               "[channel \"meta\"]\n"
                               "type = social\n"
                               "cpm = 6\n"
                               "audience = 4M\n"
                               "[channel \"promo\"]\n"
                               "type = curve\n"
                               "curve = exp\n"
                               "beta = 20000\n"
                               "k = 500000\n"
                               "[constraint \"eff\"]\n"
                               "expr = effective_reach(tf1, meta) >= 60%\n";

/* The grid's plan meets the floor: the people both channels reach 3+ times
 * together, from their NBDs convolved here (each channel's P(0..2) from
 * mpi_effective_pmf, whose one-channel sums the tests above check). */
static void grid_meets_floor(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    mp_plan *plan = test_plan(dir, GRID_PLAN);
    mp_solution *sol = NULL;
    assert_int_equal(mp_plan_solve(plan, NULL, &sol), MP_OK);
    assert_int_equal(mp_solution_result(sol), MP_RESULT_OPTIMAL);
    size_t tf1 = channel_index(plan, "tf1"), meta = channel_index(plan, "meta");
    double p[3], q[3];
    mpi_effective_pmf(plan, tf1, 3, mp_solution_channel_spend(sol, tf1) / 4000 / 100 * 1e7, p);
    mpi_effective_pmf(plan, meta, 3, 1000 * mp_solution_channel_spend(sol, meta) / 6, q);
    double below = p[0] * (q[0] + q[1] + q[2]) + p[1] * (q[0] + q[1]) + p[2] * q[0];
    assert_true(1e7 * (1 - below) >= 6e6 * (1 - 1e-9));
    mp_solution_free(sol);
    mp_plan_free(plan);
    free(dir);
}

/* Sampled (every allocation to 100, then one in 23 and the last 10; the
 * grid's, four MIPs a run (the grid, then refined), to 40, one in 97, the
 * last 5; the grid's objective, some thirty MIPs a run, to 4, one in 2003,
 * the last 2: about 15 s in all): the objective's LP, the grid's boxes, its
 * MIPs and the bisection each fail cleanly. */
static void fails_cleanly(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    char *text = max_plan_text();
    /* GRID_PLAN maximising the two channels' effective reach, no floor */
    const char *obj = strstr(GRID_PLAN, "objective = "), *after = strchr(obj, '\n') + 1;
    char *grid_max =
        mpi_aprintf("%.*sobjective = max effective_reach\n%.*s", (int)(obj - GRID_PLAN), GRID_PLAN,
                    (int)(strstr(GRID_PLAN, "[constraint") - after), after);
    assert_non_null(grid_max);
    const char *names[] = {"max.ini", "grid.ini", "grid_max.ini"},
               *texts[] = {text, GRID_PLAN, grid_max};
    const inject_sample samples[] = {{100, 23, 10}, {40, 97, 5}, {4, 2003, 2}};
    for (int i = 0; i < 3; i++) {
        char *path = test_write(dir, names[i], texts[i]);
        inject_plan run = {path, NULL, 0, 0};
        assert_true(inject_sweep(names[i], inject_plan_run, &run, samples[i]) > (i == 2 ? 10 : 40));
        free(path);
    }
    free(grid_max);
    free(text);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(poisson_closed_form), cmocka_unit_test(one_plus_is_reach),
        cmocka_unit_test(fewest_meets_it),     cmocka_unit_test(rows_hold),
        cmocka_unit_test(max_objective),       cmocka_unit_test(grid_meets_floor),
        cmocka_unit_test(fails_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
