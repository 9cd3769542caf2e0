/* Equal things get equal answers (engine/src/ties.c): two identical channels
 * under a budget, filled 700 and 300 by hand. Their segments tie pair by
 * pair (the same objective and budget coefficients), so each pair's spend is
 * spread at one fill fraction, and each curve is then refilled in order:
 * 500 each, each curve full up to 500 and empty past it. A row with room
 * that the spread would break (b's cap of 450) keeps the plan as given;
 * a row at its bound on one channel only (b's cap of 300) tells the
 * channels apart, and nothing moves. Row prices (the LP's duals) change
 * which segments the pass compares, never what it moves; the rows it hands
 * on are the rows at the plan it leaves. */
#include "bound.h"
#include "helpers.h"
#include "model.h"
#include "solution.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

static mp_plan *two_channels(const char *dir, const char *b_extra)
{
    char text[1024];
    snprintf(text, sizeof text,
             "[plan]\nbudget = 1000\nstart = 2027-03-01\n"
             "[channel \"a\"]\ntype = curve\ncurve = michaelis-menten\nbeta = 1000\nk = 500\n"
             "[channel \"b\"]\ntype = curve\ncurve = michaelis-menten\nbeta = 1000\nk = 500\n%s",
             b_extra);
    return test_plan(dir, text);
}

/* Curve c filled in segment order up to spend. */
static void fill_to(const mpi_curve *c, double spend, double *x)
{
    for (int s = 0; s < c->nseg; s++) {
        double v = fmin(mpi_curve_width(c, s), fmax(0, spend));
        x[c->col + (size_t)s] = v;
        spend -= v;
    }
}

/* Row prices only narrow which segments are compared, never the answer:
 * the pass at every price in prices (none, and ones that put the tied
 * segments' reduced costs below, about and above 0), on one thread and on
 * two, moves x to the same plan to the bit. */
static void same_at_any_prices(const mpi_model *m, const double *x0, const double *want)
{
    const double prices[] = {0.05, 0.5, 1, 2, 20};
    double *x = malloc(m->lp.ncols * sizeof(double)), *pi = malloc(m->lp.nrows * sizeof(double));
    assert_true(x && pi);
    for (size_t p = 0; p < sizeof prices / sizeof *prices; p++)
        for (int two = 0; two < 2; two++) {
            for (size_t r = 0; r < m->lp.nrows; r++)
                pi[r] = prices[p] * (double)(r + 1);
            memcpy(x, x0, m->lp.ncols * sizeof(double));
            size_t was = mpi_halves_tune_threads(two ? 1 : SIZE_MAX);
            int in_order = -1;
            assert_int_equal(mpi_equal_ties_ordered(m, x, pi, NULL, &in_order), MP_OK);
            mpi_halves_tune_threads(was);
            assert_memory_equal(x, want, m->lp.ncols * sizeof(double));
            assert_int_equal(in_order, mpi_filled_in_order(m, x));
        }
    free(x);
    free(pi);
}

/* The rows the pass hands on (mpi_rows_at) are the rows at the plan it
 * leaves, to the bit, whether it moved the plan or not: evaluated afresh. */
static void rows_handed_on(const mpi_model *m, const double *x0)
{
    size_t n = m->lp.nrows;
    double *x = malloc(m->lp.ncols * sizeof(double)), *as = malloc((2 * n + 1) * sizeof(double));
    assert_true(x && as);
    memcpy(x, x0, m->lp.ncols * sizeof(double));
    mpi_rows_at ra = {0};
    assert_int_equal(mpi_equal_ties(m, x, NULL, &ra), MP_OK);
    assert_true(ra.valid);
    assert_int_equal(mpi_rows_at_get(NULL, m, x, as), MP_OK);
    assert_memory_equal(ra.as, as, 2 * n * sizeof(double));
    assert_int_equal(mpi_equal_ties(m, x, NULL, &ra),
                     MP_OK); /* from ra, at a plan already spread */
    assert_true(ra.valid);
    assert_int_equal(mpi_rows_at_get(NULL, m, x, as), MP_OK);
    assert_memory_equal(ra.as, as, 2 * n * sizeof(double));
    mpi_rows_at_free(&ra);
    free(x);
    free(as);
}

/* The order the pass reports is the order of the plan it leaves (as
 * mpi_filled_in_order finds it), from a plan in order and from one that
 * fills a's second segment and leaves its first empty, which the pass
 * refills in order when the rows hold and leaves as it is when not. */
static void order_reported(const mpi_model *m, const double *x0)
{
    double *x = malloc(m->lp.ncols * sizeof(double));
    assert_true(x);
    const mpi_curve *a = &m->curves.v[0];
    for (int out = 0; out < 2; out++) {
        memcpy(x, x0, m->lp.ncols * sizeof(double));
        if (out) {
            x[a->col] = 0;
            x[a->col + 1] = mpi_curve_width(a, 1);
            assert_false(mpi_filled_in_order(m, x));
        }
        int in_order = -1;
        assert_int_equal(mpi_equal_ties_ordered(m, x, NULL, NULL, &in_order), MP_OK);
        assert_int_equal(in_order, mpi_filled_in_order(m, x));
    }
    free(x);
}

/* Ties spread over the hand-filled plan: each curve's segments against a
 * fill in order to want_a and want_b. */
static void spread_case(const char *b_extra, double want_a, double want_b)
{
    char *dir = test_tmpdir();
    mp_plan *plan = two_channels(dir, b_extra);
    mpi_model m;
    assert_int_equal(mpi_model_build(plan, NULL, &m), MP_OK);
    assert_int_equal(m.curves.n, 2);
    const mpi_curve *a = &m.curves.v[0], *b = &m.curves.v[1];
    assert_int_equal(a->nseg, b->nseg);
    assert_true(a->nseg > 3); /* several segments, full, partial and empty */
    double *x = calloc(m.lp.ncols, sizeof(double)), *want = calloc(m.lp.ncols, sizeof(double));
    assert_true(x && want);
    fill_to(a, 700, x);
    fill_to(b, 300, x);
    fill_to(a, want_a, want);
    fill_to(b, want_b, want);
    double *x0 = malloc(m.lp.ncols * sizeof(double));
    assert_true(x0);
    memcpy(x0, x, m.lp.ncols * sizeof(double));
    assert_int_equal(mpi_equal_ties(&m, x, NULL, NULL), MP_OK);
    for (size_t j = 0; j < m.lp.ncols; j++)
        if (!(fabs(x[j] - want[j]) <= 1e-9 * 1000)) {
            fprintf(stderr, "column %zu: expected %.12g, got %.12g\n", j, want[j], x[j]);
            fail();
        }
    same_at_any_prices(&m, x0, x);
    rows_handed_on(&m, x0);
    order_reported(&m, x0);
    free(x0);
    free(x);
    free(want);
    mpi_model_free(&m);
    mp_plan_free(plan);
    free(dir);
}

static void identical_channels_split_evenly(void **state)
{
    (void)state;
    spread_case("", 500, 500);
}

static void room_left_on_one_channel(void **state)
{
    (void)state; /* b's cap has room at 300 and at 500: the spread stands */
    spread_case("[constraint \"cap\"]\nexpr = spend(b) <= 550\n", 500, 500);
}

static void a_row_with_room_would_break(void **state)
{
    (void)state; /* b's cap has room at 300, none at 500: the plan stays */
    spread_case("[constraint \"cap\"]\nexpr = spend(b) <= 450\n", 700, 300);
}

static void a_row_at_its_bound_tells_apart(void **state)
{
    (void)state; /* b's cap binds at 300: its segments weigh in that row, a's not */
    spread_case("[constraint \"cap\"]\nexpr = spend(b) <= 300\n", 700, 300);
}

/* A pass asked to sum the rows on a move (the refinement's, whose rows the
 * finish reads when no solve follows) hands on the rows at the plan it
 * leaves as the rows at the plan given plus the moved columns' changes:
 * within rounding of a walk of every segment. Eight more channels, unlike
 * a and b and left at 0, make the move small against the columns (the
 * pass then sums rather than walks). */
static void rows_summed_on_move(void **state)
{
    (void)state;
    char extra[2048] = "[constraint \"cap\"]\nexpr = spend(b) <= 550\n";
    for (int i = 0; i < 8; i++) {
        size_t len = strlen(extra);
        snprintf(extra + len, sizeof extra - len,
                 "[channel \"c%d\"]\ntype = curve\ncurve = michaelis-menten\nbeta = 900\n"
                 "k = %d\n",
                 i, 137 + 100 * i);
    }
    char *dir = test_tmpdir();
    mp_plan *plan = two_channels(dir, extra);
    mpi_model m;
    assert_int_equal(mpi_model_build(plan, NULL, &m), MP_OK);
    size_t n = m.lp.nrows, moved = 0;
    double *x = calloc(m.lp.ncols, sizeof(double)), *x0 = calloc(m.lp.ncols, sizeof(double));
    double *as = calloc(2 * n + 1, sizeof(double));
    assert_true(x && x0 && as);
    fill_to(&m.curves.v[0], 700, x0);
    fill_to(&m.curves.v[1], 300, x0);
    memcpy(x, x0, m.lp.ncols * sizeof(double));
    mpi_rows_at ra = {0};
    assert_int_equal(mpi_rows_at_get(&ra, &m, x, as), MP_OK); /* the rows given, as a solve's */
    ra.sum_on_move = 1;
    assert_int_equal(mpi_equal_ties(&m, x, NULL, &ra), MP_OK);
    for (size_t j = 0; j < m.lp.ncols; j++)
        moved += x[j] != x0[j];
    assert_true(moved > 0 && 16 * moved <= m.lp.ncols);
    const mpi_curve *a = &m.curves.v[0];
    double spend_a = 0;
    for (int k = 0; k < a->nseg; k++)
        spend_a += x[a->col + (size_t)k];
    assert_true(fabs(spend_a - 500) <= 1e-9 * 1000); /* the move: 700 and 300 to 500 each */
    assert_true(ra.valid);
    assert_int_equal(mpi_rows_at_get(NULL, &m, x, as), MP_OK);
    for (size_t r = 0; r < 2 * n; r++)
        assert_true(fabs(ra.as[r] - as[r]) <= 1e-12 * (1 + as[n + r % n]));
    mpi_rows_at_free(&ra);
    free(as);
    free(x0);
    free(x);
    mpi_model_free(&m);
    mp_plan_free(plan);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(identical_channels_split_evenly),
        cmocka_unit_test(room_left_on_one_channel),
        cmocka_unit_test(a_row_with_room_would_break),
        cmocka_unit_test(a_row_at_its_bound_tells_apart),
        cmocka_unit_test(rows_summed_on_move),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
