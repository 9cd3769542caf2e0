/* The GLPK adapter and the LP builder on problems solved by hand. */
#include "helpers.h"
#include "model.h"

#include <time.h>

/* max 3x + 2y  s.t.  x + y <= 4,  x + 3y >= 2,  0 <= x <= 3,  0 <= y <= 10
 * By hand: x = 3 (its bound), y = 1, objective 11; the first row's dual is 2
 * (one more unit of room buys one more y). */
typedef struct small_lp {
    double obj[2], ub[2], val[4];
    size_t ind[4];
    mpi_row rows[2];
    mpi_lp lp;
} small_lp;

static void small_lp_init(small_lp *p)
{
    *p = (small_lp){.obj = {3, 2},
                    .ub = {3, 10},
                    .val = {1, 1, 1, 3},
                    .ind = {0, 1, 0, 1},
                    .rows = {{.name = "cap", .op = MPI_LE, .rhs = 4, .start = 0, .len = 2},
                             {.name = "floor", .op = MPI_GE, .rhs = 2, .start = 2, .len = 2}}};
    p->lp = (mpi_lp){.sense = 1,
                     .ncols = 2,
                     .obj = p->obj,
                     .ub = p->ub,
                     .rows = p->rows,
                     .nrows = 2,
                     .ind = p->ind,
                     .val = p->val,
                     .nnz = 4};
}

static void solves_a_small_lp(void **state)
{
    (void)state;
    small_lp p;
    small_lp_init(&p);
    mpi_lp lp = p.lp;
    mpi_row *rows = p.rows;
    mpi_lp_sol sol;
    assert_int_equal(mpi_glpk_solve(&lp, NULL, &sol), MP_OK);
    assert_int_equal(sol.status, MPI_LP_OPTIMAL);
    assert_true(fabs(sol.obj - 11) < 1e-9);
    assert_true(fabs(sol.x[0] - 3) < 1e-9 && fabs(sol.x[1] - 1) < 1e-9);
    assert_true(fabs(sol.row_dual[0] - 2) < 1e-9);
    assert_true(fabs(sol.row_dual[1]) < 1e-9);
    mpi_lp_sol_free(&sol);
    /* x + y >= 20 cannot hold with x <= 3, y <= 10 */
    rows[1].rhs = 20;
    rows[1].start = 0;
    assert_int_equal(mpi_glpk_solve(&lp, NULL, &sol), MP_OK);
    assert_int_equal(sol.status, MPI_LP_INFEASIBLE);
    mpi_lp_sol_free(&sol);
}

/* A band's solve (mpi_glpk_solve_hint) gives the same optimum, checked, and
 * the same verdict of no solution, taken from GLPK's first run. */
static void hint_solve_gives_the_same_answers(void **state)
{
    (void)state;
    small_lp p;
    small_lp_init(&p);
    mpi_lp_sol sol;
    assert_int_equal(mpi_glpk_solve_hint(&p.lp, NULL, &sol), MP_OK);
    assert_int_equal(sol.status, MPI_LP_OPTIMAL);
    assert_true(fabs(sol.obj - 11) < 1e-9); /* by hand, above */
    assert_true(fabs(sol.x[0] - 3) < 1e-9 && fabs(sol.x[1] - 1) < 1e-9);
    assert_true(fabs(sol.row_dual[0] - 2) < 1e-9);
    mpi_lp_sol_free(&sol);
    p.rows[1].rhs = 20; /* x + y >= 20 with x <= 3, y <= 10 */
    p.rows[1].start = 0;
    assert_int_equal(mpi_glpk_solve_hint(&p.lp, NULL, &sol), MP_OK);
    assert_int_equal(sol.status, MPI_LP_INFEASIBLE);
    mpi_lp_sol_free(&sol);
}

/* A time limit bounds a whole solve, not each GLPK call: once the deadline
 * has passed, a call that needs iterations stops at once; without one it
 * solves. (The LP above starts infeasible from its dual-feasible basis.) */
static void deadline_bounds_the_whole_solve(void **state)
{
    (void)state;
    small_lp p;
    small_lp_init(&p);
    mpi_lp lp = p.lp;
    mpi_solve_deadline(1e-6);
    struct timespec pause = {0, 2000000};
    nanosleep(&pause, NULL);
    mpi_lp_sol sol;
    assert_int_equal(mpi_glpk_solve(&lp, NULL, &sol), MP_OK);
    assert_int_equal(sol.status, MPI_LP_TIME_LIMIT);
    mpi_lp_sol_free(&sol);
    mpi_solve_deadline(0);
    assert_int_equal(mpi_glpk_solve(&lp, NULL, &sol), MP_OK);
    assert_int_equal(sol.status, MPI_LP_OPTIMAL);
    assert_true(fabs(sol.obj - 11) < 1e-9);
    mpi_lp_sol_free(&sol);
}

/* The solver log reaches the caller's callback when verbose, and only then:
 * GLPK's simplex log has one "obj = ..." line per progress report. */
typedef struct log_sink {
    size_t calls;
    int saw_progress;
} log_sink;

static void collect_log(void *ctx, const char *text)
{
    log_sink *k = ctx;
    k->calls++;
    if (strstr(text, "obj ="))
        k->saw_progress = 1;
}

static void solver_log_goes_to_the_callback(void **state)
{
    (void)state;
    small_lp p;
    small_lp_init(&p);
    mp_solve_opts opts;
    memset(&opts, 0xff, sizeof opts);
    mp_solve_opts_init(&opts);
    assert_null(opts.log);
    assert_null(opts.log_ctx);
    assert_int_equal(opts.verbose, 0);
    log_sink sink = {0, 0};
    opts.log = collect_log;
    opts.log_ctx = &sink;
    mpi_lp_sol sol;
    assert_int_equal(mpi_glpk_solve(&p.lp, &opts, &sol), MP_OK); /* quiet: nothing */
    mpi_lp_sol_free(&sol);
    assert_int_equal(sink.calls, 0);
    opts.verbose = 1;
    assert_int_equal(mpi_glpk_solve(&p.lp, &opts, &sol), MP_OK);
    assert_true(fabs(sol.obj - 11) < 1e-9);
    mpi_lp_sol_free(&sol);
    assert_true(sink.calls > 0);
    assert_true(sink.saw_progress);
    opts.log = NULL; /* verbose without a reader: the log is dropped */
    assert_int_equal(mpi_glpk_solve(&p.lp, &opts, &sol), MP_OK);
    assert_true(fabs(sol.obj - 11) < 1e-9);
    mpi_lp_sol_free(&sol);
}

/* A column index out of range makes GLPK call its error routine; the hook
 * turns that into an error return and the process goes on. */
static void glpk_errors_do_not_abort(void **state)
{
    (void)state;
    double obj[1] = {1}, ub[1] = {1};
    size_t ind[1] = {7};
    double val[1] = {1};
    mpi_row rows[1] = {{.name = "r", .op = MPI_LE, .rhs = 1, .start = 0, .len = 1}};
    mpi_lp lp = {.sense = 1,
                 .ncols = 1,
                 .obj = obj,
                 .ub = ub,
                 .rows = rows,
                 .nrows = 1,
                 .ind = ind,
                 .val = val,
                 .nnz = 1};
    mpi_lp_sol sol;
    assert_int_equal(mpi_glpk_solve(&lp, NULL, &sol), MP_ERR_SOLVER);
    assert_contains(mp_last_error(), "GLPK failed");
    /* and GLPK still works afterwards */
    ind[0] = 0;
    assert_int_equal(mpi_glpk_solve(&lp, NULL, &sol), MP_OK);
    assert_true(fabs(sol.obj - 1) < 1e-12);
    mpi_lp_sol_free(&sol);
}

/* Two linear channels (curve tables with a single segment each): the LP must
 * put the budget where the yield is higher, up to the channel cap. */
static void builds_named_rows(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    free(test_write(dir, "a.csv", "spend,conversions\n100000,500\n"));
    free(test_write(dir, "b.csv", "spend,conversions\n100000,300\n"));
    mp_plan *plan = test_plan(dir, "[plan]\nbudget = 150k\nstart = 2027-03-01\n"
                                   "[channel \"a\"]\ntype = curve\ncurve = table\npoints = a.csv\n"
                                   "max_spend = 80k\n"
                                   "[channel \"b\"]\ntype = curve\ncurve = table\npoints = b.csv\n"
                                   "[constraint \"b-floor\"]\nexpr = spend(b) >= 10k\n");
    mp_solution *sol;
    assert_int_equal(mp_plan_solve(plan, NULL, &sol), MP_OK);
    assert_int_equal(mp_solution_result(sol), MP_RESULT_OPTIMAL);
    /* a: 80k at 0.005/EUR = 400; b: 70k at 0.003/EUR = 210 */
    assert_true(fabs(mp_solution_objective(sol) - 610) < 1e-6);
    mp_solution_free(sol);
    mp_plan_free(plan);
    free(dir);
}

/* The scale factors are powers of two (no digit of the LP changes) and bring
 * each bound to within a factor sqrt(2) of 1. */
static void scale_factors_are_powers_of_two(void **state)
{
    (void)state;
    small_lp p;
    small_lp_init(&p);
    p.ub[0] = 3e-12;
    p.val[1] = 7e9;
    mpi_lp_scale sc;
    assert_int_equal(mpi_lp_scale_init(&p.lp, &sc), MP_OK);
    const double *f[5] = {&sc.col[0], &sc.col[1], &sc.row[0], &sc.row[1], &sc.obj};
    for (int i = 0; i < 5; i++) {
        int e;
        assert_true(frexp(*f[i], &e) == 0.5);
    }
    for (int j = 0; j < 2; j++) {
        double b = p.ub[j] / sc.col[j];
        assert_true(b >= 0.7 && b <= 1.42);
    }
    /* row 0's largest term is y's: 7e9 x its column factor, brought to about 1 */
    double big = 7e9 * sc.col[1] * sc.row[0];
    assert_true(big >= 0.7 && big <= 1.42);
    mpi_lp_scale_free(&sc);
    mpi_lp_scale_free(NULL);
}

/* The check recomputes the rows from the columns: the hand optimum (3, 1) with
 * its prices (2 on the cap, 0 on the floor) passes; a y of 1.1 breaks the cap
 * by 0.1 in a row of size 4.1; a price of 0.5 on the cap leaves y's reduced
 * cost 2 - 0.5 = 1.5 > 0 below its bound: not an optimum. */
static void verify_recomputes_rows_and_prices(void **state)
{
    (void)state;
    small_lp p;
    small_lp_init(&p);
    double x[2] = {3, 1}, act[2] = {0, 0}, dual[2] = {2, 0};
    mpi_lp_sol sol = {.status = MPI_LP_OPTIMAL, .x = x, .row_act = act, .row_dual = dual};
    mpi_lp_check chk;
    assert_int_equal(mpi_lp_verify(&p.lp, &sol, &chk), MP_OK);
    assert_true(chk.ok);
    assert_true(fabs(sol.obj - 11) < 1e-12 && fabs(act[0] - 4) < 1e-12 && fabs(act[1] - 6) < 1e-12);
    x[1] = 1.1;
    assert_int_equal(mpi_lp_verify(&p.lp, &sol, &chk), MP_OK);
    assert_false(chk.ok);
    assert_int_equal(chk.worst_row, 0);
    assert_true(fabs(chk.excess_rel - 0.1 / 4.1) < 1e-12);
    x[1] = 1;
    dual[0] = 0.5;
    assert_int_equal(mpi_lp_verify(&p.lp, &sol, &chk), MP_OK);
    assert_false(chk.ok);
    assert_true(chk.dual_rel > 0.5); /* 1.5 over terms of size 2 + 0.5 */
    x[0] = 4;                        /* above its bound: moved back into it */
    dual[0] = 2;
    assert_int_equal(mpi_lp_verify(&p.lp, &sol, &chk), MP_OK);
    assert_true(chk.ok && x[0] == 3);
}

/* Columns 24 decades apart: a segment 1e-12 wide yielding 1e14 a unit (100 in
 * all) and one 1e12 wide yielding 1e-6, under a budget of 1e12. By hand: the
 * first is filled, the second takes the rest, 1e12 - 1e-12 (1e12 in double),
 * for 100 + 1e6. */
static void solves_columns_decades_apart(void **state)
{
    (void)state;
    double obj[2] = {1e14, 1e-6}, ub[2] = {1e-12, 1e12}, val[2] = {1, 1};
    size_t ind[2] = {0, 1};
    mpi_row rows[1] = {{.name = "budget", .op = MPI_LE, .rhs = 1e12, .start = 0, .len = 2}};
    mpi_lp lp = {.sense = 1,
                 .ncols = 2,
                 .obj = obj,
                 .ub = ub,
                 .rows = rows,
                 .nrows = 1,
                 .ind = ind,
                 .val = val,
                 .nnz = 2};
    mpi_lp_sol sol;
    assert_int_equal(mpi_glpk_solve(&lp, NULL, &sol), MP_OK);
    assert_int_equal(sol.status, MPI_LP_OPTIMAL);
    assert_true(sol.x[0] == 1e-12);
    assert_true(fabs(sol.x[1] - 1e12) <= 1e-9 * 1e12);
    assert_true(sol.x[0] + sol.x[1] <= 1e12 * (1 + 1e-9));
    assert_true(fabs(sol.obj - (100 + 1e6)) <= 1e-9 * 1e6);
    mpi_lp_sol_free(&sol);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(solves_a_small_lp),
        cmocka_unit_test(hint_solve_gives_the_same_answers),
        cmocka_unit_test(deadline_bounds_the_whole_solve),
        cmocka_unit_test(solver_log_goes_to_the_callback),
        cmocka_unit_test(glpk_errors_do_not_abort),
        cmocka_unit_test(builds_named_rows),
        cmocka_unit_test(scale_factors_are_powers_of_two),
        cmocka_unit_test(verify_recomputes_rows_and_prices),
        cmocka_unit_test(solves_columns_decades_apart),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
