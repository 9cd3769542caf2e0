/* The restricted solve (engine/src/restricted.c, mpi_lp_solve_near): LPs of
 * the engine's shape (boxed segment columns, a dense budget row, a few sparse
 * rows) solved from given row prices must reach the optimum a direct GLPK
 * solve reaches and the closed form computed here: with one budget row the
 * LP is a fractional knapsack, filled greedily by yield; with more rows the
 * optimum is worked out by hand in the comments. */
#include "helpers.h"
#include "model.h"

/* An LP being built: columns first, then rows entry by entry (in increasing
 * column order, as the engine writes them). */
static void lp_new(mpi_lp *lp, int sense, size_t ncols, size_t maxrows, size_t maxnz)
{
    memset(lp, 0, sizeof *lp);
    lp->sense = sense;
    lp->ncols = ncols;
    lp->obj = calloc(ncols, sizeof(double));
    lp->ub = calloc(ncols, sizeof(double));
    lp->rows = calloc(maxrows, sizeof *lp->rows);
    lp->rcap = maxrows;
    lp->ind = calloc(maxnz, sizeof(size_t));
    lp->val = calloc(maxnz, sizeof(double));
    lp->nzcap = maxnz;
    assert_true(lp->obj && lp->ub && lp->rows && lp->ind && lp->val);
}

static void lp_row(mpi_lp *lp, int op, double rhs)
{
    assert_true(lp->nrows < lp->rcap);
    mpi_row *r = &lp->rows[lp->nrows++];
    r->op = op;
    r->rhs = rhs;
    r->start = lp->nnz;
    r->len = 0;
}

static void lp_entry(mpi_lp *lp, size_t j, double v)
{
    assert_true(lp->nnz < lp->nzcap && lp->nrows > 0);
    lp->ind[lp->nnz] = j;
    lp->val[lp->nnz++] = v;
    lp->rows[lp->nrows - 1].len++;
}

static void assert_near(double got, double want, double tol)
{
    if (!(fabs(got - want) <= tol * (1 + fabs(want)))) {
        fprintf(stderr, "expected %.12g, got %.12g\n", want, got);
        fail();
    }
}

/* Solve from prices pi; with *fallback the caller's direct solve follows, as
 * mpi_model_solve does. Checks the answer against the direct solve. */
static void solve_near_and_direct(const mpi_lp *lp, const double *pi, int want_fallback,
                                  mpi_lp_sol *near)
{
    int fallback = -1;
    assert_int_equal(mpi_lp_solve_near(lp, pi, NULL, near, &fallback), MP_OK);
    assert_int_equal(fallback, want_fallback);
    if (fallback) {
        assert_null(near->x); /* nothing to free, nothing half-made */
        assert_int_equal(mpi_glpk_solve(lp, NULL, near), MP_OK);
    }
    mpi_lp_sol direct;
    assert_int_equal(mpi_glpk_solve(lp, NULL, &direct), MP_OK);
    assert_int_equal(near->status, MPI_LP_OPTIMAL);
    assert_int_equal(direct.status, MPI_LP_OPTIMAL);
    assert_near(near->obj, direct.obj, 1e-9);
    for (size_t r = 0; r < lp->nrows; r++)
        assert_near(near->row_act[r], direct.row_act[r], 1e-9);
    mpi_lp_sol_free(&direct);
}

/* Two channels of three segments (width 10 each), yields A 5, 3, 1 and
 * B 4, 2, 0.5, under a dense budget row sum(x) <= budget and, with cap_a > 0,
 * a sparse row xA1 + xA2 + xA3 <= cap_a. */
static void two_channels(mpi_lp *lp, double budget, double cap_a)
{
    static const double yield[6] = {5, 3, 1, 4, 2, 0.5};
    lp_new(lp, 1, 6, 3, 16);
    for (size_t j = 0; j < 6; j++) {
        lp->obj[j] = yield[j];
        lp->ub[j] = 10;
    }
    lp_row(lp, MPI_LE, budget);
    for (size_t j = 0; j < 6; j++)
        lp_entry(lp, j, 1);
    if (cap_a > 0) {
        lp_row(lp, MPI_LE, cap_a);
        for (size_t j = 0; j < 3; j++)
            lp_entry(lp, j, 1);
    }
}

/* Budget 35: A1, B1, A2 whole (yields 5, 4, 3), 5 of B2 (yield 2):
 * 50 + 40 + 30 + 10 = 130; the budget's price is B2's yield, 2. */
static void exact_prices_settle_at_once(void **state)
{
    (void)state;
    mpi_lp lp;
    two_channels(&lp, 35, 0);
    const double want_x[6] = {10, 10, 0, 10, 5, 0};
    double pi[1] = {2};
    mpi_lp_sol near;
    solve_near_and_direct(&lp, pi, 0, &near);
    assert_near(near.obj, 10 * 5 + 10 * 3 + 10 * 4 + 5 * 2, 1e-12);
    for (size_t j = 0; j < 6; j++)
        assert_near(near.x[j], want_x[j], 1e-12);
    assert_near(near.row_dual[0], 2, 1e-12);
    assert_near(near.row_act[0], 35, 1e-12);
    mpi_lp_sol_free(&near);
    mpi_lp_free(&lp);
}

/* Budget 33 and A capped at 15: A1 (5), B1 (4), then A2 (3) until the cap,
 * 5 of it, then 8 of B2 (2): 50 + 40 + 15 + 16 = 121. Prices: the budget's
 * is B2's yield, 2; the cap's is what A2 earns above it, 3 - 2 = 1. */
static void a_sparse_row_is_priced_too(void **state)
{
    (void)state;
    mpi_lp lp;
    two_channels(&lp, 33, 15);
    const double want_x[6] = {10, 5, 0, 10, 8, 0};
    double pi[2] = {2, 1};
    mpi_lp_sol near;
    solve_near_and_direct(&lp, pi, 0, &near);
    assert_near(near.obj, 10 * 5 + 10 * 4 + 5 * 3 + 8 * 2, 1e-12);
    for (size_t j = 0; j < 6; j++)
        assert_near(near.x[j], want_x[j], 1e-12);
    assert_near(near.row_dual[0], 2, 1e-12);
    assert_near(near.row_dual[1], 1, 1e-12);
    assert_near(near.row_act[1], 15, 1e-12);
    mpi_lp_sol_free(&near);
    /* prices off (budget 2.5, cap 0.6): A1 and B1 are fixed at 10, every
     * other column at 0; the small problem (no columns) prices both rows at
     * 0, so A2, A3, B2 and B3 price out wrongly and join it; the second
     * round finds the optimum above */
    double off[2] = {2.5, 0.6};
    solve_near_and_direct(&lp, off, 0, &near);
    assert_near(near.obj, 121, 1e-12);
    for (size_t j = 0; j < 6; j++)
        assert_near(near.x[j], want_x[j], 1e-12);
    mpi_lp_sol_free(&near);
    mpi_lp_free(&lp);
}

/* Prices far off. At 10 every column looks unprofitable: all are fixed at
 * zero, the small problem's budget price comes back 0, every column prices
 * out wrongly and joins, and the second round is the whole LP: repaired,
 * optimal. At 0 every column looks worth filling: all fixed at their upper
 * bounds spend 60 of a budget of 35, the small problem is infeasible and the
 * caller must solve it all (fallback). */
static void far_prices_repair_or_fall_back(void **state)
{
    (void)state;
    mpi_lp lp;
    two_channels(&lp, 35, 0);
    mpi_lp_sol near;
    double high[1] = {10};
    solve_near_and_direct(&lp, high, 0, &near);
    assert_near(near.obj, 130, 1e-12);
    assert_near(near.row_dual[0], 2, 1e-12);
    mpi_lp_sol_free(&near);
    double zero[1] = {0};
    solve_near_and_direct(&lp, zero, 1, &near);
    assert_near(near.obj, 130, 1e-12);
    mpi_lp_sol_free(&near);
    mpi_lp_free(&lp);
}

/* Minimise cost (every column costs 1 per unit) to reach at least 100 of a
 * KPI with the yields above: A1 (5) brings 50, B1 (4) 40, and 10/3 of A2 (3)
 * the last 10: cost 20 + 10/3; the floor's price is 1/3 per unit of KPI. */
static void minimises_to_a_floor(void **state)
{
    (void)state;
    static const double yield[6] = {5, 3, 1, 4, 2, 0.5};
    mpi_lp lp;
    lp_new(&lp, -1, 6, 1, 6);
    lp_row(&lp, MPI_GE, 100);
    for (size_t j = 0; j < 6; j++) {
        lp.obj[j] = 1;
        lp.ub[j] = 10;
        lp_entry(&lp, j, yield[j]);
    }
    double pi[1] = {1.0 / 3};
    mpi_lp_sol near;
    solve_near_and_direct(&lp, pi, 0, &near);
    assert_near(near.obj, 20 + 10.0 / 3, 1e-12);
    assert_near(near.x[1], 10.0 / 3, 1e-12);
    assert_near(near.x[2] + near.x[4] + near.x[5], 0, 1e-12);
    assert_near(near.row_dual[0], 1.0 / 3, 1e-12);
    mpi_lp_sol_free(&near);
    /* from prices twice too high: B2 (yield 2) looks worth buying at first */
    double off[1] = {2.0 / 3};
    solve_near_and_direct(&lp, off, 0, &near);
    assert_near(near.obj, 20 + 10.0 / 3, 1e-12);
    mpi_lp_sol_free(&near);
    mpi_lp_free(&lp);
}

/* B must get at least 40 but its segments hold 30: no prices help; the
 * restricted solve leaves it to the caller, whose direct solve says
 * infeasible. */
static void infeasible_falls_back(void **state)
{
    (void)state;
    mpi_lp lp;
    two_channels(&lp, 33, 0);
    lp_row(&lp, MPI_GE, 40);
    for (size_t j = 3; j < 6; j++)
        lp_entry(&lp, j, 1);
    const double prices[3][2] = {{0, 0}, {2, 0}, {2, -5}};
    for (size_t i = 0; i < 3; i++) {
        mpi_lp_sol near;
        int fallback = -1;
        assert_int_equal(mpi_lp_solve_near(&lp, prices[i], NULL, &near, &fallback), MP_OK);
        assert_int_equal(fallback, 1);
        assert_null(near.x);
        mpi_lp_sol_free(&near);
    }
    mpi_lp_sol direct;
    assert_int_equal(mpi_glpk_solve(&lp, NULL, &direct), MP_OK);
    assert_int_equal(direct.status, MPI_LP_INFEASIBLE);
    mpi_lp_sol_free(&direct);
    mpi_lp_free(&lp);
}

/* Deterministic pseudo-random numbers in [0, 1). */
static double next_uniform(unsigned long *s)
{
    *s = *s * 6364136223846793005UL + 1442695040888963407UL;
    return (double)(*s >> 11) / 9007199254740992.0;
}

typedef struct seg {
    double yield, width;
    size_t col;
} seg;

static int by_yield_desc(const void *a, const void *b)
{
    double ya = ((const seg *)a)->yield, yb = ((const seg *)b)->yield;
    return ya < yb ? 1 : ya > yb ? -1 : 0;
}

/* 300 concave curves of 8 segments under one budget row: the greedy fill by
 * yield is the optimum (a fractional knapsack); the budget's price is the
 * yield of the segment it ends in. From that price, and from prices 40 %
 * too high and too low, the restricted solve must reach it. */
static void many_curves_match_the_greedy_fill(void **state)
{
    (void)state;
    enum { CURVES = 300, SEGS = 8, N = CURVES * SEGS };
    mpi_lp lp;
    lp_new(&lp, 1, N, 1, N);
    seg *s = calloc(N, sizeof *s);
    unsigned long rng = 42;
    double total_width = 0;
    for (size_t c = 0; c < CURVES; c++) {
        double y = 1 + 9 * next_uniform(&rng);
        for (size_t k = 0; k < SEGS; k++) {
            size_t j = c * SEGS + k;
            y *= 0.5 + 0.4 * next_uniform(&rng); /* falling slopes: concave */
            lp.obj[j] = y;
            lp.ub[j] = 500 + 1000 * next_uniform(&rng);
            s[j] = (seg){y, lp.ub[j], j};
            total_width += lp.ub[j];
        }
    }
    double budget = 0.37 * total_width;
    lp_row(&lp, MPI_LE, budget);
    for (size_t j = 0; j < N; j++)
        lp_entry(&lp, j, 1);
    /* the closed form */
    qsort(s, N, sizeof *s, by_yield_desc);
    double *want_x = calloc(N, sizeof(double));
    double left = budget, want_obj = 0, price = 0;
    for (size_t i = 0; i < N && left > 0; i++) {
        double x = s[i].width < left ? s[i].width : left;
        want_x[s[i].col] = x;
        want_obj += x * s[i].yield;
        left -= x;
        price = s[i].yield;
    }
    const double factors[3] = {1, 1.4, 0.6};
    for (size_t f = 0; f < 3; f++) {
        double pi[1] = {price * factors[f]};
        mpi_lp_sol near;
        int fallback = -1;
        assert_int_equal(mpi_lp_solve_near(&lp, pi, NULL, &near, &fallback), MP_OK);
        if (fallback) /* allowed from far prices; the direct solve then decides */
            assert_true(f > 0);
        if (fallback)
            assert_int_equal(mpi_glpk_solve(&lp, NULL, &near), MP_OK);
        assert_int_equal(near.status, MPI_LP_OPTIMAL);
        assert_near(near.obj, want_obj, 1e-9);
        assert_near(near.row_dual[0], price, 1e-9);
        for (size_t j = 0; j < N; j++)
            assert_near(near.x[j], want_x[j], 1e-7);
        mpi_lp_sol_free(&near);
    }
    mpi_lp_sol direct;
    assert_int_equal(mpi_glpk_solve(&lp, NULL, &direct), MP_OK);
    assert_near(direct.obj, want_obj, 1e-9);
    mpi_lp_sol_free(&direct);
    free(want_x);
    free(s);
    mpi_lp_free(&lp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(exact_prices_settle_at_once),
        cmocka_unit_test(a_sparse_row_is_priced_too),
        cmocka_unit_test(far_prices_repair_or_fall_back),
        cmocka_unit_test(minimises_to_a_floor),
        cmocka_unit_test(infeasible_falls_back),
        cmocka_unit_test(many_curves_match_the_greedy_fill),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
