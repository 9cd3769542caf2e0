/* Media models against closed forms computed here from the raw inputs. */
#include "helpers.h"
#include "model.h"

static double Phi(double z)
{
    return 0.5 * erfc(-z / sqrt(2.0));
}

static void curve_totals(const mpi_curve *c, double *spend, double *v)
{
    *spend = 0;
    for (int q = 0; q < MPI_NKPI; q++)
        v[q] = 0;
    for (int s = 0; s < c->nseg; s++) {
        *spend += mpi_curve_width(c, s);
        for (int q = 0; q < MPI_NKPI; q++)
            v[q] += mpi_curve_width(c, s) * mpi_curve_yield(c, s, q);
    }
}

static const char kw_csv[] =
    "Keyword Stats 2026-06-15 at 21_38_13\n"
    "\"June 1, 2025 - May 31, 2026\"\n"
    "Keyword,Currency,Avg. monthly searches,Competition (indexed value),"
    "Top of page bid (low range),Top of page bid (high range),Searches: Jun 2025,Searches: Jul "
    "2025,"
    "Searches: Aug 2025,Searches: Sep 2025,Searches: Oct 2025,Searches: Nov 2025,"
    "Searches: Dec 2025,Searches: Jan 2026,Searches: Feb 2026,Searches: Mar 2026,"
    "Searches: Apr 2026,Searches: May 2026\n"
    "running shoes,EUR,12000,60,0.80,2.00,10000,10000,10000,10000,10000,10000,10000,10000,10000,"
    "15500,10000,10000\n";

/* The plan of one keyword over March 2027 (10 % inflation a year) with
 * channel keys extra, and its model at the plan's prices. */
static mp_plan *one_keyword(const char *extra, char **dir, mpi_model *m)
{
    *dir = test_tmpdir();
    free(test_write(*dir, "kw.csv", kw_csv));
    char text[512];
    snprintf(text, sizeof text,
             "[plan]\nbudget = 1M\nstart = 2027-03-01\nperiods = 1\nperiod = month\n"
             "[channel \"s\"]\ntype = search\nkeywords = kw.csv\nctr = 5%%\ncvr = 2%%\n"
             "inflation = 10%%\n%s",
             extra);
    mp_plan *plan = test_plan(*dir, text);
    assert_int_equal(mpi_model_build(plan, NULL, m), MP_OK);
    assert_int_equal(m->curves.n, 1);
    return plan;
}

/* One keyword, one month (March 2027), 10 % inflation a year from the export's
 * date (the day after 2026-05-31) to the middle of the month. */
static void search_curve_matches_auction_model(void **state)
{
    (void)state;
    char *dir;
    mpi_model m;
    mp_plan *plan = one_keyword("value = 80\n", &dir, &m);
    const mpi_curve *c = &m.curves.v[0];
    double vctr = 15500 * 0.05; /* March searches x ctr */
    double data_day = mpi_days_from_civil(2026, 6, 1);
    double mid = mpi_days_from_civil(2027, 3, 1) + 15.5;
    double g = pow(1.10, (mid - data_day) / 365.25);
    double mu = 0.5 * (log(0.8) + log(2.0)) + log(g);
    double sigma = (log(2.0) - log(0.8)) / (2 * 0.8416212335729143);
    double zhi = 3.0902323061678132, zlo = -4;
    double clicks = vctr * (Phi(zhi) - Phi(zlo));
    double cost = vctr * exp(mu + sigma * sigma / 2) * (Phi(zhi - sigma) - Phi(zlo - sigma));
    double spend, v[MPI_NKPI];
    curve_totals(c, &spend, v);
    assert_true(fabs(spend - cost) < 1e-9 * cost);
    assert_true(fabs(v[MPI_CLICKS] - clicks) < 1e-9 * clicks);
    assert_true(fabs(v[MPI_CONVERSIONS] - 0.02 * clicks) < 1e-9 * clicks);
    assert_true(fabs(v[MPI_REVENUE] - 80 * 0.02 * clicks) < 1e-7 * clicks);
    assert_true(fabs(v[MPI_IMPRESSIONS] - clicks / 0.05) < 1e-7 * clicks);
    /* The marginal cost of a click is the bid: each segment's cost per click
     * lies between the bids at its two ends. */
    assert_true(mpi_curve_has_bids(c));
    double top = mpi_curve_bid(c, c->nseg);
    assert_true(fabs(top - exp(mu + sigma * zhi)) < 1e-9 * top);
    for (int s = 0; s < c->nseg; s++) {
        double cpc = 1 / mpi_curve_yield(c, s, MPI_CLICKS);
        assert_true(cpc >= mpi_curve_bid(c, s) * (1 - 1e-9) &&
                    cpc <= mpi_curve_bid(c, s + 1) * (1 + 1e-9));
    }
    /* The curve stays within the plan's tolerance (0.1 % of its range) of the
     * exact clicks-vs-cost curve, sampled densely between breakpoints. */
    double worst = 0;
    double x0 = 0, y0 = 0;
    for (int s = 0; s < c->nseg; s++) {
        double za = (log(mpi_curve_bid(c, s)) - mu) / sigma;
        double zb = (log(mpi_curve_bid(c, s + 1)) - mu) / sigma;
        double slope = mpi_curve_yield(c, s, MPI_CLICKS);
        for (int i = 0; i <= 100; i++) {
            double z = za + (zb - za) * i / 100.0;
            double xz = vctr * exp(mu + sigma * sigma / 2) * (Phi(z - sigma) - Phi(zlo - sigma));
            double yz = vctr * (Phi(z) - Phi(zlo));
            double e = fabs(yz - (y0 + slope * (xz - x0))) / clicks;
            if (e > worst)
                worst = e;
        }
        x0 += mpi_curve_width(c, s);
        y0 += slope * mpi_curve_width(c, s);
    }
    if (worst > 0.001)
        fprintf(stderr, "search curve error %.3g above the tolerance\n", worst);
    assert_true(worst <= 0.001);
    mpi_model_free(&m);
    mp_plan_free(plan);
    free(dir);
}

/* Clicks and cost of the keyword above bidding up to a ceiling b when the
 * competing bids' median is inflated by g: the auctions below z = (ln b -
 * mu) / sigma, less those below the curve's start. */
static void ceiling_totals(double vctr, double mu, double sigma, double b, double *clicks,
                           double *cost)
{
    double zlo = -4, zc = (log(b) - mu) / sigma;
    *clicks = vctr * (Phi(zc) - Phi(zlo));
    *cost = vctr * exp(mu + sigma * sigma / 2) * (Phi(zc - sigma) - Phi(zlo - sigma));
}

/* A bid ceiling (max_cpc) is in currency: as competing bids inflate it wins
 * fewer auctions, at the plan's own rate and at a scenario's. */
static void search_bid_ceiling_stays_nominal(void **state)
{
    (void)state;
    char *dir;
    mpi_model m;
    mp_plan *plan = one_keyword("max_cpc = 1.5\n", &dir, &m);
    const mpi_curve *c = &m.curves.v[0];
    double vctr = 15500 * 0.05;
    double years =
        (mpi_days_from_civil(2027, 3, 1) + 15.5 - mpi_days_from_civil(2026, 6, 1)) / 365.25;
    double mu0 = 0.5 * (log(0.8) + log(2.0));
    double sigma = (log(2.0) - log(0.8)) / (2 * 0.8416212335729143);
    /* the plan's rate: the curve ends where the exact bid reaches the ceiling
     * (no breakpoint sits there: breakpoints do not depend on one scenario's
     * prices), its chords within the curve tolerance of the clicks there, and
     * the exact model gives them */
    double clicks, cost, spend, v[MPI_NKPI], full_clicks, full_cost;
    ceiling_totals(vctr, mu0 + log(pow(1.10, years)), sigma, 1.5, &clicks, &cost);
    ceiling_totals(vctr, mu0 + log(pow(1.10, years)), sigma,
                   exp(mu0 + log(pow(1.10, years)) + sigma * 3.0902323061678132), &full_clicks,
                   &full_cost);
    curve_totals(c, &spend, v);
    assert_true(fabs(spend - cost) < 1e-9 * cost);
    assert_true(fabs(v[MPI_CLICKS] - clicks) <= 1e-3 * full_clicks);
    mpi_curve_exact(&m, c, spend, v);
    assert_true(fabs(v[MPI_CLICKS] - clicks) < 1e-9 * clicks);
    assert_true(mpi_curve_bid(c, c->nseg) <= 1.5);
    /* Other rates, from the same curve repriced: the ceiling falls inside a
     * segment, which is cut, so within the curve tolerance (0.1 % of the
     * range). A ceiling that inflated with the bids would give 32 % more
     * clicks at 30 % and 16 % fewer at -20 %. */
    const double rates[3] = {0.30, 0.0, -0.20};
    for (int i = 0; i < 3; i++) {
        mpi_scenario sc;
        assert_int_equal(mpi_scenario_init(&sc, plan), MP_OK);
        sc.rate[0] = rates[i];
        assert_int_equal(mpi_model_price(&m, &sc, 1), MP_OK);
        ceiling_totals(vctr, mu0 + log(pow(1 + rates[i], years)), sigma, 1.5, &clicks, &cost);
        curve_totals(c, &spend, v);
        /* the curve's ranges: to the 99.9th-percentile bid */
        ceiling_totals(vctr, mu0 + log(pow(1 + rates[i], years)), sigma,
                       exp(mu0 + log(pow(1 + rates[i], years)) + sigma * 3.0902323061678132),
                       &full_clicks, &full_cost);
        assert_true(fabs(v[MPI_CLICKS] - clicks) <= 1e-3 * full_clicks);
        assert_true(fabs(spend - cost) <= 1e-3 * full_cost);
        assert_true(mpi_curve_bid(c, c->nseg) <= 1.5);
        mpi_scenario_free(&sc);
    }
    mpi_model_free(&m);
    mp_plan_free(plan);
    free(dir);
}

static void social_saturates_with_frequency(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    mp_plan *plan = test_plan(dir, "[plan]\nbudget = 50k\nstart = 2027-03-01\n"
                                   "[channel \"meta\"]\ntype = social\ncpm = 8\nctr = 1%\n"
                                   "cvr = 2%\naudience = 1M\nmax_frequency = 3\n");
    mpi_model m;
    assert_int_equal(mpi_model_build(plan, NULL, &m), MP_OK);
    const mpi_curve *c = &m.curves.v[0];
    double spend, v[MPI_NKPI];
    curve_totals(c, &spend, v);
    /* frequency cap 3 on 1M people at 8 EUR CPM = 24,000 EUR */
    assert_true(fabs(spend - 24000) < 1e-6);
    double imp = 1000 * 24000 / 8.0;
    assert_true(fabs(v[MPI_IMPRESSIONS] - imp) < 1e-6 * imp);
    double clicks = 0.01 * 1e6 * (1 - exp(-imp / 1e6));
    assert_true(fabs(v[MPI_CLICKS] - clicks) < 1e-9 * clicks);
    /* reach over the campaign: N (1 - e^(-I/N)) */
    const mpi_channel *ch = &plan->ch[0];
    assert_true(fabs(ch->ops->reach(ch->params, &plan->mctx, ch, 24000) - 1e6 * (1 - exp(-3))) <
                1e-6);
    mpi_model_free(&m);
    mp_plan_free(plan);
    free(dir);
}

static void tv_grp_reach_and_response(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    mp_plan *plan = test_plan(dir, "[plan]\nbudget = 300k\nstart = 2027-03-01\nuniverse = 20M\n"
                                   "[channel \"tf1\"]\ntype = tv\ncpp = 5000\nrmax = 85%\n"
                                   "k = 0.0058\nresponse = hill\nbeta = 400\nec = 100k\n"
                                   "co2 = 50\n");
    mpi_model m;
    assert_int_equal(mpi_model_build(plan, NULL, &m), MP_OK);
    double spend, v[MPI_NKPI];
    curve_totals(&m.curves.v[0], &spend, v);
    assert_true(fabs(spend - 300000) < 1e-6);
    assert_true(fabs(v[MPI_GRP] - 60) < 1e-9);
    assert_true(fabs(v[MPI_CO2] - 60 * 50) < 1e-9);
    assert_true(fabs(v[MPI_IMPRESSIONS] - 0.60 * 20e6) < 1e-3);
    assert_true(fabs(v[MPI_CONVERSIONS] - 400 * 3.0 / 4.0) < 1e-9);
    const mpi_channel *ch = &plan->ch[0];
    /* 300 GRP ~ 70 % reach with Rmax 85 % and k 0.0058 */
    double r = ch->ops->reach(ch->params, &plan->mctx, ch, 300 * 5000.0);
    assert_true(fabs(r - 20e6 * 0.85 * (1 - exp(-0.0058 * 300))) < 1e-3);
    assert_true(fabs(r / 20e6 - 0.70) < 0.005);
    mpi_model_free(&m);
    mp_plan_free(plan);
    free(dir);
}

static void press_insertions_and_readership(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    mp_plan *plan = test_plan(dir, "[plan]\nbudget = 500k\nstart = 2027-03-01\nperiods = 2\n"
                                   "[channel \"daily\"]\ntype = press\ncpi = 18k\naudience = 1.2M\n"
                                   "readership = 2.6M\nmax_insertions = 2\nco2 = 300\n"
                                   "response = michaelis-menten\nbeta = 90\nresponse_k = 30k\n");
    mpi_model m;
    assert_int_equal(mpi_model_build(plan, NULL, &m), MP_OK);
    assert_int_equal(m.curves.n, 2);
    double spend, v[MPI_NKPI];
    curve_totals(&m.curves.v[1], &spend, v);
    assert_true(fabs(spend - 36000) < 1e-6); /* 2 insertions a period */
    assert_true(fabs(v[MPI_IMPRESSIONS] - 2.4e6) < 1e-3);
    assert_true(fabs(v[MPI_CO2] - 600) < 1e-9);
    assert_true(fabs(v[MPI_CONVERSIONS] - 90 * 36000 / (30000 + 36000.0)) < 1e-9);
    const mpi_channel *ch = &plan->ch[0];
    /* four insertions over the campaign reach 2.6M (1 - e^(-4 x 1.2/2.6)) readers */
    double r = ch->ops->reach(ch->params, &plan->mctx, ch, 72000);
    assert_true(fabs(r - 2.6e6 * (1 - exp(-4 * 1.2 / 2.6))) < 1e-3);
    mpi_model_free(&m);
    mp_plan_free(plan);
    free(dir);
}

/* The real Keyword Planner sample: 13 rows, one without bids. */
static void reads_keyword_planner_sample(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    char plan_text[1024];
    snprintf(plan_text, sizeof plan_text,
             "[plan]\ncurrency = GBP\nbudget = 10k\nstart = 2026-09-07\n"
             "[channel \"s\"]\ntype = search\nkeywords = %s/kwp_uk_sample.csv\nctr = 5%%\n",
             MP_FIXTURES);
    assert_int_equal(test_plan_fails(dir, plan_text), MP_ERR_INPUT);
    assert_contains(mp_last_error(), "kwp_uk_sample.csv:12:");
    assert_contains(mp_last_error(), "csr consulting");
    snprintf(plan_text, sizeof plan_text,
             "[plan]\ncurrency = GBP\nbudget = 10k\nstart = 2026-09-07\n"
             "[channel \"s\"]\ntype = search\nkeywords = %s/kwp_uk_sample.csv\nctr = 5%%\n"
             "cpc_low = 1\ncpc_high = 3\n",
             MP_FIXTURES);
    mp_plan *plan = test_plan(dir, plan_text);
    const mpi_channel *ch = &plan->ch[0];
    assert_int_equal(ch->ops->keyword_count(ch->params), 13);
    const mpi_keyword *k = ch->ops->keyword(ch->params, 8);
    assert_string_equal(k->text, "csr consulting");
    assert_true(k->flags & MPI_KW_DEFAULT_BIDS);
    assert_true(k->flags & MPI_KW_BUCKETED);
    assert_true(k->volume == 50 && k->bid_lo == 1 && k->bid_hi == 3 && k->line == 12);
    k = ch->ops->keyword(ch->params, 0);
    assert_string_equal(k->text, "business consultant uk");
    assert_false(k->flags & MPI_KW_DEFAULT_BIDS);
    assert_true(k->volume == 500 && k->bid_lo == 3.50 && k->bid_hi == 14.79);
    assert_true(k->competition == 32);
    /* the date range "June 1, 2025 - May 31, 2026" ends the day before 2026-06-01 */
    const mpi_keyword *k2 = ch->ops->keyword(ch->params, 3);
    assert_string_equal(k2->text, "consulting careers");
    assert_true(k2->bid_lo == 0.45 && k2->bid_hi == 1.93);
    mp_plan_free(plan);
    snprintf(plan_text, sizeof plan_text,
             "[plan]\ncurrency = EUR\nbudget = 10k\nstart = 2026-09-07\n"
             "[channel \"s\"]\ntype = search\nkeywords = %s/kwp_uk_sample.csv\nctr = 5%%\n",
             MP_FIXTURES);
    assert_int_equal(test_plan_fails(dir, plan_text), MP_ERR_INPUT);
    assert_contains(mp_last_error(), "the export is in GBP but the plan is in EUR");
    free(dir);
}

/* Two numbers equal to 1e-12 of the larger (both 0 alike). */
static int same_to(double a, double b)
{
    return a == b || fabs(a - b) <= 1e-12 * fmax(fabs(a), fabs(b));
}

/* Every accessor of two curves alike, segment by segment and bid by bid. */
static void same_curves(const mpi_curve *a, const mpi_curve *b)
{
    assert_int_equal(a->nseg, b->nseg);
    assert_true(a->keyword == b->keyword && a->period == b->period && a->group == b->group);
    assert_true(a->mult == b->mult && a->ceiling == b->ceiling && a->capped == b->capped);
    assert_int_equal(a->mono, b->mono);
    assert_int_equal(mpi_curve_has_yields(a), mpi_curve_has_yields(b));
    assert_int_equal(mpi_curve_has_bids(a), mpi_curve_has_bids(b));
    assert_true(same_to(mpi_curve_end(a), mpi_curve_end(b)));
    double va[MPI_NKPI], vb[MPI_NKPI];
    for (int s = 0; s < a->nseg; s++) {
        /* a width cut at a ceiling is the ceiling's spend less the widths
         * before it: their rounding, relative to the curve's end */
        double wa = mpi_curve_width(a, s), wb = mpi_curve_width(b, s);
        assert_true(a->w ? fabs(wa - wb) <= 1e-12 * mpi_curve_end(b) : same_to(wa, wb));
        assert_true(same_to(mpi_curve_base_width(a, s), mpi_curve_base_width(b, s)));
        mpi_curve_yields(a, s, va);
        mpi_curve_yields(b, s, vb);
        for (int q = 0; q < MPI_NKPI; q++) {
            assert_true(same_to(mpi_curve_data_yield(a, s, q), mpi_curve_data_yield(b, s, q)));
            assert_true(same_to(mpi_curve_yield(a, s, q), mpi_curve_yield(b, s, q)));
            assert_true(same_to(va[q], vb[q]));
        }
    }
    for (int k = 0; mpi_curve_has_bids(a) && k <= a->nseg; k++) {
        assert_true(same_to(mpi_curve_data_bid(a, k), mpi_curve_data_bid(b, k)));
        assert_true(same_to(mpi_curve_bid(a, k), mpi_curve_bid(b, k)));
    }
}

/* Search curves on their keyword's shape (arrays the model keeps, widths
 * scaled by the period's searches) read, through every accessor, as the
 * same curves built each with its own arrays: 13 keywords (one without
 * bids) in two groups with their own ctr, cvr and value, weekly for a
 * quarter, at the plan's prices (inflation), with a bid ceiling on one
 * group (a cut curve) and CO2. A shaped curve written out in full
 * (mpi_curve_own, as refinement does) reads the same too. */
static void search_shaped_curves_read_as_full(void **state)
{
    (void)state;
    char *dir = test_tmpdir(), text[1024];
    free(test_write(dir, "groups.ini",
                    "[group \"dental\"]\nmatch = dental|dentist\nctr = 7%\ncvr = 4%\n"
                    "value = 250\nmax_cpc = 6.2\n"
                    "[group \"consulting\"]\nmatch = consult\ncvr = 1%\n"));
    snprintf(text, sizeof text,
             "[plan]\ncurrency = GBP\nbudget = 200k\nstart = 2026-09-07\nperiods = 13\n"
             "[channel \"s\"]\ntype = search\nkeywords = %s/kwp_uk_sample.csv\nctr = 5%%\n"
             "cvr = 2%%\nvalue = 90\ncpc_low = 1\ncpc_high = 3\ninflation = 8%%\n"
             "groups = groups.ini\nco2 = 0.0002\n",
             MP_FIXTURES);
    mp_plan *plan = test_plan(dir, text);
    mpi_model shaped, full;
    assert_int_equal(mpi_model_build(plan, NULL, &shaped), MP_OK);
    mpi_search_share_curves(0);
    mp_status st = mpi_model_build(plan, NULL, &full);
    mpi_search_share_curves(1);
    assert_int_equal(st, MP_OK);
    assert_int_equal(shaped.curves.n, full.curves.n);
    size_t nshaped = 0, ncut = 0;
    for (size_t i = 0; i < full.curves.n; i++) {
        const mpi_curve *a = &shaped.curves.v[i], *b = &full.curves.v[i];
        assert_false(b->shaped);
        nshaped += a->shaped;
        ncut += a->shaped && a->w != NULL;
        same_curves(a, b);
        mpi_curve own = *a;
        assert_int_equal(mpi_curve_own(&own), MP_OK);
        same_curves(&own, b);
        mpi_curve_release(&own);
    }
    assert_true(nshaped >= 12 * 13); /* every keyword with searches, every week */
    assert_true(ncut > 0);
    mpi_model_free(&shaped);
    mpi_model_free(&full);
    mp_plan_free(plan);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(search_curve_matches_auction_model),
        cmocka_unit_test(search_bid_ceiling_stays_nominal),
        cmocka_unit_test(social_saturates_with_frequency),
        cmocka_unit_test(tv_grp_reach_and_response),
        cmocka_unit_test(press_insertions_and_readership),
        cmocka_unit_test(reads_keyword_planner_sample),
        cmocka_unit_test(search_shaped_curves_read_as_full),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
