/* The exact model behind the curves (mpi_curve_exact, mpi_curve_end) against
 * closed forms computed here from the raw inputs, at the data's prices and at
 * other price levels (at level m, spend x buys what x / m buys). */
#include "helpers.h"
#include "model.h"

static double Phi(double z)
{
    return 0.5 * erfc(-z / sqrt(2.0));
}

static int close_to(double a, double b, double rel)
{
    return fabs(a - b) <= rel * fmax(fabs(b), 1e-300);
}

/* One-period plan (March 2027, no inflation) with channel text ch, its model
 * built, then priced at cost multiplier mult (1: as built). */
static mp_plan *one_channel(const char *dir, const char *objective, const char *ch, double mult,
                            mpi_model *m)
{
    char text[2048];
    snprintf(text, sizeof text,
             "[plan]\nbudget = 1M\nstart = 2027-03-01\nperiods = 1\nperiod = month\n"
             "universe = 20M\n%s\n[channel \"c\"]\ninflation = 0%%\n%s",
             objective, ch);
    mp_plan *plan = test_plan(dir, text);
    assert_int_equal(mpi_model_build(plan, NULL, m), MP_OK);
    if (mult != 1) {
        mpi_scenario sc;
        assert_int_equal(mpi_scenario_init(&sc, plan), MP_OK);
        sc.cost_mult[0] = mult;
        assert_int_equal(mpi_model_price(m, &sc, 1), MP_OK);
        mpi_scenario_free(&sc);
    }
    for (size_t i = 0; i < m->curves.n; i++)
        assert_true(m->curves.v[i].mult == mult);
    return plan;
}

typedef double (*closed_fn)(double x);

static double hill(double x)
{
    double a = pow(x / 20000, 0.5);
    return 1000 * a / (1 + a);
}
static double expo(double x)
{
    return 1000 * (1 - exp(-x / 50000));
}
static double logistic(double x)
{
    return 800 * tanh(2.0 * x / 100000 / 2);
}
static double mm(double x)
{
    return 500 * x / (30000 + x);
}
/* S-shaped hill (slope 2, ec 40k): its concave envelope, the chord from the
 * origin to the tangent point ec (slope - 1)^(1/slope) = 40k, then the curve. */
static double hill_s(double x)
{
    double h = 600 * x * x / (x * x + 40000.0 * 40000.0);
    return x < 40000 ? 300 * x / 40000 : h;
}
/* points (0,0) (10k,400) (30k,900) (60k,1200), linear in between, flat after */
static double table(double x)
{
    static const double tx[] = {0, 10000, 30000, 60000}, ty[] = {0, 400, 900, 1200};
    if (x >= 60000)
        return 1200;
    int i = x < 10000 ? 0 : x < 30000 ? 1 : 2;
    return ty[i] + (x - tx[i]) * (ty[i + 1] - ty[i]) / (tx[i + 1] - tx[i]);
}

/* Curve channel's exact conversions and revenue (value 40) at spends across
 * its curve, at price levels 1 and 1.7; CO2e 2 kg per 1000 of spend. */
static void check_family(const char *keys, closed_fn f)
{
    char *dir = test_tmpdir();
    free(test_write(dir, "points.csv", "spend,response\n10000,400\n30000,900\n60000,1200\n"));
    char ch[512];
    snprintf(ch, sizeof ch, "type = curve\nvalue = 40\nco2 = 2\n%s", keys);
    const double mults[2] = {1, 1.7};
    for (int i = 0; i < 2; i++) {
        mpi_model m;
        mp_plan *plan = one_channel(dir, "", ch, mults[i], &m);
        const mpi_curve *c = &m.curves.v[0];
        double end = mpi_curve_end(c);
        assert_true(close_to(end, 1e6 * mults[i], 1e-12)); /* built for the budget at level 1 */
        for (int k = 0; k <= 40; k++) {
            double x = end * pow(k / 40.0, 3), v[MPI_NKPI];
            mpi_curve_exact(&m, c, x, v);
            double y = f(x / mults[i]);
            assert_true(v[MPI_SPEND] == x);
            assert_true(close_to(v[MPI_CONVERSIONS], y, 1e-12));
            assert_true(close_to(v[MPI_REVENUE], 40 * y, 1e-12));
            assert_true(close_to(v[MPI_CO2], 2 * x / mults[i] / 1000, 1e-12));
            assert_true(v[MPI_CLICKS] == 0 && v[MPI_REACH] == 0);
        }
        mpi_model_free(&m);
        mp_plan_free(plan);
    }
    free(dir);
}

static void families_match_closed_forms(void **state)
{
    (void)state;
    check_family("curve = hill\nbeta = 1000\nec = 20000\nslope = 0.5\n", hill);
    check_family("curve = exp\nbeta = 1000\nk = 50000\n", expo);
    check_family("curve = logistic\nbeta = 800\nlambda = 2\nscale = 100000\n", logistic);
    check_family("curve = michaelis-menten\nbeta = 500\nk = 30000\n", mm);
    check_family("curve = hill\nbeta = 600\nec = 40000\nslope = 2\n", hill_s);
    check_family("curve = table\npoints = points.csv\n", table);
}

/* Social: impressions 1000 x / cpm, clicks ctr N (1 - e^(-I/N)). */
static void social_matches_closed_form(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    for (int i = 0; i < 2; i++) {
        double mult = i ? 0.8 : 1;
        mpi_model m;
        mp_plan *plan = one_channel(dir, "",
                                    "type = social\ncpm = 8\nctr = 1%\ncvr = 2%\nvalue = 50\n"
                                    "audience = 1M\nmax_frequency = 3\nco2 = 0.5\n",
                                    mult, &m);
        const mpi_curve *c = &m.curves.v[0];
        double end = mpi_curve_end(c);
        assert_true(close_to(end, 24000 * mult, 1e-12)); /* frequency 3 at 8 EUR CPM */
        for (int k = 0; k <= 20; k++) {
            double x = end * k / 20.0, v[MPI_NKPI];
            mpi_curve_exact(&m, c, x, v);
            double imp = 1000 * (x / mult) / 8, clicks = 0.01 * 1e6 * (1 - exp(-imp / 1e6));
            assert_true(close_to(v[MPI_IMPRESSIONS], imp, 1e-12));
            assert_true(close_to(v[MPI_CLICKS], clicks, 1e-12));
            assert_true(close_to(v[MPI_CONVERSIONS], 0.02 * clicks, 1e-12));
            assert_true(close_to(v[MPI_REVENUE], 50 * 0.02 * clicks, 1e-12));
            assert_true(close_to(v[MPI_CO2], 0.5 * imp / 1000, 1e-12));
        }
        mpi_model_free(&m);
        mp_plan_free(plan);
    }
    free(dir);
}

/* TV: GRP x / cpp, impressions GRP / 100 universe, hill response; its reach
 * curve (objective reach) universe Rmax (1 - e^(-k GRP)). Radio the same. */
static void broadcast_grp_and_reach(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    const char *types[2] = {"tv", "radio"};
    for (int i = 0; i < 4; i++) {
        double mult = i % 2 ? 1.25 : 1;
        char ch[512];
        snprintf(ch, sizeof ch,
                 "type = %s\ncpp = 5000\nrmax = 85%%\nk = 0.0058\nresponse = hill\nbeta = 400\n"
                 "ec = 100k\nco2 = 50\n",
                 types[i / 2]);
        mpi_model m;
        mp_plan *plan = one_channel(dir, "objective = max reach\n", ch, mult, &m);
        assert_int_equal(m.curves.n, 2);
        const mpi_curve *c = &m.curves.v[0], *r = &m.curves.v[1];
        assert_int_equal(r->kind, MPI_CURVE_REACH);
        for (int k = 0; k <= 20; k++) {
            double x = mpi_curve_end(c) * k / 20.0, v[MPI_NKPI];
            mpi_curve_exact(&m, c, x, v);
            double grp = x / mult / 5000;
            assert_true(close_to(v[MPI_GRP], grp, 1e-12));
            assert_true(close_to(v[MPI_IMPRESSIONS], grp / 100 * 20e6, 1e-12));
            assert_true(close_to(v[MPI_CO2], 50 * grp, 1e-12));
            assert_true(
                close_to(v[MPI_CONVERSIONS], 400 * (x / mult) / (100000 + x / mult), 1e-12));
            x = mpi_curve_end(r) * k / 20.0;
            mpi_curve_exact(&m, r, x, v);
            assert_true(v[MPI_SPEND] == x);
            assert_true(
                close_to(v[MPI_REACH], 20e6 * 0.85 * (1 - exp(-0.0058 * x / mult / 5000)), 1e-12));
        }
        mpi_model_free(&m);
        mp_plan_free(plan);
    }
    free(dir);
}

/* Press: insertions x / cpi, impressions insertions x audience; reach
 * readership (1 - e^(-n audience / readership)). */
static void press_matches_closed_form(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    for (int i = 0; i < 2; i++) {
        double mult = i ? 2 : 1;
        mpi_model m;
        mp_plan *plan = one_channel(dir, "objective = max reach\n",
                                    "type = press\ncpi = 18k\naudience = 1.2M\nreadership = 2.6M\n"
                                    "max_insertions = 4\nco2 = 300\n",
                                    mult, &m);
        const mpi_curve *c = &m.curves.v[0], *r = &m.curves.v[1];
        assert_true(close_to(mpi_curve_end(c), 72000 * mult, 1e-12));
        for (int k = 0; k <= 10; k++) {
            double x = mpi_curve_end(c) * k / 10.0, v[MPI_NKPI];
            mpi_curve_exact(&m, c, x, v);
            double n = x / mult / 18000;
            assert_true(close_to(v[MPI_IMPRESSIONS], n * 1.2e6, 1e-12));
            assert_true(close_to(v[MPI_CO2], 300 * n, 1e-12));
            x = mpi_curve_end(r) * k / 10.0;
            mpi_curve_exact(&m, r, x, v);
            n = x / mult / 18000;
            assert_true(close_to(v[MPI_REACH], 2.6e6 * (1 - exp(-n * 1.2 / 2.6)), 1e-12));
        }
        mpi_model_free(&m);
        mp_plan_free(plan);
    }
    free(dir);
}

static const char kw_csv[] =
    "Keyword Stats 2026-06-15 at 21_38_13\n"
    "\"June 1, 2025 - May 31, 2026\"\n"
    "Keyword,Currency,Avg. monthly searches,Competition (indexed value),"
    "Top of page bid (low range),Top of page bid (high range),Searches: Jun 2025,Searches: Jul "
    "2025,Searches: Aug 2025,Searches: Sep 2025,Searches: Oct 2025,Searches: Nov 2025,"
    "Searches: Dec 2025,Searches: Jan 2026,Searches: Feb 2026,Searches: Mar 2026,"
    "Searches: Apr 2026,Searches: May 2026\n"
    "running shoes,EUR,12000,60,%.2f,%.2f,10000,10000,10000,10000,10000,10000,10000,10000,10000,"
    "15500,10000,10000\n";

/* The keyword's bid range (the 20th and 80th percentiles of competing bids). */
static double bid_lo = 0.80, bid_hi = 2.00;

/* One keyword over March 2027 at a yearly inflation rate, its model priced at
 * the plan's rate (the scenario's rate when rate is not NAN). */
static mp_plan *one_keyword(const char *dir, double plan_rate, double rate, const char *extra,
                            mpi_model *m)
{
    char text[1024];
    snprintf(text, sizeof text, kw_csv, bid_lo, bid_hi);
    free(test_write(dir, "kw.csv", text));
    snprintf(text, sizeof text,
             "[plan]\nbudget = 1M\nstart = 2027-03-01\nperiods = 1\nperiod = month\n"
             "[channel \"s\"]\ntype = search\nkeywords = kw.csv\nctr = 5%%\ncvr = 2%%\n"
             "value = 80\ninflation = %g%%\n%s",
             plan_rate * 100, extra);
    mp_plan *plan = test_plan(dir, text);
    assert_int_equal(mpi_model_build(plan, NULL, m), MP_OK);
    assert_int_equal(m->curves.n, 1);
    if (!isnan(rate)) {
        mpi_scenario sc;
        assert_int_equal(mpi_scenario_init(&sc, plan), MP_OK);
        sc.rate[0] = rate;
        assert_int_equal(mpi_model_price(m, &sc, 1), MP_OK);
        mpi_scenario_free(&sc);
    }
    return plan;
}

/* The auction: competing bids log-normal through the 20th and 80th
 * percentiles (0.80, 2.00), inflated by g; bidding at parameter z buys
 * V ctr (Phi(z) - Phi(-4)) clicks for V ctr e^(mu + s^2/2) (Phi(z - s) -
 * Phi(-4 - s)) and bids e^(mu + s z). */
typedef struct auction {
    double vctr, mu, sigma;
} auction;

static auction auction_at(double rate)
{
    double years =
        (mpi_days_from_civil(2027, 3, 1) + 15.5 - mpi_days_from_civil(2026, 6, 1)) / 365.25;
    auction a = {15500 * 0.05, 0.5 * (log(bid_lo) + log(bid_hi)) + years * log(1 + rate),
                 (log(bid_hi) - log(bid_lo)) / (2 * 0.8416212335729143)};
    return a;
}

static double auction_cost(const auction *a, double z)
{
    return a->vctr * exp(a->mu + a->sigma * a->sigma / 2) *
           (Phi(z - a->sigma) - Phi(-4 - a->sigma));
}

/* The curve's exact KPIs and bid at points + 1 spends evenly spread in z. */
static void check_points(const mpi_model *m, const auction *a, double zmax, int points)
{
    const mpi_curve *c = &m->curves.v[0];
    assert_true(close_to(mpi_curve_end(c), auction_cost(a, zmax), 1e-10));
    for (int k = 0; k <= points; k++) {
        double z = -4 + (zmax + 4) * k / points, x = auction_cost(a, z), v[MPI_NKPI];
        double clicks = a->vctr * (Phi(z) - Phi(-4));
        mpi_curve_exact(m, c, x, v);
        assert_true(v[MPI_SPEND] == x);
        /* 1e-12 relative, and the rounding of Phi(z) - Phi(-4) near the start */
        double tol = 1e-12 * clicks + 1e-15 * a->vctr;
        if (!(fabs(v[MPI_CLICKS] - clicks) <= tol))
            fprintf(stderr, "z %g: clicks %.17g, expected %.17g\n", z, v[MPI_CLICKS], clicks);
        assert_true(fabs(v[MPI_CLICKS] - clicks) <= tol);
        assert_true(fabs(v[MPI_CONVERSIONS] - 0.02 * clicks) <= 0.02 * tol);
        assert_true(fabs(v[MPI_REVENUE] - 80 * 0.02 * clicks) <= 80 * 0.02 * tol);
        assert_true(fabs(v[MPI_IMPRESSIONS] - clicks / 0.05) <= tol / 0.05);
        double w[MPI_NKPI], bid = mpi_curve_exact_bid(m, c, x, w);
        assert_true(w[MPI_CLICKS] == v[MPI_CLICKS]);
        /* three points at once (finite differences): the closed form's clicks
         * at x, and each point as exact gives it alone, to the bit */
        double xs[3] = {x, 0.5 * x, x}, vn[3 * MPI_NKPI];
        mpi_curve_exact_n(m, c, xs, 3, vn);
        assert_true(fabs(vn[MPI_CLICKS] - clicks) <= tol);
        for (int i = 0; i < 3; i++) {
            double one[MPI_NKPI];
            mpi_curve_exact(m, c, xs[i], one);
            assert_memory_equal(vn + i * MPI_NKPI, one, sizeof one);
        }
        if (k > 0)
            assert_true(close_to(bid, exp(a->mu + a->sigma * z), 1e-10));
    }
}

static void check_keyword(const mpi_model *m, const auction *a, double zmax)
{
    check_points(m, a, zmax, 50);
}

/* Search at the plan's rate (10 %) and at scenario rates 30 %, 0 and -20 %. */
static void search_inverts_the_auction(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    const double rates[4] = {NAN, 0.30, 0.0, -0.20};
    for (int i = 0; i < 4; i++) {
        mpi_model m;
        mp_plan *plan = one_keyword(dir, 0.10, rates[i], "", &m);
        auction a = auction_at(isnan(rates[i]) ? 0.10 : rates[i]);
        check_keyword(&m, &a, 3.0902323061678132);
        mpi_model_free(&m);
        mp_plan_free(plan);
    }
    free(dir);
}

/* A keyword whose competing bids spread over 20th to 80th percentiles of
 * 0.05 and 20.00 (sigma 3.6): its curve starts far in the spend's lower
 * tail (Phi(-4 - sigma) about 1e-14), where the quantile that inverts the
 * spend takes its outermost branch; its clicks at 5,001 spends (the CDF's
 * table has 456 nodes) hold 1e-12 of the closed form. */
static void search_inverts_a_wide_auction(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    bid_lo = 0.05;
    bid_hi = 20.00;
    mpi_model m;
    mp_plan *plan = one_keyword(dir, 0.10, NAN, "", &m);
    auction a = auction_at(0.10);
    check_points(&m, &a, 3.0902323061678132, 5000);
    mpi_model_free(&m);
    mp_plan_free(plan);
    bid_lo = 0.80;
    bid_hi = 2.00;
    free(dir);
}

/* A bid ceiling of 1.50 ends the curve where the exact bid reaches it, at
 * any rate: where the plan's own rate put a breakpoint, at a level of
 * exactly 1 (no inflation), and inside a segment at scenario rates. */
static void search_ceiling_ends_the_curve(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    const double plan_rates[5] = {0.10, 0.0, 0.10, 0.10, 0.10};
    const double rates[5] = {NAN, NAN, 0.30, 0.0, -0.20};
    for (int i = 0; i < 5; i++) {
        mpi_model m;
        mp_plan *plan = one_keyword(dir, plan_rates[i], rates[i], "max_cpc = 1.5\n", &m);
        auction a = auction_at(isnan(rates[i]) ? plan_rates[i] : rates[i]);
        check_keyword(&m, &a, (log(1.5) - a.mu) / a.sigma);
        mpi_model_free(&m);
        mp_plan_free(plan);
    }
    free(dir);
}

/* Every media type gives its exact KPIs. */
static void every_model_is_exact(void **state)
{
    (void)state;
    for (size_t i = 0; i < mpi_model_count; i++)
        assert_non_null(mpi_models[i]->exact);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(families_match_closed_forms),
        cmocka_unit_test(social_matches_closed_form),
        cmocka_unit_test(broadcast_grp_and_reach),
        cmocka_unit_test(press_matches_closed_form),
        cmocka_unit_test(search_inverts_the_auction),
        cmocka_unit_test(search_ceiling_ends_the_curve),
        cmocka_unit_test(search_inverts_a_wide_auction),
        cmocka_unit_test(every_model_is_exact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
