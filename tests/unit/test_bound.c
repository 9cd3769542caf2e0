/* The certified bound (engine/src/bound.c): the 1-D branch and bound on
 * closed-form functions whose maxima are worked out here by calculus, its
 * interval bounds checked against dense grids of random concave functions,
 * the gap's wording, and a one-channel plan whose exact optimum is
 * beta (1 - exp(-B / k)). */
#include "helpers.h"
#include "bound.h"
#include "report.h"

#include <math.h>

/* g = P - N from two families of concave increasing functions:
 * P(x) = pa (1 - exp(-pk x)) + pl x and N(x) = na (1 - exp(-nk x)) + nl x. */
typedef struct pn_case {
    double pa, pk, pl, na, nk, nl;
} pn_case;

static void pn_eval(void *ctx, double x, double *p, double *n, double *dp)
{
    const pn_case *c = ctx;
    (void)dp; /* no slopes: the chords bound P */
    *p = c->pa * (1 - exp(-c->pk * x)) + c->pl * x;
    *n = c->na * (1 - exp(-c->nk * x)) + c->nl * x;
}

/* pn_eval with P's slope, P' = pa pk exp(-pk x) + pl, by calculus; evals
 * counts the calls. */
typedef struct slope_case {
    pn_case c;
    int evals;
} slope_case;

static void pn_eval_slope(void *ctx, double x, double *p, double *n, double *dp)
{
    slope_case *sc = ctx;
    sc->evals++;
    pn_eval(&sc->c, x, p, n, dp);
    *dp = sc->c.pa * sc->c.pk * exp(-sc->c.pk * x) + sc->c.pl;
}

/* pn_eval counting its calls (slope_case), no slopes. */
static void pn_eval_counted(void *ctx, double x, double *p, double *n, double *dp)
{
    slope_case *sc = ctx;
    sc->evals++;
    pn_eval(&sc->c, x, p, n, dp);
}

static double pn_g(const pn_case *c, double x)
{
    double p, n;
    pn_eval((void *)c, x, &p, &n, &(double){0});
    return p - n;
}

/* A search over [0, end] from its two ends (or npts evenly spaced points). */
static void search_init(mpi_pn_search *s, mpi_pn_pt *buf, size_t cap, const pn_case *c, double end,
                        int npts)
{
    memset(s, 0, sizeof *s);
    s->pt = buf;
    s->cap = cap;
    s->concave = 1;
    s->best = -INFINITY;
    for (int i = 0; i < npts; i++) {
        double x = end * i / (npts - 1), p, n;
        pn_eval((void *)c, x, &p, &n, &(double){0});
        mpi_pn_add(s, x, p, n);
    }
}

/* Concave g: 1 - exp(-x) - x / 2 is largest where exp(-x) = 1/2, x = ln 2,
 * at 1/2 - ln(2) / 2. */
static void concave_maximum(void **state)
{
    (void)state;
    pn_case c = {1, 1, 0, 0, 1, 0.5};
    mpi_pn_pt buf[80];
    mpi_pn_search s;
    search_init(&s, buf, 80, &c, 5, 2);
    double want = 0.5 - 0.5 * log(2);
    double ub = mpi_pn_max(&s, pn_eval, &c, 1e-10, 70);
    assert_true(ub >= want);
    assert_true(ub - want < 1e-9);
    assert_true(fabs(s.arg - log(2)) < 1e-4);
    assert_true(s.best <= want + 1e-15);
}

/* A cap's price: g = (1 - exp(-2x)) - 0.8 (1 - exp(-x)), neither concave nor
 * convex; g' = 2 e^(-2x) - 0.8 e^(-x) = 0 at e^(-x) = 0.4: g = 1 - 0.16 -
 * 0.8 * 0.6 = 0.36 at x = ln 2.5. */
static void negative_weight_on_concave(void **state)
{
    (void)state;
    pn_case c = {1, 2, 0, 0.8, 1, 0};
    mpi_pn_pt buf[80];
    mpi_pn_search s;
    search_init(&s, buf, 80, &c, 6, 3);
    double ub = mpi_pn_max(&s, pn_eval, &c, 1e-9, 70);
    assert_true(ub >= 0.36);
    assert_true(ub - 0.36 < 1e-8);
    assert_true(fabs(s.arg - log(2.5)) < 1e-3);
}

/* Convex g = x - 3 (1 - exp(-x)) on [0, 5] is largest at an end: g(5) =
 * 5 - 3 (1 - e^-5) = 2 + 3 e^-5. */
static void convex_maximum_at_an_end(void **state)
{
    (void)state;
    pn_case c = {0, 1, 1, 3, 1, 0};
    mpi_pn_pt buf[80];
    mpi_pn_search s;
    search_init(&s, buf, 80, &c, 5, 4);
    double want = 2 + 3 * exp(-5);
    double ub = mpi_pn_max(&s, pn_eval, &c, 1e-12, 70);
    assert_true(ub >= want - 1e-15);
    assert_true(ub - want < 1e-9);
}

/* Non-concave search: only monotonicity is used, and the bound is still
 * valid and closes (slowly) on 1 - exp(-x) - x / 2. */
static void monotone_only(void **state)
{
    (void)state;
    pn_case c = {1, 1, 0, 0, 1, 0.5};
    mpi_pn_pt buf[80];
    mpi_pn_search s;
    search_init(&s, buf, 80, &c, 5, 2);
    s.concave = 0;
    double want = 0.5 - 0.5 * log(2);
    double ub = mpi_pn_max(&s, pn_eval, &c, 1e-3, 70);
    assert_true(ub >= want);
    assert_true(ub - want < 1e-2);
}

/* A focus on the intervals around the best point (the caller knows g is
 * concave there) and the kept interval bounds reach the same maximum as the
 * plain search, 1 - exp(-x) - x / 2 at ln 2, from 12 points. */
static void focus_and_kept_bounds(void **state)
{
    (void)state;
    pn_case c = {1, 1, 0, 0, 1, 0.5};
    mpi_pn_pt buf[80];
    double ub_kept[80], at_kept[80];
    mpi_pn_search s;
    search_init(&s, buf, 80, &c, 5, 12);
    size_t k = 0;
    while (s.pt[k].x != s.arg)
        k++;
    s.focus = 1;
    s.from_x = s.pt[k - 1].x;
    s.to_x = s.pt[k + 1].x;
    s.ub = ub_kept;
    s.at = at_kept;
    double want = 0.5 - 0.5 * log(2);
    double ub = mpi_pn_max(&s, pn_eval, &c, 1e-12, 60);
    assert_true(ub >= want);
    assert_true(ub - want < 1e-10);
    assert_true(fabs(s.arg - log(2)) < 1e-4);
}

/* A deterministic stream, so that failures repeat. */
static double uniform(unsigned long long *r)
{
    *r ^= *r << 13;
    *r ^= *r >> 7;
    *r ^= *r << 17;
    return (double)(*r >> 11) / 9007199254740992.0;
}

/* The bound from a few points only (no evaluation) is never below the
 * function's largest value on a dense grid, over 2000 random P - N. */
static void interval_bounds_hold(void **state)
{
    (void)state;
    unsigned long long r = 88172645463325252ULL;
    for (int t = 0; t < 2000; t++) {
        pn_case c = {uniform(&r) * 3, 0.1 + 4 * uniform(&r), uniform(&r) * 0.3,
                     uniform(&r) * 3, 0.1 + 4 * uniform(&r), uniform(&r) * 0.3};
        mpi_pn_pt buf[16];
        mpi_pn_search s;
        int npts = 2 + (int)(uniform(&r) * 8);
        search_init(&s, buf, 16, &c, 4, npts);
        double at, ub = mpi_pn_bound(&s, &at);
        double best = -INFINITY;
        for (int i = 0; i <= 4000; i++)
            best = fmax(best, pn_g(&c, 4.0 * i / 4000));
        assert_true(ub >= best - 1e-12);
    }
}

/* With P's tangents at the points the bound from the points alone still
 * holds against a dense grid, and it is never above the chords' bound from
 * the same points, over 2000 random P - N. */
static void tangent_bounds_hold(void **state)
{
    (void)state;
    unsigned long long r = 88172645463325252ULL;
    for (int t = 0; t < 2000; t++) {
        slope_case sc = {{uniform(&r) * 3, 0.1 + 4 * uniform(&r), uniform(&r) * 0.3,
                          uniform(&r) * 3, 0.1 + 4 * uniform(&r), uniform(&r) * 0.3},
                         0};
        mpi_pn_pt buf[16], chord_buf[16];
        mpi_pn_search s, chords;
        int npts = 2 + (int)(uniform(&r) * 8);
        search_init(&chords, chord_buf, 16, &sc.c, 4, npts);
        search_init(&s, buf, 16, &sc.c, 0, 0);
        for (int i = 0; i < npts; i++) {
            double x = 4.0 * i / (npts - 1), p, n, dp;
            pn_eval_slope(&sc, x, &p, &n, &dp);
            mpi_pn_add_slope(&s, x, p, n, dp);
        }
        double at, ub = mpi_pn_bound(&s, &at), ub_chords = mpi_pn_bound(&chords, &at);
        double best = -INFINITY;
        for (int i = 0; i <= 4000; i++)
            best = fmax(best, pn_g(&sc.c, 4.0 * i / 4000));
        assert_true(ub >= best - 1e-12);
        assert_true(ub <= ub_chords + 1e-15);
    }
}

/* A search given P's slopes reaches the maximum of 1 - exp(-x) - x / 2,
 * 1/2 - ln(2) / 2 at ln 2, as tightly as one without them, in fewer
 * evaluations. */
static void tangent_search(void **state)
{
    (void)state;
    slope_case sc = {{1, 1, 0, 0, 1, 0.5}, 0};
    mpi_pn_pt buf[80], chord_buf[80];
    mpi_pn_search s, chords;
    search_init(&s, buf, 80, &sc.c, 0, 0);
    for (int i = 0; i < 2; i++) {
        double x = 5.0 * i, p, n, dp;
        pn_eval_slope(&sc, x, &p, &n, &dp);
        mpi_pn_add_slope(&s, x, p, n, dp);
    }
    sc.evals = 0;
    double want = 0.5 - 0.5 * log(2);
    double ub = mpi_pn_max(&s, pn_eval_slope, &sc, 1e-10, 70);
    assert_true(ub >= want);
    assert_true(ub - want < 1e-9);
    assert_true(fabs(s.arg - log(2)) < 1e-4);
    slope_case counted = sc;
    counted.evals = 0;
    search_init(&chords, chord_buf, 80, &sc.c, 5, 2);
    double ub_chords = mpi_pn_max(&chords, pn_eval_counted, &counted, 1e-10, 70);
    assert_true(ub_chords - want < 1e-9);
    assert_true(sc.evals < counted.evals);
}

static void gap_wording(void **state)
{
    (void)state;
    char buf[128];
    mpi_certified_text(buf, sizeof buf, 0.0004, 0);
    assert_string_equal(buf, "within 0.04 % of the exact optimum, certified");
    mpi_certified_text(buf, sizeof buf, 0.000412, 0); /* rounded up: it must hold */
    assert_string_equal(buf, "within 0.05 % of the exact optimum, certified");
    mpi_certified_text(buf, sizeof buf, 0.0000123, 0);
    assert_string_equal(buf, "within 0.0013 % of the exact optimum, certified");
    mpi_certified_text(buf, sizeof buf, 0.001, 0);
    assert_string_equal(buf, "within 0.1 % of the exact optimum, certified");
    mpi_certified_text(buf, sizeof buf, 0, 0);
    assert_string_equal(buf, "within 0 % of the exact optimum, certified");
    mpi_certified_text(buf, sizeof buf, NAN, 0);
    assert_string_equal(buf, "no certified bound");
    mpi_certified_text(buf, sizeof buf, 0.02, 1);
    assert_string_equal(buf,
                        "within 2 % of the exact optimum, certified from the plan whose curves "
                        "need not be bought from their first euros");
    assert_true(mpi_gap_of(100, 99) == 0.01);
    assert_true(mpi_gap_of(0, 0) == 0);
    assert_true(isnan(mpi_gap_of(NAN, 1)));
}

/* One exp channel, one period, 100k of budget: the exact optimum spends it
 * all, 1000 (1 - exp(-100k / 50k)) conversions. */
static void one_channel_plan(void **state)
{
    (void)state;
    static const char text[] = "[plan]\nbudget = 100k\nstart = 2027-03-01\nperiods = 1\n"
                               "precision = 1%\n"
                               "[channel \"b\"]\ntype = curve\ncurve = exp\nbeta = 1000\nk = 50k\n";
    mp_plan *plan;
    mp_solution *sol;
    assert_int_equal(mp_plan_load_buffer(text, sizeof text - 1, NULL, &plan), MP_OK);
    assert_int_equal(mp_plan_solve(plan, NULL, &sol), MP_OK);
    double want = 1000 * (1 - exp(-2.0));
    double bound = mp_solution_bound(sol), gap = mp_solution_gap(sol);
    assert_true(bound >= want * (1 - 1e-12));
    assert_true(gap <= mp_plan_gap(plan) + 1e-12);
    assert_true(fabs(gap - fabs(bound - mp_solution_objective(sol)) / bound) < 1e-12);
    mp_solution_free(sol);
    mp_plan_free(plan);
}

/* The smallest value whose ascending prefix sum (negative values counting 0)
 * passes allowed, by sorting a copy here: what mpi_small_sum_threshold's
 * selection must agree with. */
static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double reference_threshold(const double *v, size_t n, double allowed)
{
    double *s = malloc((n ? n : 1) * sizeof(double)), sum = 0, t = INFINITY;
    assert_non_null(s);
    memcpy(s, v, n * sizeof(double));
    qsort(s, n, sizeof(double), cmp_double);
    for (size_t i = 0; i < n; i++) {
        sum += s[i] > 0 ? s[i] : 0;
        if (sum > allowed) {
            t = s[i];
            break;
        }
    }
    free(s);
    return t;
}

/* Values in eighths (every sum exact in any order), many equal, some
 * negative; allowed at every prefix sum and between them. */
static void small_sum_threshold_selects(void **state)
{
    (void)state;
    static const size_t sizes[] = {0, 1, 2, 7, 33, 100, 5000};
    unsigned long long r = 12345;
    for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++) {
        size_t n = sizes[z];
        double *v = malloc((n ? n : 1) * sizeof(double)), total = 0;
        assert_non_null(v);
        for (size_t i = 0; i < n; i++) {
            r = r * 6364136223846793005ULL + 1442695040888963407ULL;
            int k = (int)((r >> 33) % (z % 2 ? 40 : 4000)) - 5;
            v[i] = k / 8.0;
            total += v[i] > 0 ? v[i] : 0;
        }
        for (int f = -1; f <= 41; f++) {
            double allowed = f < 0 ? -1 : total * f / 40.0 + (f % 3 == 1 ? 0.0625 : 0);
            double t = NAN;
            assert_int_equal(mpi_small_sum_threshold(v, n, allowed, &t), MP_OK);
            double want = reference_threshold(v, n, allowed);
            assert_true(t == want || (isinf(t) && isinf(want)));
        }
        /* allowed exactly an ascending prefix sum: the next value passes it */
        double *sorted = malloc((n ? n : 1) * sizeof(double)), prefix = 0;
        assert_non_null(sorted);
        memcpy(sorted, v, n * sizeof(double));
        qsort(sorted, n, sizeof(double), cmp_double);
        for (size_t i = 0; i < n; i++) {
            prefix += sorted[i] > 0 ? sorted[i] : 0;
            if (i % 97 != 3 && i + 1 != n)
                continue;
            double t = NAN;
            assert_int_equal(mpi_small_sum_threshold(v, n, prefix, &t), MP_OK);
            double want = reference_threshold(v, n, prefix);
            assert_true(t == want || (isinf(t) && isinf(want)));
        }
        free(sorted);
        free(v);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(concave_maximum),
        cmocka_unit_test(negative_weight_on_concave),
        cmocka_unit_test(convex_maximum_at_an_end),
        cmocka_unit_test(monotone_only),
        cmocka_unit_test(interval_bounds_hold),
        cmocka_unit_test(tangent_bounds_hold),
        cmocka_unit_test(tangent_search),
        cmocka_unit_test(gap_wording),
        cmocka_unit_test(one_channel_plan),
        cmocka_unit_test(focus_and_kept_bounds),
        cmocka_unit_test(small_sum_threshold_selects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
