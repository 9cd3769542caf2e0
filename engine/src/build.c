/* From a plan to curves (through the media models) and from curves to the LP:
 * one column per curve segment, one named row per constraint. */
#include "bound.h"

#include <stdlib.h>
#include <string.h>

void mpi_lp_free(mpi_lp *lp)
{
    if (!lp)
        return;
    for (size_t r = 0; lp->rows && r < lp->nrows; r++) { /* rows NULL: their allocation failed */
        free(lp->rows[r].name);
        free(lp->rows[r].label);
    }
    free(lp->rows);
    free(lp->obj);
    free(lp->ub);
    free(lp->binary);
    free(lp->ind);
    free(lp->val);
    memset(lp, 0, sizeof *lp);
}

void mpi_model_free(mpi_model *m)
{
    if (!m)
        return;
    mpi_curve_list_free(&m->curves);
    free(m->mono);
    mpi_lp_free(&m->lp);
    memset(m, 0, sizeof *m);
}

size_t mpi_model_col_curve(const mpi_model *m, size_t j)
{
    size_t lo = 0, hi = m->curves.n; /* the last curve starting at or before j */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->curves.v[mid].col <= j)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

void mpi_model_col_name(const mpi_model *m, size_t j, char *buf, size_t n)
{
    const mpi_curve *c = &m->curves.v[mpi_model_col_curve(m, j)];
    char ch[MPI_MAX_NAME + 1];
    mpi_sanitize_name(ch, sizeof ch, m->plan->ch[c->channel].name);
    size_t s = j - c->col;
    if (c->kind == MPI_CURVE_REACH)
        snprintf(buf, n, "r_%s_s%zu", ch, s + 1);
    else if (c->keyword >= 0)
        snprintf(buf, n, "x_%s_t%d_k%d_s%zu", ch, c->period + 1, c->keyword + 1, s + 1);
    else
        snprintf(buf, n, "x_%s_t%d_s%zu", ch, c->period + 1, s + 1);
}

/* ---- rows ------------------------------------------------------------- */

/* Coefficient of column (curve c, segment s) in a row; the row builders below
 * are one function each so that the LP and its reports agree on meaning. */
typedef double (*coef_fn)(const void *ctx, const mpi_model *m, const mpi_curve *c, const double *y);

static double row_at(coef_fn f, const void *ctx, const mpi_model *m, const mpi_curve *c,
                     const double *y);

/* Row coefficient f of segment s of curve c, from its yields at the curve's
 * price level. */
static double seg_coef(coef_fn f, const void *ctx, const mpi_model *m, const mpi_curve *c, int s)
{
    double yv[MPI_NKPI];
    mpi_curve_yields(c, s, yv);
    return row_at(f, ctx, m, c, yv);
}

/* A row's header: what the implicit solve and the reports read. Its
 * coefficients are built only for an explicit LP (mpi_model_explicit). */
static mp_status add_row(mpi_model *m, int kind, int ref, int op, double rhs, char *name,
                         char *label)
{
    mpi_lp *lp = &m->lp;
    if (!name || !label) {
        free(name);
        free(label);
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    }
    mpi_row *rows = mpi_reserve(lp->rows, &lp->rcap, lp->nrows + 1, sizeof *rows);
    if (!rows) {
        free(name);
        free(label);
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    }
    lp->rows = rows;
    mpi_row *r = &lp->rows[lp->nrows++];
    memset(r, 0, sizeof *r);
    r->len = MPI_ROW_HEADER;
    r->name = name;
    r->label = label;
    r->kind = kind;
    r->ref = ref;
    r->op = op;
    r->rhs = rhs;
    return MP_OK;
}

static double coef_spend(const void *ctx, const mpi_model *m, const mpi_curve *c, const double *y)
{
    (void)ctx;
    (void)m;
    (void)c;
    return y[MPI_SPEND];
}

static double coef_period(const void *ctx, const mpi_model *m, const mpi_curve *c, const double *y)
{
    (void)m;
    return c->period == *(const int *)ctx ? y[MPI_SPEND] : 0;
}

static double coef_channel(const void *ctx, const mpi_model *m, const mpi_curve *c, const double *y)
{
    (void)m;
    return c->channel == *(const int *)ctx ? y[MPI_SPEND] : 0;
}

static double coef_reach_link(const void *ctx, const mpi_model *m, const mpi_curve *c,
                              const double *y)
{
    (void)m;
    if (c->channel != *(const int *)ctx)
        return 0;
    return c->kind == MPI_CURVE_REACH ? 1 : -y[MPI_SPEND];
}

static double coef_expr(const void *ctx, const mpi_model *m, const mpi_curve *c, const double *y)
{
    (void)m;
    const mpi_expr *e = ctx;
    int in = mpi_expr_has(e, c->channel, c->group);
    switch (e->measure) {
    case MPI_M_KPI: return in ? y[e->kpi] : 0;
    case MPI_M_SHARE: return (in ? 1 - e->value : -e->value) * y[MPI_SPEND];
    case MPI_M_CPA: return in ? y[MPI_SPEND] - e->value * y[MPI_CONVERSIONS] : 0;
    case MPI_M_ROAS: return in ? y[MPI_REVENUE] - e->value * y[MPI_SPEND] : 0;
    }
    return 0;
}

/* An adstocked channel's spend in one period (its MPI_ROW_ADSTOCK row: ref
 * is channel * periods + period). */
static double coef_adstock(const void *ctx, const mpi_model *m, const mpi_curve *c, const double *y)
{
    int ref = *(const int *)ctx, np = m->plan->periods;
    return c->channel == ref / np && c->period == ref % np ? y[MPI_SPEND] : 0;
}

/* ---- carryover ------------------------------------------------------------
 * An adstocked channel's curve in period t is over its adstock a_t = x_t +
 * lambda a_{t-1} (a_0 carried in), and its columns sum to a_t. Rows are
 * written over the money paid, x_t = a_t - lambda a_{t-1}: a row's
 * coefficient on curve t is its coefficient as over spend in period t, less
 * lambda times its coefficient on period t + 1's spend (with period t + 1's
 * yields of what spend buys in proportion: impressions, GRP, CO2e), and the
 * constant -lambda a_0 of period 1 moves to the row's right-hand side. */

/* The spend curve of channel c in period t (curves come in channel, then
 * period order), or NULL. */
const mpi_curve *mpi_model_period_curve(const mpi_model *m, int c, int t)
{
    size_t lo = 0, hi = m->nspend_curves;
    while (lo < hi) { /* the first curve at or after (c, t) */
        size_t mid = lo + (hi - lo) / 2;
        const mpi_curve *v = &m->curves.v[mid];
        if (v->channel < c || (v->channel == c && v->period < t))
            lo = mid + 1;
        else
            hi = mid;
    }
    const mpi_curve *v = lo < m->nspend_curves ? &m->curves.v[lo] : NULL;
    return v && v->channel == c && v->period == t ? v : NULL;
}

/* The curve whose adstock carries c's on (period t + 1's), or NULL. */
static const mpi_curve *adstock_next(const mpi_model *m, const mpi_curve *c)
{
    if (c->kind != MPI_CURVE_SPEND || !(m->plan->ch[c->channel].adstock > 0) ||
        c->period + 1 >= m->plan->periods)
        return NULL;
    const mpi_curve *v = m->curves.v;
    if (c >= v && c + 1 < v + m->nspend_curves && c[1].channel == c->channel &&
        c[1].period == c->period + 1)
        return c + 1;
    return mpi_model_period_curve(m, c->channel, c->period + 1);
}

/* What a unit of spend buys on curve c in the KPIs proportional to it
 * (spend, impressions, GRP, CO2e), the rest 0. */
static void bought_yields(const mpi_curve *c, double *y)
{
    static const int q_bought[] = {MPI_IMPRESSIONS, MPI_GRP, MPI_CO2};
    for (int q = 0; q < MPI_NKPI; q++)
        y[q] = 0;
    y[MPI_SPEND] = 1;
    for (size_t i = 0; c && c->nseg > 0 && i < sizeof q_bought / sizeof *q_bought; i++)
        y[q_bought[i]] = mpi_curve_yield(c, 0, q_bought[i]);
}

/* Row coefficient f on curve c's yields y, with its carryover. */
static double row_at(coef_fn f, const void *ctx, const mpi_model *m, const mpi_curve *c,
                     const double *y)
{
    double a = f(ctx, m, c, y);
    const mpi_curve *n = adstock_next(m, c);
    if (n) {
        double yn[MPI_NKPI];
        bought_yields(n, yn);
        a -= m->plan->ch[c->channel].adstock * f(ctx, m, n, yn);
    }
    return a;
}

/* What the adstock carried into period 1 puts on a row of coefficient f:
 * sum over channels of lambda a_0 times the row's coefficient on period 1's
 * spend, to add to its right-hand side. */
static double carried_rhs(coef_fn f, const void *ctx, const mpi_model *m)
{
    const mp_plan *plan = m->plan;
    double sum = 0;
    for (size_t c = 0; c < plan->nch; c++) {
        const mpi_channel *ch = &plan->ch[c];
        if (!(ch->adstock > 0 && ch->carry_in > 0))
            continue;
        const mpi_curve *c0 = mpi_model_period_curve(m, (int)c, 0);
        mpi_curve one = {.channel = (short)c, .period = 0, .keyword = -1, .group = -1, .mult = 1};
        double y[MPI_NKPI];
        bought_yields(c0, y);
        sum += ch->adstock * ch->carry_in * f(ctx, m, c0 ? c0 : &one, y);
    }
    return sum;
}

/* The objective's KPI on curve c's yields (over the money paid, as a row's
 * coefficient: row_at). */
static double coef_obj(const void *ctx, const mpi_model *m, const mpi_curve *c, const double *y)
{
    (void)ctx;
    (void)c;
    return y[m->plan->obj_kpi];
}

double mpi_obj_carry(const mpi_model *m, const mpi_curve *c)
{
    double y[MPI_NKPI] = {0};
    return row_at(coef_obj, NULL, m, c, y);
}

double mpi_obj_shift(const mpi_model *m)
{
    return mpi_plan_has_adstock(m->plan) ? -carried_rhs(coef_obj, NULL, m) : 0;
}

static char *row_name(const char *prefix, const char *what)
{
    char clean[128];
    mpi_sanitize_name(clean, sizeof clean, what);
    return mpi_aprintf("%s%s", prefix, clean);
}

static int needs_reach(const mp_plan *plan)
{
    if (plan->obj_kpi == MPI_REACH)
        return 1;
    for (size_t i = 0; i < plan->ncons; i++)
        if (plan->cons[i].e.measure == MPI_M_KPI && plan->cons[i].e.kpi == MPI_REACH)
            return 1;
    return 0;
}

/* ---- scenarios ------------------------------------------------------------ */

mp_status mpi_scenario_init(mpi_scenario *sc, const mp_plan *plan)
{
    memset(sc, 0, sizeof *sc);
    sc->budget = NAN;
    sc->rate = mpi_calloc(plan->nch, sizeof(double));
    sc->cost_mult = mpi_calloc(plan->nch, sizeof(double));
    sc->bound = mpi_calloc(plan->ncons, sizeof(double));
    sc->group_rate = mpi_calloc(plan->groups.n, sizeof(double));
    if (!sc->rate || !sc->cost_mult || !sc->bound || !sc->group_rate) {
        mpi_scenario_free(sc);
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    }
    for (size_t c = 0; c < plan->nch; c++) {
        sc->rate[c] = NAN;
        sc->cost_mult[c] = 1;
    }
    for (size_t i = 0; i < plan->ncons; i++)
        sc->bound[i] = NAN;
    for (size_t g = 0; g < plan->groups.n; g++)
        sc->group_rate[g] = NAN;
    return MP_OK;
}

void mpi_scenario_free(mpi_scenario *sc)
{
    if (!sc)
        return;
    free(sc->rate);
    free(sc->cost_mult);
    free(sc->bound);
    free(sc->group_rate);
    memset(sc, 0, sizeof *sc);
}

double mpi_scenario_budget(const mp_plan *plan, const mpi_scenario *sc)
{
    return sc && !isnan(sc->budget) ? sc->budget : plan->budget;
}

/* The price level of channel c in period t (-1: the mean over periods, for
 * reach curves), for one keyword (of a group, or -1) or (keyword -1) the
 * lowest of the channel. */
static double price_level(const mp_plan *plan, const mpi_scenario *sc, size_t c, long keyword,
                          int group, int t)
{
    const mpi_channel *ch = &plan->ch[c];
    double mult = sc ? sc->cost_mult[c] : 1;
    if (!ch->ops->cost_index)
        return mult;
    double rate = NAN; /* the plan's own rates */
    if (sc && group >= 0 && !isnan(sc->group_rate[group]))
        rate = sc->group_rate[group];
    else if (sc && !isnan(sc->rate[c]))
        rate = sc->rate[c];
    if (t >= 0 && keyword < 0 && sc) {
        /* the lowest level also covers keyword groups the scenario reprices */
        double lo = ch->ops->cost_index(ch->params, &plan->mctx, ch, -1, t, rate);
        for (size_t g = 0; g < plan->groups.n; g++)
            if (!isnan(sc->group_rate[g]))
                lo = fmin(
                    lo, ch->ops->cost_index(ch->params, &plan->mctx, ch, -1, t, sc->group_rate[g]));
        return mult * lo;
    }
    if (t >= 0)
        return mult * ch->ops->cost_index(ch->params, &plan->mctx, ch, keyword, t, rate);
    double sum = 0;
    for (int p = 0; p < plan->periods; p++)
        sum += ch->ops->cost_index(ch->params, &plan->mctx, ch, keyword, p, rate);
    return mult * sum / plan->periods;
}

/* The most a channel can spend over the campaign. */
static double channel_cap(const mpi_channel *ch, double budget)
{
    double cap = budget;
    if (!isnan(ch->max_spend) && ch->max_spend < cap)
        cap = ch->max_spend;
    if (!isnan(ch->fixed_spend) && ch->fixed_spend < cap)
        cap = ch->fixed_spend;
    return cap;
}

double *mpi_model_domain(const mp_plan *plan, const mpi_scenario *sc, size_t nsc)
{
    size_t np = (size_t)plan->periods;
    double *d = mpi_calloc(plan->nch * (np + 1), sizeof(double));
    if (!d)
        return NULL;
    for (size_t s = 0; s < (nsc ? nsc : 1); s++) {
        const mpi_scenario *one = sc ? &sc[s] : NULL;
        for (size_t c = 0; c < plan->nch; c++) {
            double cap = channel_cap(&plan->ch[c], mpi_scenario_budget(plan, one));
            double lowest = INFINITY, level[MPI_MAX_PERIODS];
            for (size_t t = 0; t < np; t++) {
                level[t] = price_level(plan, one, c, -1, -1, (int)t);
                lowest = fmin(lowest, level[t]);
                double v = fmin(cap, plan->period_cap[t]) / level[t];
                if (v > d[c * (np + 1) + t])
                    d[c * (np + 1) + t] = v;
            }
            if (plan->ch[c].adstock > 0)
                mpi_adstock_domain(plan, c, cap, level, &d[c * (np + 1)]);
            if (cap / lowest > d[c * (np + 1) + np])
                d[c * (np + 1) + np] = cap / lowest;
        }
    }
    return d;
}

void mpi_model_domain_cover(const mp_plan *plan, const mpi_scenario *sc, const double *spend,
                            double *d)
{
    size_t np = (size_t)plan->periods;
    for (size_t c = 0; c < plan->nch; c++) {
        double total = 0, lowest = INFINITY;
        for (size_t t = 0; t < np; t++) {
            double level = price_level(plan, sc, c, -1, -1, (int)t);
            lowest = fmin(lowest, level);
            total += spend[c * np + t];
            double a = plan->ch[c].adstock > 0 ? mpi_adstock_at(plan, c, (int)t, spend)
                                               : spend[c * np + t];
            d[c * (np + 1) + t] = fmax(d[c * (np + 1) + t], a / level);
        }
        d[c * (np + 1) + np] = fmax(d[c * (np + 1) + np], total / lowest);
    }
}

typedef struct reach_ctx {
    const mp_plan *plan;
    const mpi_channel *ch;
    int log; /* the log form (mpi_reach_log) */
} reach_ctx;

static void reach_eval(void *vc, double p, double *x, double *v)
{
    reach_ctx *rc = vc;
    for (int q = 0; q < MPI_NKPI; q++)
        v[q] = 0;
    *x = p;
    double r = rc->ch->ops->reach(rc->ch->params, &rc->plan->mctx, rc->ch, p);
    /* in the log form, -ln(1 - r/U): concave in p (expr.c), so the same
     * breakpoint rules and tolerance hold on it */
    v[MPI_REACH] = rc->log ? mpi_reach_term(rc->plan, r) : r;
}

/* Borrow base's curves [from, to) into m: yields, bids and base widths
 * shared, widths at base's prices copied. */
static mp_status borrow_curves(const mpi_model *base, size_t from, size_t to, mpi_model *m)
{
    for (size_t i = from; i < to; i++) {
        mpi_curve *cv = mpi_curve_list_add(&m->curves);
        if (!cv || mpi_curve_borrow(&base->curves.v[i], cv) != MP_OK)
            return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    }
    return MP_OK;
}

/* Copy into m, as period t's, the spend curves channel c has in an earlier period of the same
 * weight and range (*done 1), when its model builds them from its spend function, which sees
 * the period only through its weight: the mean curve of 10,000 draws costs about 0.1 s a
 * period to build, a copy nothing. A carryover channel's last period is built apart. */
static mp_status copy_earlier(mpi_model *m, const double *domain, size_t c, int t, int *done)
{
    const mp_plan *plan = m->plan;
    size_t np = (size_t)plan->periods, n = m->curves.n, from = n;
    *done = 0;
    if (!plan->ch[c].ops->spend || mpi_adstock_after(plan, (int)c, t))
        return MP_OK;
    const double *cap = &domain[c * (np + 1)];
    int src = -1;
    for (int u = 0; u < t && src < 0; u++)
        if (cap[u] == cap[t] && plan->weight[u] == plan->weight[t] &&
            !mpi_adstock_after(plan, (int)c, u))
            src = u;
    while (src >= 0 && from > 0 && m->curves.v[from - 1].channel == (int)c &&
           m->curves.v[from - 1].period >= src)
        from--;
    size_t to = from;
    while (to < n && m->curves.v[to].period == src)
        to++;
    if (to == from)
        return MP_OK;
    for (size_t i = from; i < to; i++) {
        mpi_curve *cv = mpi_curve_list_add(&m->curves);
        if (!cv || mpi_curve_copy(&m->curves.v[i], cv) != MP_OK)
            return mpi_fail(MP_ERR_NOMEM, N_("out of memory building curves"));
        cv->period = (short)t;
    }
    *done = 1;
    return MP_OK;
}

/* The spend curves of channel c in period t, or base's when base built them
 * the same: the same range, or curves built without regard to it. *at walks
 * base's spend curves, which come in the same (channel, period) order. */
static mp_status period_curves(mpi_model *m, const double *domain, const mpi_model *base,
                               const double *base_domain, size_t c, int t, size_t *at)
{
    const mp_plan *plan = m->plan;
    const mpi_channel *ch = &plan->ch[c];
    size_t np = (size_t)plan->periods;
    double cap = domain[c * (np + 1) + (size_t)t];
    double base_cap = base ? base_domain[c * (np + 1) + (size_t)t] : NAN;
    size_t from = *at, to = *at;
    int same = base && cap >= base_cap, uncapped = 1;
    while (base && to < base->nspend_curves && base->curves.v[to].channel == (int)c &&
           base->curves.v[to].period == t) {
        const mpi_curve *b = &base->curves.v[to++];
        uncapped = uncapped && !b->capped;
        same = same && mpi_curve_keeps_base(b) && !b->refined; /* a plan's refinement is its own */
    }
    *at = to;
    if (same && (cap == base_cap || uncapped) && to > from)
        return borrow_curves(base, from, to, m);
    int done = 0;
    mp_status st = copy_earlier(m, domain, c, t, &done);
    if (st != MP_OK || done)
        return st;
    mpi_period per = {t, plan->period_start[t], plan->period_start[t + 1], plan->weight[t]};
    size_t before = m->curves.n;
    st = mpi_adstock_after(plan, (int)c, t)
             ? mpi_adstock_curve(plan, ch, &per, cap, &m->curves)
             : ch->ops->curves(ch->params, &plan->mctx, ch, &per, cap, &m->curves);
    for (size_t i = before; i < m->curves.n; i++)
        m->curves.v[i].channel = (int)c;
    return st;
}

/* Each channel's reach curve over its campaign spend (after the spend
 * curves), or base's when it covers the same spend. */
static mp_status reach_curves(mpi_model *m, const double *domain, const mpi_model *base,
                              const double *base_domain)
{
    const mp_plan *plan = m->plan;
    size_t np = (size_t)plan->periods;
    size_t at = base ? base->nspend_curves : 0;
    mp_status st;
    for (size_t c = 0; c < plan->nch; c++) {
        const mpi_channel *ch = &plan->ch[c];
        double cap = domain[c * (np + 1) + np];
        if (!ch->ops->reach || !(cap > 0))
            continue;
        if (base && at < base->curves.n && base->curves.v[at].channel == (int)c) {
            at++;
            const mpi_curve *b = &base->curves.v[at - 1];
            if (cap == base_domain[c * (np + 1) + np] && mpi_curve_keeps_base(b) && !b->refined) {
                if ((st = borrow_curves(base, at - 1, at, m)) != MP_OK)
                    return st;
                continue;
            }
        }
        mpi_curve *cv = mpi_curve_list_add(&m->curves);
        if (!cv)
            return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
        cv->kind = MPI_CURVE_REACH;
        cv->channel = (int)c;
        cv->period = -1;
        reach_ctx rc = {plan, ch, mpi_reach_log(plan)};
        if ((st = mpi_pwl_build(reach_eval, &rc, 0, cap, plan->precision, 0, NULL, 0, cv)) != MP_OK)
            return st;
    }
    return MP_OK;
}

mp_status mpi_model_curves(const mp_plan *plan, const double *domain, const mpi_model *base,
                           const double *base_domain, mpi_model *m)
{
    memset(m, 0, sizeof *m);
    m->plan = plan;
    size_t at = 0;
    /* Past the run's deadline the curves stop where they are: the solver, seeing it
     * passed too, loads nothing and the plan is the trivial one, if any (solution.c). */
    for (size_t c = 0; c < plan->nch && !m->cut; c++)
        for (int t = 0; t < plan->periods && !(m->cut = mpi_deadline_passed()); t++) {
            mp_status st = period_curves(m, domain, base, base_domain, c, t, &at);
            if (st != MP_OK)
                return st;
        }
    m->nspend_curves = m->curves.n;
    mp_status st = MP_OK;
    if (needs_reach(plan) && !(m->cut = m->cut || mpi_deadline_passed()))
        st = mpi_reach_check(plan);
    if (st == MP_OK && needs_reach(plan) && !(m->cut = m->cut || mpi_deadline_passed()))
        st = reach_curves(m, domain, base, base_domain);
    mpi_curve_list_fit(&m->curves);
    return st;
}

/* A bid ceiling in currency (param is the marginal cost of a click): the
 * segments whose bids pass it at the curve's price level go, and the one it
 * falls in ends where the model's exact bid reaches it, keeping its chord's
 * slope (still under the curve), so that the curve ends where the exact
 * curve does (mpi_curve_end) at any price level. */
static mp_status cut_at_ceiling(const mpi_model *m, mpi_curve *c)
{
    mp_status st = MP_OK;
    const double rel = 1e-12; /* a breakpoint built at the ceiling counts as on it */
    double end = mpi_curve_ceiling_spend(m, c), at = 0;
    for (int s = 0; st == MP_OK && s < c->nseg; s++) {
        double b0 = mpi_curve_data_bid(c, s) * c->mult, b1 = mpi_curve_data_bid(c, s + 1) * c->mult;
        double w = mpi_curve_width(c, s);
        if (b1 <= c->ceiling * (1 + rel)) {
            at += w;
            continue;
        }
        if (b0 >= c->ceiling * (1 - rel) || !(w > 0)) {
            st = mpi_curve_set_width(c, s, 0);
            continue;
        }
        double f = end - at;
        st = mpi_curve_set_width(c, s, f > 0 ? (f < w ? f : w) : 0); /* also NaN */
        at += w;
    }
    mpi_curve_sum_end(c);
    return st;
}

/* Price every curve at the scenario's levels (see mpi_curve). With keep, the
 * widths at the data's prices are kept, so that the curves can be priced
 * again for the next scenario. */
mp_status mpi_model_price(mpi_model *m, const mpi_scenario *sc, int keep)
{
    const mp_plan *plan = m->plan;
    for (size_t i = 0; i < m->curves.n; i++) {
        mpi_curve *c = &m->curves.v[i];
        if ((keep || c->ceiling > 0) && !mpi_curve_keeps_base(c)) {
            if (c->mult != 1)
                return mpi_fail(MP_ERR_INTERNAL, N_("curves kept after they were priced"));
            mpi_curve_keep_base(c);
        }
        if (!mpi_curve_keeps_base(c) && c->mult != 1)
            return mpi_fail(MP_ERR_INTERNAL, N_("curves priced twice without their base"));
        double mult = price_level(plan, sc, (size_t)c->channel, c->keyword, c->group, c->period);
        int cut = c->ceiling > 0 && mpi_curve_has_bids(c);
        if (mult == c->mult && !cut)
            continue; /* priced so already (a ceiling is cut again: at level 1 too) */
        if (!(mult > 0) || !isfinite(mult))
            return mpi_fail(MP_ERR_INPUT, N_("channel \"%s\": price level %g is not positive"),
                            plan->ch[c->channel].name, mult);
        mpi_curve_set_level(c, mult);
        if (cut && cut_at_ceiling(m, c) != MP_OK)
            return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    }
    return MP_OK;
}

/* One column per curve segment, numbered in curve order (mpi_curve.col). */
static void lp_columns(mpi_model *m)
{
    mpi_lp *lp = &m->lp;
    lp->sense = m->plan->obj_sense;
    lp->ncols = 0;
    for (size_t i = 0; i < m->curves.n; i++) {
        m->curves.v[i].col = lp->ncols;
        lp->ncols += (size_t)m->curves.v[i].nseg;
    }
}

/* The budget and the budget of each period that has one. */
static mp_status budget_rows(mpi_model *m, const mpi_scenario *sc)
{
    const mp_plan *plan = m->plan;
    double budget = mpi_scenario_budget(plan, sc);
    char amount[64];
    mpi_fmt_thousands(amount, sizeof amount, budget, 0);
    mp_status st = add_row(m, MPI_ROW_BUDGET, -1, plan->budget_exact ? MPI_EQ : MPI_LE, budget,
                           mpi_strdup("budget"),
                           mpi_aprintf("budget: spend %s %s %s",
                                       plan->budget_exact ? "=" : "<=", amount, plan->currency));
    for (int t = 0; st == MP_OK && t < plan->periods; t++) {
        if (!isfinite(plan->period_cap[t]))
            continue;
        mpi_fmt_thousands(amount, sizeof amount, plan->period_cap[t], 0);
        st = add_row(
            m, MPI_ROW_PERIOD, t, MPI_LE, plan->period_cap[t], mpi_aprintf("budget_p%d", t + 1),
            mpi_aprintf("budget of period %d: spend <= %s %s", t + 1, amount, plan->currency));
    }
    return st;
}

/* Each channel's min_spend, max_spend and fixed_spend. */
static mp_status channel_rows(mpi_model *m)
{
    const mp_plan *plan = m->plan;
    static const char *const what[3] = {"min_spend", "max_spend", "fixed_spend"};
    static const int ops[3] = {MPI_GE, MPI_LE, MPI_EQ};
    static const int kinds[3] = {MPI_ROW_MIN, MPI_ROW_MAX, MPI_ROW_FIXED};
    mp_status st = MP_OK;
    for (size_t c = 0; st == MP_OK && c < plan->nch; c++) {
        const mpi_channel *ch = &plan->ch[c];
        int ci = (int)c;
        const double v[3] = {ch->min_spend, ch->max_spend, ch->fixed_spend};
        for (int k = 0; st == MP_OK && k < 3; k++) {
            if (isnan(v[k]))
                continue;
            char amount[64], prefix[32];
            mpi_fmt_thousands(amount, sizeof amount, v[k], 0);
            snprintf(prefix, sizeof prefix, "%s_", what[k]);
            st = add_row(m, kinds[k], ci, ops[k], v[k], row_name(prefix, ch->name),
                         mpi_aprintf("%s: %s %s %s %s", ch->name, what[k], mpi_op_str(ops[k]),
                                     amount, plan->currency));
        }
    }
    return st;
}

/* Reach curves follow their channel's spend; then the plan's constraints. */
static mp_status link_and_constraint_rows(mpi_model *m, const mpi_scenario *sc)
{
    const mp_plan *plan = m->plan;
    mpi_lp *lp = &m->lp;
    mp_status st = MP_OK;
    for (size_t i = m->nspend_curves; st == MP_OK && i < m->curves.n; i++) {
        int ci = m->curves.v[i].channel;
        st = add_row(m, MPI_ROW_REACH_LINK, ci, MPI_EQ, 0,
                     row_name("reach_link_", plan->ch[ci].name),
                     mpi_aprintf("%s: reach curve follows its spend", plan->ch[ci].name));
    }
    for (size_t i = 0; st == MP_OK && i < plan->ncons; i++) {
        const mpi_constraint *c = &plan->cons[i];
        mpi_expr e = c->e;
        if (sc && !isnan(sc->bound[i]))
            e.value = sc->bound[i];
        double rhs = mpi_expr_rhs(plan, &e, e.value);
        st = add_row(m, MPI_ROW_CONSTRAINT, (int)i, e.op, rhs, row_name("c_", c->name),
                     mpi_aprintf("%s: %s", c->name, c->text));
        if (st == MP_OK)
            lp->rows[lp->nrows - 1].param = e.value;
    }
    return st;
}

/* Which curves' yields fall or stay along them in every KPI but spend (its
 * yield is the same on every segment of a curve): m->mono, or NULL when out
 * of memory (the implicit solve then scans those curves whole). Each curve
 * keeps its flag with its yields (mpi_curve.mono): they are at the data's
 * prices, which a price level scales all alike. */
static void model_mono(mpi_model *m)
{
    free(m->mono);
    m->mono = mpi_calloc(m->curves.n + 1, 1);
    for (size_t i = 0; m->mono && i < m->curves.n; i++)
        m->mono[i] = m->curves.v[i].mono;
}

/* Each adstocked channel's spend in each period is >= 0: a_t - lambda
 * a_{t-1} >= 0 (a row over spend, as the others: row_at). */
static mp_status adstock_rows(mpi_model *m)
{
    const mp_plan *plan = m->plan;
    mp_status st = MP_OK;
    for (size_t c = 0; st == MP_OK && c < plan->nch; c++) {
        const mpi_channel *ch = &plan->ch[c];
        if (!(ch->adstock > 0))
            continue;
        char clean[128];
        mpi_sanitize_name(clean, sizeof clean, ch->name);
        for (int t = 0; st == MP_OK && t < plan->periods; t++)
            st = add_row(m, MPI_ROW_ADSTOCK, (int)c * plan->periods + t, MPI_GE, 0,
                         mpi_aprintf("carry_%s_t%d", clean, t + 1),
                         mpi_aprintf("%s: spend in period %d >= 0 (adstock less %g times the "
                                     "last period's)",
                                     ch->name, t + 1, ch->adstock));
    }
    return st;
}

mp_status mpi_model_lp(mpi_model *m, const mpi_scenario *sc)
{
    mpi_lp_free(&m->lp);
    lp_columns(m);
    mp_status st = budget_rows(m, sc);
    if (st == MP_OK)
        st = channel_rows(m);
    if (st == MP_OK)
        st = link_and_constraint_rows(m, sc);
    if (st == MP_OK)
        st = adstock_rows(m);
    for (size_t r = 0; st == MP_OK && r < m->lp.nrows; r++)
        m->lp.rows[r].rhs += mpi_row_rhs_shift(m, r);
    if (st == MP_OK)
        model_mono(m);
    return st;
}

mp_status mpi_model_lp_from(mpi_model *m, const mpi_model *base)
{
    int same = m->curves.n == base->curves.n && base->lp.rows;
    for (size_t i = 0; same && i < m->curves.n; i++)
        same =
            m->curves.v[i].borrowed && mpi_curve_same_yields(&m->curves.v[i], &base->curves.v[i]);
    if (!same)
        return MP_OK;
    const mpi_lp *b = &base->lp;
    mpi_lp *lp = &m->lp;
    mpi_lp_free(lp);
    lp->sense = b->sense;
    lp->ncols = b->ncols;
    lp->rows = mpi_calloc(b->nrows ? b->nrows : 1, sizeof *lp->rows);
    if (!lp->rows)
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    lp->rcap = b->nrows;
    model_mono(m);
    for (size_t r = 0; r < b->nrows; r++) {
        lp->rows[r] = b->rows[r];
        lp->rows[r].len = MPI_ROW_HEADER;
        lp->rows[r].name = mpi_strdup(b->rows[r].name);
        lp->rows[r].label = mpi_strdup(b->rows[r].label);
        lp->nrows++;
        if (!lp->rows[r].name || !lp->rows[r].label)
            return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    }
    return MP_OK;
}

/* Bring one row's header to the scenario: its right-hand side, and the
 * constraint value its coefficients are built with (mpi_lp_row_terms). */
static void update_row(mpi_model *m, const mpi_scenario *sc, mpi_row *row)
{
    const mp_plan *plan = m->plan;
    if (row->kind == MPI_ROW_BUDGET)
        row->rhs = mpi_scenario_budget(plan, sc) + mpi_row_rhs_shift(m, (size_t)(row - m->lp.rows));
    if (row->kind != MPI_ROW_CONSTRAINT)
        return; /* rows over spend alone do not move with prices */
    mpi_expr e = plan->cons[row->ref].e;
    if (sc && !isnan(sc->bound[row->ref]))
        e.value = sc->bound[row->ref];
    row->rhs = mpi_expr_rhs(plan, &e, e.value);
    row->param = e.value;
    row->rhs += mpi_row_rhs_shift(m, (size_t)(row - m->lp.rows));
}

/* The rows' headers brought to a repriced model's scenario (the usual case in
 * a what-if run); the LP is built again when its columns changed. */
mp_status mpi_model_lp_update(mpi_model *m, const mpi_scenario *sc)
{
    mpi_lp *lp = &m->lp;
    size_t ncols = 0;
    for (size_t i = 0; i < m->curves.n; i++)
        ncols += (size_t)m->curves.v[i].nseg;
    if (!lp->rows || ncols != lp->ncols)
        return mpi_model_lp(m, sc);
    for (size_t r = 0; r < lp->nrows; r++)
        update_row(m, sc, &lp->rows[r]);
    return MP_OK;
}

mp_status mpi_model_build(const mp_plan *plan, const mpi_scenario *sc, mpi_model *m)
{
    memset(m, 0, sizeof *m);
    double *domain = mpi_model_domain(plan, sc, 1);
    if (!domain)
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    mp_status st = mpi_model_curves(plan, domain, NULL, NULL, m);
    free(domain);
    if (st == MP_OK)
        st = mpi_model_price(m, sc, 1);
    if (st == MP_OK)
        st = mpi_model_lp(m, sc);
    return st;
}

/* ---- rows as functions of the exact curves (bound.h) ------------------------ */

/* The coefficient function of row r and its context; *e holds a
 * constraint's expression at the scenario's value. */
static coef_fn row_coef(const mpi_model *m, const mpi_scenario *sc, size_t r, mpi_expr *e,
                        const void **ctx)
{
    const mpi_row *row = &m->lp.rows[r];
    *ctx = &row->ref;
    switch (row->kind) {
    case MPI_ROW_BUDGET: return coef_spend;
    case MPI_ROW_PERIOD: return coef_period;
    case MPI_ROW_REACH_LINK: return coef_reach_link;
    case MPI_ROW_ADSTOCK: return coef_adstock;
    case MPI_ROW_CONSTRAINT:
        *e = m->plan->cons[row->ref].e;
        if (sc && !isnan(sc->bound[row->ref]))
            e->value = sc->bound[row->ref];
        *ctx = e;
        return coef_expr;
    default: return coef_channel; /* min, max and fixed spend */
    }
}

/* Every coefficient is linear in the yields, plus a constant per unit of
 * spend (a reach curve's link): read them off unit yield vectors. */
static void terms_of(coef_fn f, const void *ctx, const mpi_model *m, const mpi_curve *c, double *a)
{
    double y[MPI_NKPI] = {0};
    double a0 = row_at(f, ctx, m, c, y);
    for (int q = 0; q < MPI_NKPI; q++) {
        y[q] = 1;
        a[q] = row_at(f, ctx, m, c, y) - a0;
        y[q] = 0;
    }
    a[MPI_NKPI] = a0;
}

void mpi_row_terms(const mpi_model *m, const mpi_scenario *sc, size_t r, const mpi_curve *c,
                   double *a)
{
    mpi_expr e;
    const void *ctx;
    coef_fn f = row_coef(m, sc, r, &e, &ctx);
    terms_of(f, ctx, m, c, a);
}

void mpi_lp_row_terms(const mpi_model *m, size_t r, const mpi_curve *c, double *a)
{
    mpi_expr e;
    const void *ctx;
    const mpi_row *row = &m->lp.rows[r];
    coef_fn f = row_coef(m, NULL, r, &e, &ctx);
    if (row->kind == MPI_ROW_CONSTRAINT)
        e.value = row->param; /* the value the row was built with, scenario or plan */
    terms_of(f, ctx, m, c, a);
}

/* Row r's right-hand side over the money paid, before the carried-in
 * adstock moves to it. */
static double spend_rhs(const mpi_model *m, const mpi_scenario *sc, size_t r)
{
    const mp_plan *plan = m->plan;
    const mpi_row *row = &m->lp.rows[r];
    switch (row->kind) {
    case MPI_ROW_BUDGET: return mpi_scenario_budget(plan, sc);
    case MPI_ROW_PERIOD: return plan->period_cap[row->ref];
    case MPI_ROW_MIN: return plan->ch[row->ref].min_spend;
    case MPI_ROW_MAX: return plan->ch[row->ref].max_spend;
    case MPI_ROW_FIXED: return plan->ch[row->ref].fixed_spend;
    case MPI_ROW_CONSTRAINT: {
        mpi_expr e = plan->cons[row->ref].e;
        if (sc && !isnan(sc->bound[row->ref]))
            e.value = sc->bound[row->ref];
        return mpi_expr_rhs(plan, &e, e.value);
    }
    default: return NAN;
    }
}

double mpi_row_rhs(const mpi_model *m, const mpi_scenario *sc, size_t r)
{
    double rhs = spend_rhs(m, sc, r);
    if (isnan(rhs))
        return m->lp.rows[r].rhs; /* a row of the model's own, as built */
    mpi_expr e;
    const void *ctx;
    coef_fn f = row_coef(m, sc, r, &e, &ctx);
    return rhs + carried_rhs(f, ctx, m);
}

double mpi_row_rhs_shift(const mpi_model *m, size_t r)
{
    if (!mpi_plan_has_adstock(m->plan))
        return 0;
    mpi_expr e;
    const void *ctx;
    const mpi_row *row = &m->lp.rows[r];
    coef_fn f = row_coef(m, NULL, r, &e, &ctx);
    if (row->kind == MPI_ROW_CONSTRAINT)
        e.value = row->param; /* the value the row was built with, scenario or plan */
    return carried_rhs(f, ctx, m);
}

/* The money paid by channel c in period t (mip.c): a row over spend like
 * the adstock rows, for any channel. */
double mpi_model_paid_coef(const mpi_model *m, int c, int t, const mpi_curve *cv, int s)
{
    int ref = c * m->plan->periods + t;
    return seg_coef(coef_adstock, &ref, m, cv, s);
}

double mpi_model_paid_shift(const mpi_model *m, int c, int t)
{
    int ref = c * m->plan->periods + t;
    return carried_rhs(coef_adstock, &ref, m);
}

/* ---- the explicit LP ------------------------------------------------------- */

/* Row r's coefficients on every segment, appended to out's arrays (its
 * constraint value: row->param, as the row was built). */
static mp_status explicit_row(const mpi_model *m, size_t r, mpi_lp *out)
{
    mpi_expr e;
    const void *ctx;
    coef_fn f = row_coef(m, NULL, r, &e, &ctx);
    if (m->lp.rows[r].kind == MPI_ROW_CONSTRAINT)
        e.value = m->lp.rows[r].param;
    mpi_row *row = &out->rows[r];
    row->start = out->nnz;
    for (size_t i = 0; i < m->curves.n; i++) {
        const mpi_curve *c = &m->curves.v[i];
        for (int s = 0; s < c->nseg; s++) {
            double a = seg_coef(f, ctx, m, c, s);
            if (a == 0)
                continue;
            void *arrays[] = {out->ind, out->val};
            const size_t sizes[] = {sizeof *out->ind, sizeof *out->val};
            mp_status st = mpi_reserve_all(&out->nzcap, out->nnz + 1, 2, arrays, sizes);
            out->ind = arrays[0];
            out->val = arrays[1];
            if (st != MP_OK)
                return mpi_fail(MP_ERR_NOMEM, N_("out of memory building the LP"));
            out->ind[out->nnz] = c->col + (size_t)s;
            out->val[out->nnz++] = a;
        }
    }
    row->len = out->nnz - row->start;
    return MP_OK;
}

/* Each column's objective yield and width. */
static mp_status explicit_columns(const mpi_model *m, mpi_lp *out)
{
    size_t n = out->ncols ? out->ncols : 1;
    out->obj = mpi_calloc(n, sizeof(double));
    out->ub = mpi_calloc(n, sizeof(double));
    if (!out->obj || !out->ub)
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory building the LP"));
    for (size_t i = 0; i < m->curves.n; i++) {
        const mpi_curve *c = &m->curves.v[i];
        double carry = mpi_obj_carry(m, c);
        for (int s = 0; s < c->nseg; s++) {
            out->obj[c->col + (size_t)s] = mpi_curve_yield(c, s, m->plan->obj_kpi) + carry;
            out->ub[c->col + (size_t)s] = mpi_curve_width(c, s);
        }
    }
    return MP_OK;
}

mp_status mpi_model_explicit(const mpi_model *m, mpi_lp *out)
{
    const mpi_lp *lp = &m->lp;
    memset(out, 0, sizeof *out);
    out->sense = lp->sense;
    out->ncols = lp->ncols;
    out->rows = mpi_calloc(lp->nrows ? lp->nrows : 1, sizeof *out->rows);
    if (!out->rows)
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory building the LP"));
    out->rcap = lp->nrows;
    mp_status st = explicit_columns(m, out);
    for (size_t r = 0; st == MP_OK && r < lp->nrows; r++) {
        out->rows[r] = lp->rows[r];
        out->rows[r].name = mpi_strdup(lp->rows[r].name);
        out->rows[r].label = mpi_strdup(lp->rows[r].label);
        out->nrows++;
        st = out->rows[r].name && out->rows[r].label ? explicit_row(m, r, out)
                                                     : mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    }
    if (st != MP_OK)
        mpi_lp_free(out);
    return st;
}

size_t mpi_model_nnz(const mpi_model *m)
{
    size_t nnz = 0;
    for (size_t r = 0; r < m->lp.nrows; r++) {
        mpi_expr e;
        const void *ctx;
        coef_fn f = row_coef(m, NULL, r, &e, &ctx);
        if (m->lp.rows[r].kind == MPI_ROW_CONSTRAINT)
            e.value = m->lp.rows[r].param;
        for (size_t i = 0; i < m->curves.n; i++)
            for (int s = 0; s < m->curves.v[i].nseg; s++)
                nnz += seg_coef(f, ctx, m, &m->curves.v[i], s) != 0;
    }
    return nnz;
}
