/* Constraint expressions: measures, channel lists, values and errors. */
#include "helpers.h"
#include "adapters.h"
#include "plan.h"

static const char plan_text[] =
    "[plan]\nbudget = 100k\nstart = 2027-03-01\nuniverse = 10M\n"
    "[channel \"meta\"]\ntype = social\ncpm = 8\nctr = 1%\naudience = 1M\n"
    "[channel \"tf1-prime\"]\ntype = tv\ncpp = 5000\n"
    "[channel \"m6\"]\ntype = tv\ncpp = 3000\n"
    "[channel \"europe1\"]\ntype = radio\ncpp = 900\n";

static int setup(void **state)
{
    char *dir = test_tmpdir();
    *state = test_plan(dir, plan_text);
    free(dir);
    return 0;
}

static int teardown(void **state)
{
    mp_plan_free(*state);
    return 0;
}

static void parse_ok(const mp_plan *plan, const char *text, mpi_expr *e)
{
    mpi_loc loc = {"t.ini", 3, "expr"};
    mp_status st = mpi_expr_parse(plan, text, &loc, e);
    if (st != MP_OK)
        fprintf(stderr, "%s\n", mp_last_error());
    assert_int_equal(st, MP_OK);
}

static void parses_measures(void **state)
{
    const mp_plan *plan = *state;
    mpi_expr e;
    parse_ok(plan, "share(tv, radio) >= 30%", &e);
    assert_int_equal(e.measure, MPI_M_SHARE);
    assert_int_equal(e.op, MPI_GE);
    assert_true(fabs(e.value - 0.3) < 1e-15);
    assert_int_equal(e.in[0], 0);
    assert_int_equal(e.in[1], 1);
    assert_int_equal(e.in[2], 1);
    assert_int_equal(e.in[3], 1);
    mpi_expr_free(&e);
    parse_ok(plan, "spend(meta, tf1-prime) <= 40k", &e);
    assert_int_equal(e.measure, MPI_M_KPI);
    assert_int_equal(e.kpi, MPI_SPEND);
    assert_true(e.value == 40000);
    assert_int_equal(e.in[0] + e.in[1] + e.in[2] + e.in[3], 2);
    mpi_expr_free(&e);
    parse_ok(plan, "cpa <= 60 EUR", &e);
    assert_int_equal(e.measure, MPI_M_CPA);
    assert_null(e.in);
    assert_true(e.value == 60);
    parse_ok(plan, "roas(digital) >= 400%", &e);
    assert_int_equal(e.measure, MPI_M_ROAS);
    assert_true(fabs(e.value - 4) < 1e-12);
    assert_int_equal(e.in[0], 1);
    assert_int_equal(e.in[1], 0);
    mpi_expr_free(&e);
    parse_ok(plan, "co2 <= 2.5t", &e);
    assert_int_equal(e.kpi, MPI_CO2);
    assert_true(e.value == 2500);
    parse_ok(plan, "reach(offline) >= 40%", &e);
    assert_int_equal(e.kpi, MPI_REACH);
    assert_true(fabs(e.value - 4e6) < 1e-6);
    mpi_expr_free(&e);
    parse_ok(plan, "grp(tf1-prime)=120", &e);
    assert_int_equal(e.kpi, MPI_GRP);
    assert_int_equal(e.op, MPI_EQ);
    mpi_expr_free(&e);
}

static void explains_errors(void **state)
{
    const mp_plan *plan = *state;
    mpi_expr e;
    mpi_loc loc = {"t.ini", 7, "expr"};
    assert_int_equal(mpi_expr_parse(plan, "share(tf2-prime) >= 30%", &loc, &e), MP_ERR_INPUT);
    assert_contains(mp_last_error(), "t.ini:7: expr: unknown channel \"tf2-prime\"");
    assert_contains(mp_last_error(), "did you mean \"tf1-prime\"");
    assert_int_equal(mpi_expr_parse(plan, "spend(search, press) <= 5k", &loc, &e), MP_ERR_INPUT);
    assert_contains(mp_last_error(), "no channel of the plan is in the list");
    /* a media type without channels is allowed next to one that has some */
    parse_ok(plan, "share(tv, press) >= 10%", &e);
    assert_int_equal(e.in[1] + e.in[2], 2);
    mpi_expr_free(&e);
    assert_int_equal(mpi_expr_parse(plan, "conversion >= 5", &loc, &e), MP_ERR_INPUT);
    assert_contains(mp_last_error(), "did you mean conversions");
    assert_int_equal(mpi_expr_parse(plan, "share(tv) >= 130%", &loc, &e), MP_ERR_INPUT);
    assert_int_equal(mpi_expr_parse(plan, "cpa >= 60", &loc, &e), MP_ERR_INPUT);
    assert_int_equal(mpi_expr_parse(plan, "spend(tv <= 5", &loc, &e), MP_ERR_INPUT);
    assert_int_equal(mpi_expr_parse(plan, "spend(tv) 5", &loc, &e), MP_ERR_INPUT);
    assert_int_equal(mpi_expr_parse(plan, "spend(tv) <= 5 USD", &loc, &e), MP_ERR_INPUT);
    assert_int_equal(mpi_expr_parse(plan, "spend(tv) <= nan", &loc, &e), MP_ERR_INPUT);
    assert_int_equal(mpi_expr_parse(plan, "", &loc, &e), MP_ERR_INPUT);
}

/* Only the documented operators: anything else is refused with their list. */
static void refuses_undocumented_operators(void **state)
{
    const mp_plan *plan = *state;
    static const char *const bad[][2] = {{"cpa < 110", "\"<\""},
                                         {"spend(tv) > 5k", "\">\""},
                                         {"spend(tv) == 5k", "\"==\""},
                                         {"spend(tv) =< 5k", "\"=<\""},
                                         {"spend(tv) != 5k", "\"!=\""}};
    mpi_expr e;
    mpi_loc loc = {"t.ini", 7, "expr"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(mpi_expr_parse(plan, bad[i][0], &loc, &e), MP_ERR_INPUT);
        assert_contains(mp_last_error(), "unknown operator");
        assert_contains(mp_last_error(), bad[i][1]);
        assert_contains(mp_last_error(), "write <=, >= or =");
    }
    parse_ok(plan, "spend(tv)=5k", &e);
    assert_int_equal(e.op, MPI_EQ);
    mpi_expr_free(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(parses_measures, setup, teardown),
        cmocka_unit_test_setup_teardown(refuses_undocumented_operators, setup, teardown),
        cmocka_unit_test_setup_teardown(explains_errors, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
