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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(solves_a_small_lp),
        cmocka_unit_test(deadline_bounds_the_whole_solve),
        cmocka_unit_test(solver_log_goes_to_the_callback),
        cmocka_unit_test(glpk_errors_do_not_abort),
        cmocka_unit_test(builds_named_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
