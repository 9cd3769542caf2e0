/* Piecewise-linear approximation and response-curve families, checked
 * against their closed forms. */
#include "helpers.h"
#include "models.h"

typedef struct fn {
    int family;
    double beta, a, b; /* family parameters */
} fn;

static double exact(const fn *f, double x)
{
    switch (f->family) {
    case 0: return f->beta * (1 - exp(-x / f->a));      /* exp */
    case 1: return f->beta * x / (f->a + x);            /* michaelis-menten */
    case 2: return f->beta * tanh(f->a * x / f->b / 2); /* logistic */
    default: return f->beta * pow(x, f->a) / (pow(x, f->a) + pow(f->b, f->a)); /* hill */
    }
}

static void eval(void *ctx, double p, double *x, double *v)
{
    for (int q = 0; q < MPI_NKPI; q++)
        v[q] = 0;
    *x = p;
    v[MPI_SPEND] = p;
    v[MPI_CONVERSIONS] = exact(ctx, p);
}

/* The PWL interpolant stays within tol of the curve's range everywhere
 * (checked on a dense grid), and slopes never rise (concave). */
static void check_pwl(const fn *f, double xmax, double tol)
{
    mpi_curve c;
    memset(&c, 0, sizeof c);
    assert_int_equal(mpi_pwl_build(eval, (void *)f, 0, xmax, tol, 0, NULL, 0, &c), MP_OK);
    assert_true(c.nseg >= 1 && c.nseg < MPI_MAX_SEGMENTS);
    double range = exact(f, xmax) - exact(f, 0);
    double x0 = 0, y0 = 0, worst = 0, width = 0;
    for (int s = 0; s < c.nseg; s++) {
        double slope = mpi_curve_data_yield(&c, s, MPI_CONVERSIONS);
        assert_true(fabs(mpi_curve_data_yield(&c, s, MPI_SPEND) - 1) < 1e-9);
        if (s > 0)
            assert_true(slope <= mpi_curve_data_yield(&c, s - 1, MPI_CONVERSIONS) * (1 + 1e-12));
        for (int i = 0; i <= 200; i++) {
            double x = x0 + mpi_curve_width(&c, s) * i / 200.0;
            double e = fabs(exact(f, x) - (y0 + slope * (x - x0))) / range;
            if (e > worst)
                worst = e;
        }
        y0 += slope * mpi_curve_width(&c, s);
        x0 += mpi_curve_width(&c, s);
        width += mpi_curve_width(&c, s);
    }
    assert_true(fabs(width - xmax) < 1e-9 * xmax);
    assert_true(fabs(y0 - exact(f, xmax)) < 1e-9 * range);
    if (worst > tol)
        fprintf(stderr, "family %d: error %.3g above tolerance %.3g\n", f->family, worst, tol);
    assert_true(worst <= tol);
    mpi_curve_release(&c);
}

static void pwl_meets_tolerance(void **state)
{
    (void)state;
    const fn fams[] = {{0, 500, 20000, 0},
                       {1, 800, 50000, 0},
                       {2, 300, 4, 100000},
                       {3, 1000, 1, 60000},
                       {3, 1000, 0.6, 30000}};
    const double tols[] = {1e-2, 1e-3, 1e-4};
    for (size_t i = 0; i < sizeof fams / sizeof fams[0]; i++)
        for (int t = 0; t < 3; t++)
            check_pwl(&fams[i], 450000, tols[t]);
}

/* Fewer segments than a uniform grid of the same accuracy would need. */
static void pwl_is_adaptive(void **state)
{
    (void)state;
    fn f = {0, 500, 20000, 0};
    mpi_curve c;
    memset(&c, 0, sizeof c);
    assert_int_equal(mpi_pwl_build(eval, &f, 0, 450000, 1e-3, 0, NULL, 0, &c), MP_OK);
    /* A uniform grid with max error e = h^2 max|f''| / 8 / range needs
     * h = sqrt(8 e range / max|f''|); f'' max = beta / k^2 at 0. */
    double range = 500 * (1 - exp(-450000.0 / 20000));
    double h = sqrt(8 * 1e-3 * range / (500 / (20000.0 * 20000.0)));
    int uniform = (int)ceil(450000 / h);
    assert_true(c.nseg < uniform);
    mpi_curve_release(&c);
}

/* The chord error of f(x) = beta (1 - exp(-x / a)) over [x0, x1], in closed
 * form: largest where f' equals the chord's slope m, at x = -a ln(m a / beta). */
static double exp_chord_error(const fn *f, double x0, double x1)
{
    double m = (exact(f, x1) - exact(f, x0)) / (x1 - x0);
    double x = -f->a * log(m * f->a / f->beta);
    return exact(f, x) - (exact(f, x0) + m * (x - x0));
}

/* mpi_pwl_within says whether breakpoints keep a curve within a tolerance:
 * yes just above the true largest chord error (closed form), no just below
 * it, on uniform grids of 4 to 64 segments. */
static void pwl_within_matches_the_true_error(void **state)
{
    (void)state;
    fn f = {0, 500, 20000, 0};
    double xmax = 100000, p[65];
    for (int n = 4; n <= 64; n *= 2) {
        double worst = 0;
        for (int i = 0; i <= n; i++)
            p[i] = xmax * i / n;
        for (int i = 0; i < n; i++)
            worst = fmax(worst, exp_chord_error(&f, p[i], p[i + 1]));
        worst /= exact(&f, xmax) - exact(&f, 0);
        assert_true(mpi_pwl_within(eval, &f, p, n + 1, worst * (1 + 1e-6)));
        assert_false(mpi_pwl_within(eval, &f, p, n + 1, worst * (1 - 1e-6)));
    }
    assert_true(mpi_pwl_within(eval, &f, p, 1, 0)); /* one point: no chord */
}

/* A tolerance the segments cannot meet: the build stops at MPI_MAX_SEGMENTS
 * (the lazy refinement then redoes it in full), its widths still spanning
 * the curve and its slopes falling. */
static void pwl_runs_out_of_segments(void **state)
{
    (void)state;
    fn f = {0, 500, 20000, 0};
    mpi_curve c;
    memset(&c, 0, sizeof c);
    assert_int_equal(mpi_pwl_build(eval, &f, 0, 450000, 1e-10, 0, NULL, 0, &c), MP_OK);
    assert_int_equal(c.nseg, MPI_MAX_SEGMENTS);
    double width = 0;
    for (int s = 0; s < c.nseg; s++) {
        width += mpi_curve_width(&c, s);
        if (s > 0)
            assert_true(mpi_curve_data_yield(&c, s, MPI_CONVERSIONS) <=
                        mpi_curve_data_yield(&c, s - 1, MPI_CONVERSIONS) * (1 + 1e-12));
    }
    assert_true(fabs(width - 450000) < 1e-9 * 450000);
    assert_true(c.err > 1e-10); /* the tolerance was not met */
    mpi_curve_release(&c);
}

static void families_match_closed_forms(void **state)
{
    (void)state;
    mpi_resp r;
    memset(&r, 0, sizeof r);
    r.family = MPI_FAM_LOGISTIC;
    r.beta = 3;
    r.lambda = 4;
    r.scale = 100000;
    double x = 30000;
    double e = exp(-4 * x / 100000);
    assert_true(fabs(mpi_resp_eval(&r, x) - 3 * (1 - e) / (1 + e)) < 1e-12);
    r.family = MPI_FAM_MM;
    r.k = 20000;
    assert_true(fabs(mpi_resp_eval(&r, x) - 3 * x / (20000 + x)) < 1e-12);
    r.family = MPI_FAM_EXP;
    assert_true(fabs(mpi_resp_eval(&r, x) - 3 * (1 - exp(-x / 20000))) < 1e-12);
    r.family = MPI_FAM_HILL;
    r.ec = 10000;
    r.slope = 1;
    assert_true(fabs(mpi_resp_eval(&r, x) - 3 * x / (x + 10000)) < 1e-12);
    assert_true(mpi_resp_eval(&r, 0) == 0);
}

/* An S-shaped Hill curve becomes its concave envelope: the chord from the
 * origin up to the tangent point x* = ec (s - 1)^(1/s), the curve beyond. */
static void hill_envelope_is_tangent(void **state)
{
    (void)state;
    mpi_resp r;
    memset(&r, 0, sizeof r);
    r.family = MPI_FAM_HILL;
    r.beta = 1000;
    r.ec = 50000;
    r.slope = 2.5;
    double xs = 50000 * pow(1.5, 1 / 2.5);
    double hill_xs = 1000 * pow(xs, 2.5) / (pow(xs, 2.5) + pow(50000, 2.5));
    assert_true(fabs(mpi_resp_eval(&r, xs / 2) - hill_xs / 2) < 1e-9);
    assert_true(fabs(mpi_resp_eval(&r, 2 * xs) -
                     1000 * pow(2 * xs, 2.5) / (pow(2 * xs, 2.5) + pow(50000, 2.5))) < 1e-9);
    /* tangency: the curve's slope at x* equals the chord's slope f(x*)/x* */
    double h = 1e-3;
    double slope = (mpi_resp_eval(&r, xs + h) - mpi_resp_eval(&r, xs)) / h;
    assert_true(fabs(slope - hill_xs / xs) < 1e-6 * hill_xs / xs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pwl_meets_tolerance),
        cmocka_unit_test(pwl_is_adaptive),
        cmocka_unit_test(pwl_within_matches_the_true_error),
        cmocka_unit_test(pwl_runs_out_of_segments),
        cmocka_unit_test(families_match_closed_forms),
        cmocka_unit_test(hill_envelope_is_tangent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
