/* Rows evaluated from the curves (engine/src/rows.c) against the explicit
 * LP's matrix, the independent source here: on a plan with every row kind
 * (budget, period caps, min, max and fixed spend, a reach link, share, CPA,
 * ROAS and KPI constraints, keyword groups), each row's activity and size at
 * random column values must be the matrix's, and the rows must hold or break
 * as they do on the matrix; the evaluation is the same to the bit on one
 * thread or two. */
#include "bound.h"
#include "helpers.h"
#include "model.h"
#include "xorshift.h"

#include <math.h>

static unsigned long long rng = 2463534242ULL;
static double uniform(void)
{
    return xorshift_uniform(&rng);
}

static const char kw_csv[] =
    "Keyword Stats 2026-06-15 at 09_00_00\n\"June 1, 2025 - May 31, 2026\"\n"
    "Keyword\tCurrency\tAvg. monthly searches\tTop of page bid (low range)\t"
    "Top of page bid (high range)\n"
    "dentist paris\tEUR\t400000\t0.80\t2.40\n"
    "dentist lyon\tEUR\t120000\t0.50\t1.90\n"
    "london dentist\tEUR\t90000\t1.10\t3.00\n"
    "implant price\tEUR\t1500000\t0.30\t1.20\n"
    "teeth whitening\tEUR\t250000\t0.70\t2.10\n";

static const char plan_text[] =
    "[plan]\nbudget = 400k\nstart = 2027-03-01\nperiods = 3\nperiod_budget = 180k\n"
    "objective = max conversions\nuniverse = 30M\n"
    "[channel \"google\"]\ntype = search\nkeywords = kw.csv\nctr = 4%\ncvr = 3%\n"
    "value = 80\nmin_spend = 20k\ngroups = rules.ini\ninflation = 9%\n"
    "[channel \"meta\"]\ntype = social\ncpm = 7.5\nctr = 1.2%\ncvr = 1.5%\n"
    "audience = 3M\nvalue = 80\nmax_spend = 150k\n"
    "[channel \"tf1\"]\ntype = tv\ncpp = 5200\nresponse = hill\nbeta = 900\nec = 60k\n"
    "value = 80\n"
    "[channel \"nrj\"]\ntype = radio\ncpp = 900\nresponse = exp\nbeta = 150\n"
    "response_k = 15k\nvalue = 80\nfixed_spend = 30k\n"
    "[constraint \"offline\"]\nexpr = share(tv, radio) >= 20%\n"
    "[constraint \"cpa\"]\nexpr = cpa(google) <= 45\n"
    "[constraint \"roas\"]\nexpr = roas >= 40%\n"
    "[constraint \"conv\"]\nexpr = conversions(meta) >= 100\n"
    "[constraint \"tv-reach\"]\nexpr = reach(tf1) >= 8%\n"
    "[constraint \"dental\"]\nexpr = spend(google:dental) <= 60k\n";

static const int all_kinds[] = {MPI_ROW_BUDGET, MPI_ROW_PERIOD,     MPI_ROW_MIN,       MPI_ROW_MAX,
                                MPI_ROW_FIXED,  MPI_ROW_REACH_LINK, MPI_ROW_CONSTRAINT};

static mp_plan *every_row_plan(const char *dir)
{
    free(test_write(dir, "kw.csv", kw_csv));
    free(test_write(dir, "rules.ini", "[group \"dental\"]\nmatch = (?i)dent\n"));
    return test_plan(dir, plan_text);
}

/* Column values: each segment empty, full or in between, at random. */
static double *random_x(const mpi_lp *lp)
{
    double *x = calloc(lp->ncols + 1, sizeof(double));
    assert_non_null(x);
    for (size_t j = 0; j < lp->ncols; j++) {
        double u = uniform();
        x[j] = u < 0.3 ? 0 : u < 0.6 ? lp->ub[j] : uniform() * lp->ub[j];
    }
    return x;
}

/* Row r's activity at x walked along the explicit matrix, *size its |rhs|
 * plus the sum of |coefficient * x|. */
static double matrix_activity(const mpi_lp *lp, size_t r, const double *x, double *size)
{
    const mpi_row *row = &lp->rows[r];
    double act = 0;
    *size = fabs(row->rhs);
    for (size_t k = row->start; k < row->start + row->len; k++) {
        double t = lp->val[k] * x[lp->ind[k]];
        act += t;
        *size += fabs(t);
    }
    return act;
}

/* Whether x meets every row of the explicit LP within 1e-6 of its size. */
static int matrix_rows_hold(const mpi_lp *lp, const double *x)
{
    for (size_t r = 0; r < lp->nrows; r++) {
        double size, act = matrix_activity(lp, r, x, &size), tol = 1e-6 * (1 + size);
        double rhs = lp->rows[r].rhs;
        int op = lp->rows[r].op;
        if ((op == MPI_LE && act > rhs + tol) || (op == MPI_GE && act < rhs - tol) ||
            (op == MPI_EQ && fabs(act - rhs) > tol))
            return 0;
    }
    return 1;
}

static void assert_same(double got, double want, double size, const char *what, const char *row)
{
    if (!(fabs(got - want) <= 1e-13 * (1 + size))) {
        fprintf(stderr, "%s of %s: matrix %.17g, curves %.17g\n", what, row, want, got);
        fail();
    }
}

/* The evaluation's halves on two threads give act and size to the bit. */
static void same_on_two_threads(const mpi_row_classes *t, const mpi_model *m, const double *x,
                                const double *act, const double *size)
{
    size_t n = m->lp.nrows;
    double *act2 = calloc(n + 1, sizeof(double)), *size2 = calloc(n + 1, sizeof(double));
    assert_true(act2 && size2);
    size_t was = mpi_halves_tune_threads(1);
    mpi_row_classes_eval(t, m, x, act2, size2);
    mpi_halves_tune_threads(was);
    assert_memory_equal(act2, act, n * sizeof(double));
    assert_memory_equal(size2, size, n * sizeof(double));
    free(act2);
    free(size2);
}

/* Every row's activity and size against the matrix's, all rows at once and
 * one at a time. */
static void compare_rows(const mpi_model *m, const mpi_lp *lp, const double *x)
{
    size_t n = m->lp.nrows;
    double *act = calloc(n + 1, sizeof(double)), *size = calloc(n + 1, sizeof(double));
    double *act2 = calloc(n + 1, sizeof(double));
    assert_true(act && size && act2);
    mpi_row_classes t;
    assert_int_equal(mpi_row_classes_init(m, &t), MP_OK);
    mpi_row_classes_eval(&t, m, x, act, size);
    same_on_two_threads(&t, m, x, act, size);
    mpi_row_classes_free(&t);
    assert_int_equal(mpi_model_row_activity(m, x, act2), MP_OK);
    for (size_t r = 0; r < n; r++) {
        double want_size, want = matrix_activity(lp, r, x, &want_size);
        const char *name = m->lp.rows[r].name;
        assert_same(act[r], want, want_size, "activity", name);
        assert_same(size[r], want_size, want_size, "size", name);
        assert_same(act2[r], want, want_size, "activity (alone)", name);
        double one, one_size;
        assert_int_equal(mpi_model_row_activity_one(m, r, x, &one, &one_size), MP_OK);
        assert_same(one, want, want_size, "activity (one row)", name);
        assert_same(one_size, want_size, want_size, "size (one row)", name);
    }
    free(act);
    free(size);
    free(act2);
}

static void every_row_kind(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    mp_plan *plan = every_row_plan(dir);
    mpi_model m;
    assert_int_equal(mpi_model_build(plan, NULL, &m), MP_OK);
    for (size_t k = 0; k < sizeof all_kinds / sizeof *all_kinds; k++) {
        int seen = 0;
        for (size_t r = 0; r < m.lp.nrows; r++)
            seen = seen || m.lp.rows[r].kind == all_kinds[k];
        assert_true(seen); /* the plan has a row of every kind */
    }
    int priced = 0; /* and curves off the data's prices, whose yields scale */
    for (size_t i = 0; i < m.curves.n; i++)
        priced = priced || m.curves.v[i].mult != 1;
    assert_true(priced);
    mpi_lp lp; /* the explicit LP, built for the comparison */
    assert_int_equal(mpi_model_explicit(&m, &lp), MP_OK);
    for (int trial = 0; trial < 20; trial++) {
        double *x = random_x(&lp);
        compare_rows(&m, &lp, x);
        free(x);
    }
    mpi_lp_free(&lp);
    mpi_model_free(&m);
    mp_plan_free(plan);
    free(dir);
}

/* The rows hold or break as on the matrix: at the optimum (they hold), and
 * with one row pushed past its bound, row after row. */
static void rows_hold_as_the_matrix(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    mp_plan *plan = every_row_plan(dir);
    mpi_model m;
    assert_int_equal(mpi_model_build(plan, NULL, &m), MP_OK);
    mpi_lp lp; /* the explicit LP, built for the comparison */
    mpi_lp_sol sol;
    assert_int_equal(mpi_model_explicit(&m, &lp), MP_OK);
    assert_int_equal(mpi_glpk_solve(&lp, NULL, &sol), MP_OK);
    assert_int_equal(sol.status, MPI_LP_OPTIMAL);
    int hold = -1;
    assert_int_equal(mpi_model_rows_hold(&m, sol.x, &hold), MP_OK);
    assert_true(hold);
    assert_true(matrix_rows_hold(&lp, sol.x));
    size_t broken = 0;
    for (int trial = 0; trial < 40; trial++) {
        double *x = random_x(&lp);
        assert_int_equal(mpi_model_rows_hold(&m, x, &hold), MP_OK);
        assert_int_equal(hold, matrix_rows_hold(&lp, x));
        broken += !hold;
        free(x);
    }
    assert_true(broken > 0);
    mpi_lp_sol_free(&sol);
    mpi_lp_free(&lp);
    mpi_model_free(&m);
    mp_plan_free(plan);
    free(dir);
}

/* A row within its bound or past it by more than the tolerance. */
static void within_tolerance(void **state)
{
    (void)state;
    mpi_row le = {.op = MPI_LE, .rhs = 100}, ge = {.op = MPI_GE, .rhs = 100},
            eq = {.op = MPI_EQ, .rhs = 100};
    /* tolerance 1e-6 * (1 + 999999) = 1 */
    assert_true(mpi_row_within(&le, 101, 999999, 1e-6));
    assert_false(mpi_row_within(&le, 101.5, 999999, 1e-6));
    assert_true(mpi_row_within(&ge, 99, 999999, 1e-6));
    assert_false(mpi_row_within(&ge, 98.5, 999999, 1e-6));
    assert_true(mpi_row_within(&eq, 99, 999999, 1e-6));
    assert_false(mpi_row_within(&eq, 101.5, 999999, 1e-6));
    assert_true(mpi_row_within(&ge, 1e9, 0, 1e-6));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_row_kind),
        cmocka_unit_test(rows_hold_as_the_matrix),
        cmocka_unit_test(within_tolerance),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
