/* Report writers: files appear whole or not at all. */
#include "helpers.h"
#include "adapters.h"
#include "plan.h"

static mp_solution *solve_small(const char *dir, mp_plan **plan)
{
    *plan = test_plan(dir, "[plan]\nbudget = 100k\nstart = 2027-03-01\nperiods = 2\n"
                           "[channel \"c\"]\ntype = curve\ncurve = exp\nbeta = 100\nk = 20k\n");
    mp_solution *sol;
    assert_int_equal(mp_plan_solve(*plan, NULL, &sol), MP_OK);
    return sol;
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(1 << 20);
    *n = fread(buf, 1, 1 << 20, f);
    fclose(f);
    return buf;
}

static void writes_and_replaces_atomically(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    mp_plan *plan;
    mp_solution *sol = solve_small(dir, &plan);
    char *xlsx = test_write(dir, "out.xlsx", "previous workbook");
    assert_int_equal(mp_solution_write_xlsx(sol, xlsx), MP_OK);
    size_t n = 0;
    char *b = slurp(xlsx, &n);
    assert_true(n > 1000 && b[0] == 'P' && b[1] == 'K'); /* a zip container */
    free(b);
    char *json = test_write(dir, "out.json", "");
    assert_int_equal(mp_solution_write_json(sol, json), MP_OK);
    b = slurp(json, &n);
    assert_true(n > 100 && b[0] == '{');
    free(b);
    /* a missing directory fails cleanly and writes nothing */
    char missing[600];
    snprintf(missing, sizeof missing, "%s/no/such/dir/out.xlsx", dir);
    assert_int_equal(mp_solution_write_xlsx(sol, missing), MP_ERR_IO);
    assert_contains(mp_last_error(), "does not exist");
    /* no temporary file is left behind */
    char cmd[700];
    snprintf(cmd, sizeof cmd, "ls -A %s | grep -c '^\\.' > %s/count", dir, dir);
    assert_int_equal(system(cmd) >= 0, 1);
    char cpath[600];
    snprintf(cpath, sizeof cpath, "%s/count", dir);
    b = slurp(cpath, &n);
    assert_true(n >= 1 && b[0] == '0');
    free(b);
    free(xlsx);
    free(json);
    mp_solution_free(sol);
    mp_plan_free(plan);
    free(dir);
}

static void infeasible_plans_write_no_workbook(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    mp_plan *plan = test_plan(dir, "[plan]\nbudget = 100k\nstart = 2027-03-01\n"
                                   "[channel \"c\"]\ntype = curve\ncurve = exp\nbeta = 100\n"
                                   "k = 20k\nmin_spend = 150k\n");
    mp_solution *sol;
    assert_int_equal(mp_plan_solve(plan, NULL, &sol), MP_OK);
    assert_int_equal(mp_solution_result(sol), MP_RESULT_INFEASIBLE);
    assert_contains(mp_solution_explain(sol), "the budget of 100,000 EUR is below the sum of "
                                              "channel minimums, 150,000 EUR");
    char *xlsx = test_write(dir, "keep.xlsx", "previous workbook");
    assert_int_not_equal(mp_solution_write_xlsx(sol, xlsx), MP_OK);
    size_t n = 0;
    char *b = slurp(xlsx, &n);
    assert_int_equal(n, strlen("previous workbook"));
    assert_memory_equal(b, "previous workbook", n);
    free(b);
    free(xlsx);
    mp_solution_free(sol);
    mp_plan_free(plan);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(writes_and_replaces_atomically),
        cmocka_unit_test(infeasible_plans_write_no_workbook),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
