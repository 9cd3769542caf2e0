/* Effective reach: the people a channel reaches at least k times
 * (effective_frequency), from its exposures and its 1+ reach, with the
 * exposures a person gets following a negative binomial distribution (NBD),
 * the standard model of media planning (Goodhardt, Ehrenberg & Chatfield 1984;
 * Rust 1986). At k >= 2 it rises in an S along spend, not concave, so it is
 * no concave LP term; but a channel's effective reach is a function of its
 * campaign impressions alone, non-decreasing (checked on a grid, as the
 * constraint is read), so a bound on it is a bound on those impressions
 * (mpi_effective_exposures, by bisection): a linear row the LP holds exactly.
 *
 * Over the universe U a channel's exposures a person have mean m =
 * impressions / U (GRP / 100 for TV and radio over the plan's universe) and
 * P(0) = 1 - f with f = reach / U. The NBD of shape s and mean m has
 * P(0) = (1 + m/s)^-s, which falls from 1 (s -> 0) to e^-m (s -> infinity,
 * Poisson) as s grows: s is the one root of s ln(1 + m/s) = -ln(1 - f), and a
 * channel that reaches as many as a Poisson would (f >= 1 - e^-m, social and
 * press over an audience equal to the universe) is Poisson. Then
 * P(j) = P(j-1) (s + j - 1) / j x m / (s + m) (Poisson: P(j-1) m / j), and the
 * effective reach is U (1 - sum_{j<k} P(j)); at k = 1 it is the reach.
 * The plan's total counts the exposures of every channel together, each
 * channel's independent of the others' (random duplication, as the
 * de-duplicated reach): the distribution of the sum is the convolution of
 * theirs. */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The NBD's shape s for mean m and P(0) = 1 - f; INFINITY for Poisson. */
static double nbd_shape(double m, double f)
{
    double target = -log1p(-f);
    double lo = 1e-12, hi = 1e12;
    if (!(target < m * (1 - 1e-12)) || hi * log1p(m / hi) <= target)
        return INFINITY;
    for (int i = 0; i < 100; i++) { /* s ln(1 + m/s) rises with s */
        double mid = sqrt(lo * hi);
        if (mid * log1p(m / mid) < target)
            lo = mid;
        else
            hi = mid;
    }
    return sqrt(lo * hi);
}

/* P(0) .. P(n - 1) of a person's exposures, mean m and reach fraction f. */
static void exposures_pmf(double m, double f, int n, double *p)
{
    if (!(m > 0) || !(f > 0)) {
        p[0] = 1;
        for (int j = 1; j < n; j++)
            p[j] = 0;
        return;
    }
    double s = nbd_shape(m, f);
    p[0] = isinf(s) ? exp(-m) : 1 - f;
    for (int j = 1; j < n; j++)
        p[j] = isinf(s) ? p[j - 1] * m / j : p[j - 1] * (s + j - 1) / j * (m / (s + m));
}

/* The exposures of everyone so far (pt, P(0) .. P(k - 1)) with a channel's
 * (pc) added, each person's independent of the other's: their convolution. */
static void add_channel(double *pt, const double *pc, int k)
{
    double nt[MPI_MAX_FREQUENCY];
    for (int j = 0; j < k; j++) {
        nt[j] = 0;
        for (int i = 0; i <= j; i++)
            nt[j] += pt[i] * pc[j - i];
    }
    memcpy(pt, nt, (size_t)k * sizeof(double));
}

/* Channel c's exposures a person, mean and reach fraction over the universe. */
static void channel_exposures(const mp_solution *sol, size_t c, double *m, double *f)
{
    double u = sol->plan->universe;
    *m = MPI_CH_KPI(sol, c, MPI_IMPRESSIONS) / u;
    *f = fmin(MPI_CH_KPI(sol, c, MPI_REACH) / u, 1);
}

/* People reached at least k times from P(0) .. P(k - 1). */
static double at_least(double u, const double *p, int k)
{
    double below = 0;
    for (int j = 0; j < k; j++)
        below += p[j];
    return fmax(0, u * (1 - below));
}

/* The plan's total at its frequency k: every channel's exposures added. */
static void total_effective(mp_solution *sol, int k)
{
    const mp_plan *plan = sol->plan;
    double pt[MPI_MAX_FREQUENCY] = {1}, pc[MPI_MAX_FREQUENCY];
    for (size_t c = 0; c < plan->nch; c++) {
        if (!plan->ch[c].ops->reach)
            continue;
        double m, f;
        channel_exposures(sol, c, &m, &f);
        exposures_pmf(m, f, k, pc);
        add_channel(pt, pc, k);
    }
    sol->eff_reach = at_least(plan->universe, pt, k);
}

static int any_frequency(const mp_plan *plan)
{
    int any = plan->eff_freq > 0;
    for (size_t c = 0; c < plan->nch; c++)
        any |= plan->eff_freq_ch[c] > 0;
    return any;
}

mp_status mpi_effective_reach(mp_solution *sol)
{
    const mp_plan *plan = sol->plan;
    sol->eff_reach = NAN;
    if (!any_frequency(plan))
        return MP_OK;
    if (!(plan->universe > 0))
        return mpi_fail(MP_ERR_INPUT, N_("effective_frequency needs [plan] universe (the target "
                                         "population the exposures are spread over)"));
    free(sol->ch_eff_reach);
    sol->ch_eff_reach = mpi_calloc(plan->nch ? plan->nch : 1, sizeof(double));
    if (!sol->ch_eff_reach)
        return mpi_nomem();
    for (size_t c = 0; c < plan->nch; c++) {
        int k = plan->eff_freq_ch[c] > 0 ? plan->eff_freq_ch[c] : plan->eff_freq;
        sol->ch_eff_reach[c] = NAN;
        if (!plan->ch[c].ops->reach || k < 1)
            continue;
        double m, f, p[MPI_MAX_FREQUENCY];
        channel_exposures(sol, c, &m, &f);
        exposures_pmf(m, f, k, p);
        sol->ch_eff_reach[c] = at_least(plan->universe, p, k);
    }
    if (plan->eff_freq > 0)
        total_effective(sol, plan->eff_freq);
    return MP_OK;
}

/* The exposures to the channels of e added, P(0) .. P(k - 1) into pt. */
static void row_pmf(const mp_solution *sol, const mpi_expr *e, double *pt)
{
    const mp_plan *plan = sol->plan;
    double pc[MPI_MAX_FREQUENCY];
    int k = e->eff_k;
    pt[0] = 1;
    for (int j = 1; j < k; j++)
        pt[j] = 0;
    for (size_t c = 0; c < plan->nch; c++) {
        if (!plan->ch[c].ops->reach || !mpi_expr_has(e, (int)c, -1))
            continue;
        double m, f;
        channel_exposures(sol, c, &m, &f);
        exposures_pmf(m, f, k, pc);
        add_channel(pt, pc, k);
    }
}

double mpi_effective_row(const mp_solution *sol, const mpi_expr *e)
{
    double p[MPI_MAX_FREQUENCY];
    row_pmf(sol, e, p);
    return at_least(sol->plan->universe, p, e->eff_k);
}

int mpi_effective_frequency(const mp_plan *plan, size_t c)
{
    if (!(plan->universe > 0))
        return 0;
    if (c == (size_t)-1)
        return plan->eff_freq;
    if (!plan->ch[c].ops->reach)
        return 0;
    return plan->eff_freq_ch[c] > 0 ? plan->eff_freq_ch[c] : plan->eff_freq;
}

void mpi_effective_objective_label(mpi_lang lang, const mp_plan *plan, char *buf, size_t n)
{
    const mpi_expr *e = &plan->cons[plan->obj_eff_cons].e;
    char names[512] = "";
    size_t len = 0;
    for (size_t c = 0; c < plan->nch && len < sizeof names; c++)
        if (plan->ch[c].ops->reach && mpi_expr_has(e, (int)c, -1))
            len += (size_t)snprintf(names + len, sizeof names - len, "%s%s", len ? ", " : "",
                                    plan->ch[c].name);
    snprintf(buf, n, mpi_tr(lang, "effective reach (%d+ exposures) of %s"), e->eff_k, names);
}

/* ---- one channel's effective reach as a function of its impressions ----- */

/* Impressions channel c buys per unit of campaign spend at the data's
 * prices: linear in spend for every media type with reach (their models). */
static double impressions_per_spend(const mp_plan *plan, size_t c)
{
    const mpi_channel *ch = &plan->ch[c];
    double v[MPI_NKPI] = {0};
    mpi_period per = {0, plan->period_start[0], plan->period_start[1], 1};
    ch->ops->spend(ch->params, ch, &per, 1, v);
    return v[MPI_IMPRESSIONS];
}

void mpi_effective_pmf(const mp_plan *plan, size_t c, int k, double imp, double *p)
{
    const mpi_channel *ch = &plan->ch[c];
    double per = impressions_per_spend(plan, c), u = plan->universe;
    if (!(per > 0) || !(imp > 0) || !(u > 0)) {
        exposures_pmf(0, 0, k, p);
        return;
    }
    double r = ch->ops->reach(ch->params, &plan->mctx, ch, imp / per);
    exposures_pmf(imp / u, fmin(r / u, 1), k, p);
}

double mpi_effective_at(const mp_plan *plan, size_t c, int k, double imp)
{
    double p[MPI_MAX_FREQUENCY];
    if (!(plan->universe > 0) || k < 1 || k > MPI_MAX_FREQUENCY)
        return 0;
    mpi_effective_pmf(plan, c, k, imp, p);
    return at_least(plan->universe, p, k);
}

double mpi_effective_together(const mp_plan *plan, const size_t *ch, size_t nch, int k,
                              const double *imp)
{
    double pt[MPI_MAX_FREQUENCY] = {1}, pc[MPI_MAX_FREQUENCY];
    if (!(plan->universe > 0) || k < 1 || k > MPI_MAX_FREQUENCY)
        return 0;
    for (size_t q = 0; q < nch; q++) {
        mpi_effective_pmf(plan, ch[q], k, imp[q], pc);
        add_channel(pt, pc, k);
    }
    return at_least(plan->universe, pt, k);
}

int mpi_effective_grid_levels(size_t n)
{
    return n == 2 ? 200 : n == 3 ? 40 : 0;
}

int mpi_plan_eff_grid(const mp_plan *plan)
{
    for (size_t i = 0; i < plan->ncons; i++)
        if (plan->cons[i].e.eff_multi)
            return 1;
    return 0;
}

/* The most impressions looked at: a person's mean exposures in the
 * thousands, past any plan's (every channel's reach has saturated). */
#define MOST_EXPOSURES 1e4

double mpi_effective_exposures(const mp_plan *plan, size_t c, int k, double people)
{
    double lo = 0, hi = plan->universe, most = MOST_EXPOSURES * plan->universe;
    if (!(people > 0) || !(hi > 0))
        return 0;
    while (mpi_effective_at(plan, c, k, hi) < people && hi < most)
        hi *= 2;
    if (mpi_effective_at(plan, c, k, hi) < people)
        return 2 * most; /* past what it reaches: an LP bound no plan meets */
    for (int i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
        double mid = 0.5 * (lo + hi);
        if (mpi_effective_at(plan, c, k, mid) >= people)
            hi = mid;
        else
            lo = mid;
    }
    return hi; /* the bound holds at hi */
}

double mpi_effective_most(const mp_plan *plan, size_t c, int k)
{
    return mpi_effective_at(plan, c, k, MOST_EXPOSURES * plan->universe);
}

/* The first of n levels evenly up to imp_max where it falls, or NAN. */
static double falls_on(const mp_plan *plan, size_t c, int k, double imp_max, int n)
{
    double prev = 0, tol = 1e-9 * plan->universe;
    for (int i = 1; i <= n; i++) {
        double imp = imp_max * i / n, e = mpi_effective_at(plan, c, k, imp);
        if (e < prev - tol)
            return imp;
        prev = fmax(prev, e);
    }
    return NAN;
}

double mpi_effective_falls(const mp_plan *plan, size_t c, int k)
{
    /* where it nears its most (a fine grid over the rise), then the whole
     * budget's worth at the data's prices */
    double rise = mpi_effective_exposures(plan, c, k, 0.9999 * mpi_effective_most(plan, c, k));
    double spent = plan->budget * impressions_per_spend(plan, c);
    double at = falls_on(plan, c, k, rise, 4000);
    if (isnan(at) && isfinite(spent) && spent > rise)
        at = falls_on(plan, c, k, spent, 4000);
    return at;
}

/* ---- what a min plan's channels bring to its effective-reach floor ------- */

/* The floor on effective reach a min plan's channels are read by: its first,
 * when the plan is read by people reached (report.c: min_return); else
 * (size_t)-1. */
size_t mpi_effective_target(const mp_plan *plan)
{
    mpi_objective obj;
    mpi_objective_of(plan, &obj);
    if (plan->obj_sense > 0 || obj.return_q != MPI_REACH || !(plan->universe > 0))
        return (size_t)-1;
    for (size_t i = 0; i < plan->ncons; i++)
        if (plan->cons[i].e.eff_k > 0 && plan->cons[i].e.op != MPI_LE)
            return i;
    return (size_t)-1;
}

/* The people target e reaches at least its k times more per unit of spend
 * more on each of its channels, into out[] (0 for the other channels): its
 * channels' impressions at the plan, one channel's raised by what a little
 * more spend buys at the data's prices, scaled to the plan's (inflation). */
static void target_marginals(const mp_solution *sol, const mpi_expr *e, double *out)
{
    const mp_plan *plan = sol->plan;
    size_t ch[MPI_EFF_GRID_MAX], n = 0;
    double imp[MPI_EFF_GRID_MAX];
    for (size_t c = 0; c < plan->nch; c++) {
        out[c] = 0;
        if (plan->ch[c].ops->reach && mpi_expr_has(e, (int)c, -1) && n < MPI_EFF_GRID_MAX) {
            ch[n] = c;
            imp[n++] = MPI_CH_KPI(sol, c, MPI_IMPRESSIONS);
        }
    }
    double at = mpi_effective_together(plan, ch, n, e->eff_k, imp);
    for (size_t q = 0; q < n; q++) {
        double per = impressions_per_spend(plan, ch[q]), spend = MPI_CH_KPI(sol, ch[q], MPI_SPEND);
        double data = per > 0 ? imp[q] / per : 0, h = 1e-4 * fmax(data, 1000), was = imp[q];
        imp[q] = was + per * h;
        double m = (mpi_effective_together(plan, ch, n, e->eff_k, imp) - at) / h;
        imp[q] = was;
        out[ch[q]] = !(per > 0) ? NAN : spend > 0 && data > 0 ? m * data / spend : m;
    }
}

mp_status mpi_effective_marginals(mp_solution *sol)
{
    const mp_plan *plan = sol->plan;
    free(sol->ch_eff_marginal);
    sol->ch_eff_marginal = NULL;
    size_t t = mpi_effective_target(plan);
    if (t == (size_t)-1)
        return MP_OK;
    sol->ch_eff_marginal = mpi_calloc(plan->nch ? plan->nch : 1, sizeof(double));
    if (!sol->ch_eff_marginal)
        return mpi_nomem();
    target_marginals(sol, &plan->cons[t].e, sol->ch_eff_marginal);
    return MP_OK;
}
