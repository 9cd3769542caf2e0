/* Refinement to the certified gap (engine/src/refine.c) on a weekly search
 * plan whose chords miss a little more than the gap: one round of
 * breakpoints and a re-solve give prices whose bound certifies the LP as
 * built, so the refinement is given up and the plan is the first LP's, to
 * the bit (its spends were packed while the refined LP was solved). Either
 * way the spends the refinement hands on have had the equal-ties pass and
 * are in order, which mpi_solution_finish then trusts. */
#include "helpers.h"
#include "bound.h"
#include "xorshift.h"

#include <math.h>

/* The benchmark's keyword rows (tests/bench/bench.c) from the same
 * deterministic stream: volumes and bids that vary a lot. */
static unsigned long long rng = 88172645463325252ULL;
static double uniform(void)
{
    return xorshift_uniform(&rng);
}

#define KEYWORDS 50

static mp_plan *weekly_plan(const char *dir)
{
    static char csv[KEYWORDS * 80 + 512];
    size_t n = (size_t)snprintf(csv, sizeof csv,
                                "Keyword Stats 2026-06-15 at 09_00_00\n\"June 1, 2025 - May 31, "
                                "2026\"\nKeyword\tCurrency\tAvg. monthly searches\tCompetition "
                                "(indexed value)\tTop of page bid (low range)\tTop of page bid "
                                "(high range)\n");
    for (int i = 0; i < KEYWORDS; i++) {
        double vol = 50 + 20000 * pow(uniform(), 4);
        double lo = 0.2 + 2 * uniform();
        double hi = lo * (1.5 + 2 * uniform());
        int comp = (int)(100 * uniform());
        n += (size_t)snprintf(csv + n, sizeof csv - n, "keyword %d\tEUR\t%.0f\t%d\t%.2f\t%.2f\n", i,
                              vol, comp, lo, hi);
    }
    free(test_write(dir, "kw.csv", csv));
    return test_plan(dir, "[plan]\nname = bench\nbudget = 102000\nstart = 2027-03-01\n"
                          "periods = 13\nuniverse = 30M\n"
                          "[channel \"google\"]\ntype = search\nkeywords = kw.csv\nctr = 4%\n"
                          "cvr = 3%\nvalue = 80\ninflation = 9%\n"
                          "[channel \"meta\"]\ntype = social\ncpm = 7.5\nctr = 1.2%\ncvr = 1.5%\n"
                          "audience = 3M\n"
                          "[channel \"tf1\"]\ntype = tv\ncpp = 5200\nresponse = hill\n"
                          "beta = 900\nec = 60k\n"
                          "[channel \"nrj\"]\ntype = radio\ncpp = 900\nresponse = exp\n"
                          "beta = 150\nresponse_k = 15k\n"
                          "[channel \"lequipe\"]\ntype = press\ncpi = 18k\naudience = 1.2M\n"
                          "response = michaelis-menten\nbeta = 200\nresponse_k = 40k\n"
                          "[constraint \"offline\"]\nexpr = share(offline) >= 20%\n");
}

/* Whether the equal-ties pass would move x (beyond rounding) and whether x
 * is filled in order: what mpi_solution_finish skips when refine says so. */
static void assert_settled(const mpi_model *m, const double *x, const double *pi)
{
    size_t n = m->lp.ncols;
    double *y = malloc(n * sizeof(double));
    assert_non_null(y);
    memcpy(y, x, n * sizeof(double));
    assert_int_equal(mpi_equal_ties(m, y, pi, NULL), MP_OK);
    for (size_t j = 0; j < n; j++)
        assert_true(fabs(y[j] - x[j]) <= 1e-12 * (1 + fabs(x[j])));
    assert_true(mpi_filled_in_order(m, x));
    free(y);
}

static void given_up_refinement_restores_the_first_plan(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    mp_plan *plan = weekly_plan(dir);
    mp_solution *sol = calloc(1, sizeof *sol);
    assert_non_null(sol);
    sol->plan = plan;
    sol->bound = sol->gap = NAN;
    assert_int_equal(mpi_model_build(plan, NULL, &sol->model), MP_OK);
    assert_int_equal(mpi_model_solve(&sol->model, NULL, &sol->lp), MP_OK);
    assert_int_equal(sol->lp.status, MPI_LP_OPTIMAL);

    /* the first plan as refinement's first round leaves it: refilled in
     * order, ties spread; and its exact objective's bound at its prices */
    size_t ncols = sol->model.lp.ncols;
    double *want = malloc(ncols * sizeof(double));
    assert_non_null(want);
    memcpy(want, sol->lp.x, ncols * sizeof(double));
    int in_order = 0;
    assert_int_equal(mpi_refill_in_order(&sol->model, want, &in_order, NULL), MP_OK);
    assert_true(in_order);
    assert_int_equal(mpi_equal_ties(&sol->model, want, sol->lp.row_dual, NULL), MP_OK);
    mpi_bound first = {0};
    assert_int_equal(mpi_lagrange_bound(&sol->model, NULL, sol->lp.row_dual, want, 0, 0, 1, &first),
                     MP_OK);

    assert_int_equal(mpi_refine_to_gap(sol, NULL, NULL), MP_OK);
    /* a refined LP's prices gave a tighter bound... */
    assert_true(sol->bound < first.bound);
    /* ...that certifies the first plan, which comes back to the bit over
     * the curves as built */
    assert_int_equal(sol->model.lp.ncols, ncols);
    assert_int_equal(memcmp(sol->lp.x, want, ncols * sizeof(double)), 0);
    assert_true(sol->lp_tied);
    assert_settled(&sol->model, sol->lp.x, sol->lp.row_dual);

    assert_int_equal(mpi_solution_finish(sol, NULL), MP_OK);
    assert_true(sol->gap <= plan->gap);
    free(want);
    mp_solution_free(sol);
    mp_plan_free(plan);
    free(dir);
}

/* The weekly plan built and solved, ready for refinement. */
static mp_solution *solved(const mp_plan *plan)
{
    mp_solution *sol = calloc(1, sizeof *sol);
    assert_non_null(sol);
    sol->plan = plan;
    sol->bound = sol->gap = NAN;
    assert_int_equal(mpi_model_build(plan, NULL, &sol->model), MP_OK);
    assert_int_equal(mpi_model_solve(&sol->model, NULL, &sol->lp), MP_OK);
    return sol;
}

/* A copy of solution s (its arrays of n columns and m rows). */
static mpi_lp_sol lp_copy(const mpi_lp_sol *s, size_t n, size_t m)
{
    mpi_lp_sol c = *s;
    c.rows_at = NULL; /* the solve's rows at x, s's own: the copy goes without */
    c.x = malloc(n * sizeof(double));
    c.row_act = malloc(m * sizeof(double));
    c.row_dual = malloc(m * sizeof(double));
    assert_true(c.x && c.row_act && c.row_dual);
    memcpy(c.x, s->x, n * sizeof(double));
    memcpy(c.row_act, s->row_act, m * sizeof(double));
    memcpy(c.row_dual, s->row_dual, m * sizeof(double));
    return c;
}

/* Refinement of sol from the first LP's optimum first with its nth
 * allocation failing (none: 0), as a what-if scenario refines (a log of the
 * curves it changes, put back after): out of memory, said so, and nothing
 * leaked or freed twice (the ASan build checks), or, where the allocation
 * was one it can do without, a plan. Returns the allocations it made. */
static unsigned long refine_failing_at(mp_solution *sol, const mpi_lp_sol *first, unsigned long n)
{
    size_t ncols = sol->model.lp.ncols, nrows = sol->model.lp.nrows;
    mpi_refine_log log = {0};
    mpi_lp_sol_free(&sol->lp);
    sol->lp = lp_copy(first, ncols, nrows);
    free(sol->bound_pi);
    sol->bound_pi = NULL;
    sol->bound = NAN;
    mpi_alloc_fail_at(n);
    mp_status st = mpi_refine_to_gap(sol, NULL, &log);
    unsigned long count = mpi_alloc_count();
    mpi_alloc_fail_at(0);
    assert_true(st == MP_OK || (n > 0 && st == MP_ERR_NOMEM));
    mpi_refine_undo(&sol->model, &log);
    mpi_refine_log_free(&log);
    assert_int_equal(mpi_model_lp(&sol->model, NULL), MP_OK);
    assert_int_equal(sol->model.lp.ncols, ncols);
    return count;
}

/* Every allocation of the refinement, each failing in turn. */
static void refinement_fails_cleanly(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    mp_plan *plan = weekly_plan(dir);
    mp_solution *sol = solved(plan);
    mpi_lp_sol first = lp_copy(&sol->lp, sol->model.lp.ncols, sol->model.lp.nrows);
    unsigned long count = refine_failing_at(sol, &first, 0);
    assert_true(count > 0);
    for (unsigned long n = 1; n <= count; n++)
        refine_failing_at(sol, &first, n);
    mpi_lp_sol_free(&first);
    mp_solution_free(sol);
    mp_plan_free(plan);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(given_up_refinement_restores_the_first_plan),
        cmocka_unit_test(refinement_fails_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
