/* Aggregation: the solution's spends read back as the figures reports show:
 * KPIs by channel, period and keyword, marginal returns, reach, and each
 * row's measure in its natural unit. */
#include "bound.h"
#include "report.h"

#include <stdlib.h>
#include <string.h>

/* What one spend curve brings at the solution's spends. */
typedef struct curve_take {
    double kv[MPI_NKPI]; /* exact KPIs at the curve's price level, spend included */
    double spend;
    double bid;      /* the exact bid at that spend (keyword curves), or NAN */
    double marginal; /* its return at the margin, for its channel's, or NAN */
} curve_take;

/* Spend curves taken at a time: their takes are computed in two halves,
 * then added in curve order (the sums are those of one pass, on one
 * thread or two). */
#define MPI_TAKE_BLOCK 16384

/* The per-channel results and keyword rows, zeroed; kw_off[c] is where
 * channel c's keywords start, kw_off[nch] their count (caller frees). */
static mp_status alloc_results(mp_solution *sol, size_t **kw_off_out)
{
    const mp_plan *plan = sol->plan;
    size_t nch = plan->nch, np = (size_t)plan->periods;
    sol->ch_kpi = mpi_calloc(nch * MPI_NKPI, sizeof(double));
    sol->cp_kpi = mpi_calloc(nch * np * MPI_NKPI, sizeof(double));
    sol->ch_marginal = mpi_calloc(nch, sizeof(double));
    sol->cp_marginal = mpi_calloc(nch * np + 1, sizeof(double));
    size_t *kw_off = mpi_calloc(nch + 1, sizeof(size_t));
    if (!sol->ch_kpi || !sol->cp_kpi || !sol->ch_marginal || !sol->cp_marginal || !kw_off) {
        free(kw_off);
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    }
    for (size_t c = 0; c < nch; c++) {
        const mpi_channel *ch = &plan->ch[c];
        size_t n = ch->ops->keyword_count ? ch->ops->keyword_count(ch->params) : 0;
        kw_off[c + 1] = kw_off[c] + n;
        sol->ch_marginal[c] = NAN;
        for (size_t t = 0; t < np; t++)
            sol->cp_marginal[c * np + t] = NAN;
    }
    sol->nkw = sol->light ? 0 : kw_off[nch];
    sol->kw = mpi_calloc(sol->nkw ? sol->nkw : 1, sizeof *sol->kw);
    if (!sol->kw) {
        free(kw_off);
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    }
    for (size_t c = 0; c < nch && !sol->light; c++)
        for (size_t k = kw_off[c]; k < kw_off[c + 1]; k++) {
            sol->kw[k].channel = (int)c;
            sol->kw[k].keyword = k - kw_off[c];
        }
    *kw_off_out = kw_off;
    return MP_OK;
}

/* The marginal return of a curve whose spend xs stops short of segment s's
 * width, on the LP's chords. At a breakpoint the PWL curve has two slopes;
 * the smooth curve's derivative lies between them, so report their middle.
 * (What-if scenarios, which show no channel's marginal.) */
static double chord_marginal(const mpi_curve *cv, int s, double xs, int ret_kpi)
{
    double mr = mpi_curve_yield(cv, s, ret_kpi);
    if (xs <= 1e-9 * (1 + mpi_curve_width(cv, s)) && s > 0)
        mr = 0.5 * (mr + mpi_curve_yield(cv, s - 1, ret_kpi));
    return mr;
}

/* The marginal return of curve cv at spend x: the exact curve's derivative
 * (at 0 its first euro's return); NAN at the end of its domain (saturated,
 * or cut at its bid ceiling), where no more can be spent. */
static double exact_marginal(const mp_solution *sol, const mpi_curve *cv, double x, double end,
                             int ret_kpi)
{
    double d1[MPI_NKPI];
    if (!(x < end * (1 - 1e-9)))
        return NAN;
    mpi_curve_slopes_at(&sol->model, cv, x, end, d1);
    return d1[ret_kpi];
}

/* A booked plan's marginal return on curve cv at spend x (mpi_booked_margin):
 * none in a period its channel does not air, the next whole unit's return
 * per currency unit where it buys units (NAN when that unit would pass the
 * curve's end), else the derivative. */
static double booked_marginal(const mp_solution *sol, const mpi_curve *cv, double x, double end,
                              int ret_kpi)
{
    double unit, v0[MPI_NKPI], v1[MPI_NKPI];
    switch (mpi_booked_margin(sol, cv, &unit)) {
    case MPI_MARGIN_OFF_AIR: return NAN;
    case MPI_MARGIN_UNIT:
        if (!(x + unit <= end * (1 + 1e-9)))
            return NAN;
        mpi_curve_exact(&sol->model, cv, x, v0);
        mpi_curve_exact(&sol->model, cv, x + unit, v1);
        return (v1[ret_kpi] - v0[ret_kpi]) / unit;
    }
    return exact_marginal(sol, cv, x, end, ret_kpi);
}

/* Raise channel c's marginal return to mr (its best curve's), and its
 * period t's. */
void mpi_raise_marginal(mp_solution *sol, size_t c, size_t t, double mr)
{
    double *cm = &sol->ch_marginal[c], *pm = &sol->cp_marginal[c * (size_t)sol->plan->periods + t];
    if (!isnan(mr) && (isnan(*cm) || mr > *cm))
        *cm = mr;
    if (!isnan(mr) && (isnan(*pm) || mr > *pm))
        *pm = mr;
}

/* What curve cv brings: the exact model's KPIs at the spend the LP put on it
 * (the chords only decide the spends), and the curve's marginal return for
 * its channel's: the exact derivative at that spend, as the shadow prices
 * it is compared with are the exact model's (shadow.c); a what-if
 * scenario's stays the LP's chord slope. Reads sol only: the halves of a
 * block run at once. */
static void take_curve(const mp_solution *sol, const mpi_curve *cv, int ret_kpi, curve_take *t)
{
    const double *x = sol->lp.x;
    memset(t, 0, sizeof *t);
    t->bid = t->marginal = NAN;
    int marginal_seen = 0;
    for (int s = 0; s < cv->nseg; s++) {
        double xs = x[cv->col + (size_t)s];
        t->spend += xs;
        if (!marginal_seen && xs < mpi_curve_width(cv, s) * (1 - 1e-9)) {
            marginal_seen = 1;
            if (sol->light)
                t->marginal = chord_marginal(cv, s, xs, ret_kpi);
        }
    }
    if (!sol->light && ret_kpi != MPI_REACH)
        t->marginal = booked_marginal(sol, cv, t->spend, mpi_curve_end(cv), ret_kpi);
    if (!(t->spend > 0)) /* the exact model brings nothing for nothing */
        return;
    if (mpi_curve_has_bids(cv) && !sol->light)
        t->bid = mpi_curve_exact_bid(&sol->model, cv, t->spend, t->kv);
    else
        mpi_curve_exact(&sol->model, cv, t->spend, t->kv);
}

/* One half of a block of spend curves: their takes into t[i - base]. */
typedef struct take_half {
    const mp_solution *sol;
    size_t base, from, to;
    int ret_kpi;
    curve_take *t;
} take_half;

static void *take_half_run(void *arg)
{
    const take_half *h = arg;
    const mpi_curve *cv = h->sol->model.curves.v;
    for (size_t i = h->from; i < h->to; i++) {
        if (i + 2 < h->to)
            mpi_curve_prefetch(&cv[i + 2]);
        take_curve(h->sol, &cv[i], h->ret_kpi, &h->t[i - h->base]);
    }
    return NULL;
}

/* Add a curve's take to its channel, its period and its keyword row. */
static void add_take(mp_solution *sol, const mpi_curve *cv, const curve_take *t,
                     const size_t *kw_off)
{
    for (int q = 0; q < MPI_NKPI; q++) {
        MPI_CP_KPI(sol, cv->channel, cv->period, q) += t->kv[q];
        MPI_CH_KPI(sol, cv->channel, q) += t->kv[q];
    }
    if (cv->keyword < 0 || sol->light)
        return;
    mpi_kw_result *kr = &sol->kw[kw_off[cv->channel] + (size_t)cv->keyword];
    kr->spend += t->spend;
    kr->clicks += t->kv[MPI_CLICKS];
    kr->conversions += t->kv[MPI_CONVERSIONS];
    kr->impressions += t->kv[MPI_IMPRESSIONS];
    kr->revenue += t->kv[MPI_REVENUE];
    if (!isnan(t->bid))
        kr->bid += t->spend * t->bid;
}

/* Every spend curve's take, added to its channel, period and keyword in
 * curve order, a block at a time (t: room for a block's takes). */
static void take_curves(mp_solution *sol, int ret_kpi, const size_t *kw_off, double *data_spend,
                        curve_take *t)
{
    const mpi_model *m = &sol->model;
    for (size_t base = 0; base < m->nspend_curves; base += MPI_TAKE_BLOCK) {
        size_t n =
            m->nspend_curves - base < MPI_TAKE_BLOCK ? m->nspend_curves - base : MPI_TAKE_BLOCK;
        take_half h[2] = {{sol, base, base, base + n / 2, ret_kpi, t},
                          {sol, base, base + n / 2, base + n, ret_kpi, t}};
        mpi_halves_run(n, take_half_run, &h[0], &h[1]);
        for (size_t k = 0; k < n; k++) {
            const mpi_curve *cv = &m->curves.v[base + k];
            mpi_raise_marginal(sol, (size_t)cv->channel, (size_t)cv->period, t[k].marginal);
            add_take(sol, cv, &t[k], kw_off);
            data_spend[cv->channel] += t[k].spend / cv->mult;
        }
    }
}

/* Reach: the model's exact curve at each channel's campaign spend (data_spend:
 * what it buys at the data's prices, each period's spend over its price
 * level), the total summed, and de-duplicated under independent duplication
 * (U (1 - prod(1 - r_i/U)), from the sum of the log-form terms, expr.c). */
static void add_reach(mp_solution *sol, const double *data_spend)
{
    const mp_plan *plan = sol->plan;
    double sum = 0, logs = 0;
    for (size_t c = 0; c < plan->nch; c++) {
        const mpi_channel *ch = &plan->ch[c];
        double r = ch->ops->reach ? ch->ops->reach(ch->params, &plan->mctx, ch, data_spend[c]) : 0;
        MPI_CH_KPI(sol, c, MPI_REACH) = r;
        sum += r;
        if (plan->universe > 0)
            logs += mpi_reach_term(plan, fmin(r, plan->universe));
    }
    sol->reach_summed = sum;
    sol->reach_log = plan->universe > 0 ? logs : NAN;
    sol->reach_dedup = plan->universe > 0 ? mpi_reach_people(plan, logs) : NAN;
}

/* The de-duplicated reach of the channels in e's list at the solution's
 * spends, in the LP row's log form (the sum of their terms, expr.c). */
double mpi_reach_row_log(const mp_solution *sol, const mpi_expr *e)
{
    const mp_plan *plan = sol->plan;
    double s = 0;
    for (size_t c = 0; c < plan->nch; c++)
        if (plan->ch[c].ops->reach && mpi_expr_has(e, (int)c, -1))
            s += mpi_reach_term(plan, fmin(MPI_CH_KPI(sol, c, MPI_REACH), plan->universe));
    return s;
}

/* Marginal reach comes from the reach curves, where the plan has them: the
 * exact derivative (the chord's slope in a what-if scenario). */
static void reach_marginals(mp_solution *sol)
{
    const mpi_model *m = &sol->model;
    const double *x = sol->lp.x;
    for (size_t i = m->nspend_curves; i < m->curves.n; i++) {
        const mpi_curve *cv = &m->curves.v[i];
        double fill = 0;
        for (int s = 0; s < cv->nseg; s++)
            fill += x[cv->col + (size_t)s];
        /* in the log form a term's slope is people at the margin times
         * dR/ds = U e^-s (R = U (1 - e^-s)) */
        double people = mpi_reach_log(sol->plan) ? sol->plan->universe * exp(-sol->reach_log) : 1;
        for (int s = 0; s < cv->nseg; s++)
            if (x[cv->col + (size_t)s] < mpi_curve_width(cv, s) * (1 - 1e-9)) {
                sol->ch_marginal[cv->channel] =
                    people * (sol->light
                                  ? mpi_curve_yield(cv, s, MPI_REACH)
                                  : exact_marginal(sol, cv, fill, mpi_curve_end(cv), MPI_REACH));
                break;
            }
    }
}

/* People reached more per unit of spend more on channel c, where the LP has
 * no reach curve of it (a min plan read by reach: its constraints ask for
 * effective reach): the de-duplicated reach's slope from the channel's own
 * reach curve, R_c' (U - R) / (U - R_c) (random duplication), R_c' at the
 * data's prices scaled to the channel's. */
static void reach_marginals_off_lp(mp_solution *sol, const double *data_spend)
{
    const mp_plan *plan = sol->plan;
    double u = plan->universe, all = sol->reach_dedup;
    for (size_t c = 0; c < plan->nch; c++) {
        const mpi_channel *ch = &plan->ch[c];
        double spend = MPI_CH_KPI(sol, c, MPI_SPEND), d = data_spend[c];
        if (!isnan(sol->ch_marginal[c]) || !ch->ops->reach)
            continue;
        double h = 1e-4 * fmax(d, 1000), r = MPI_CH_KPI(sol, c, MPI_REACH);
        double slope = (ch->ops->reach(ch->params, &plan->mctx, ch, d + h) - r) / h;
        if (spend > 0 && d > 0)
            slope *= d / spend;
        if (u > 0 && r < u && !isnan(all))
            slope *= (u - all) / (u - r);
        sol->ch_marginal[c] = slope;
    }
}

mp_status mpi_aggregate(mp_solution *sol)
{
    const mp_plan *plan = sol->plan;
    const mpi_model *m = &sol->model;
    size_t *kw_off = NULL;
    mp_status st = alloc_results(sol, &kw_off);
    double *data_spend = st == MP_OK ? mpi_calloc(plan->nch ? plan->nch : 1, sizeof(double)) : NULL;
    size_t nt = m->nspend_curves < MPI_TAKE_BLOCK ? m->nspend_curves : MPI_TAKE_BLOCK;
    curve_take *takes = st == MP_OK ? mpi_calloc(nt ? nt : 1, sizeof *takes) : NULL;
    if (st == MP_OK && (!data_spend || !takes))
        st = mpi_nomem();
    if (st != MP_OK) {
        free(kw_off);
        free(data_spend);
        free(takes);
        return st;
    }
    mpi_objective obj;
    mpi_objective_of(plan, &obj);
    int ret_kpi = obj.return_q;
    take_curves(sol, ret_kpi, kw_off, data_spend, takes);
    free(kw_off);
    free(takes);
    if ((st = mpi_adstock_read_back(sol, ret_kpi, data_spend)) != MP_OK) {
        free(data_spend);
        return st;
    }
    for (size_t k = 0; k < sol->nkw; k++)
        sol->kw[k].bid = sol->kw[k].spend > 0 ? sol->kw[k].bid / sol->kw[k].spend : 0;
    add_reach(sol, data_spend);
    if (ret_kpi == MPI_REACH) {
        reach_marginals(sol);
        reach_marginals_off_lp(sol, data_spend);
    }
    free(data_spend);
    for (size_t c = 0; c < plan->nch; c++)
        for (int q = 0; q < MPI_NKPI; q++)
            sol->kpi[q] += MPI_CH_KPI(sol, c, q);
    if (plan->universe > 0) /* people reached, once each */
        sol->kpi[MPI_REACH] = sol->reach_dedup;
    st = mpi_effective_reach(sol);
    return st == MP_OK ? mpi_effective_marginals(sol) : st;
}

void mpi_aggregate_clear(mp_solution *sol)
{
    free(sol->ch_kpi);
    free(sol->cp_kpi);
    free(sol->ch_marginal);
    free(sol->cp_marginal);
    sol->cp_marginal = NULL;
    free(sol->ch_eff_reach);
    sol->ch_eff_reach = NULL;
    free(sol->ch_eff_marginal);
    sol->ch_eff_marginal = NULL;
    free(sol->kw);
    free(sol->adstock);
    free(sol->after_kpi);
    sol->adstock = sol->after_kpi = NULL;
    sol->ch_kpi = sol->cp_kpi = sol->ch_marginal = NULL;
    sol->kw = NULL;
    sol->nkw = 0;
    memset(sol->kpi, 0, sizeof sol->kpi);
}

/* The KPIs of what a constraint's expression sums: its channels, or with
 * keyword groups the curves in the list. */
void mpi_expr_inputs(const mp_solution *sol, const mpi_expr *e, double *in)
{
    const mp_plan *plan = sol->plan;
    if (!e->ing) {
        for (size_t c = 0; c < plan->nch; c++)
            if (mpi_expr_has(e, (int)c, -1))
                for (int q = 0; q < MPI_NKPI; q++) /* with the response after the plan, which
                                                    * the last period's curve counts */
                    in[q] += MPI_CH_KPI(sol, c, q) +
                             (sol->after_kpi ? sol->after_kpi[c * MPI_NKPI + (size_t)q] : 0);
        return;
    }
    const mpi_model *m = &sol->model;
    for (size_t i = 0; i < m->nspend_curves; i++) {
        const mpi_curve *cv = &m->curves.v[i];
        if (!mpi_expr_has(e, cv->channel, cv->group))
            continue;
        double x = mpi_curve_spend(sol, cv), v[MPI_NKPI];
        if (!(x > 0))
            continue;
        mpi_curve_exact(m, cv, x, v);
        for (int q = 0; q < MPI_NKPI; q++)
            in[q] += v[q];
    }
}

double mpi_row_measure(const mp_solution *sol, const mpi_row *row, double activity)
{
    const mp_plan *plan = sol->plan;
    switch (row->kind) {
    case MPI_ROW_BUDGET: return sol->kpi[MPI_SPEND];
    case MPI_ROW_PERIOD: {
        double s = 0;
        for (size_t c = 0; c < plan->nch; c++)
            s += MPI_CP_KPI(sol, c, row->ref, MPI_SPEND);
        return s;
    }
    case MPI_ROW_MIN:
    case MPI_ROW_MAX:
    case MPI_ROW_FIXED: return MPI_CH_KPI(sol, row->ref, MPI_SPEND);
    case MPI_ROW_REACH_LINK:
    case MPI_ROW_ADSTOCK: return activity;
    }
    const mpi_expr *e = &plan->cons[row->ref].e;
    double in[MPI_NKPI] = {0};
    mpi_expr_inputs(sol, e, in);
    switch (e->measure) {
    case MPI_M_SHARE: return sol->kpi[MPI_SPEND] > 0 ? in[MPI_SPEND] / sol->kpi[MPI_SPEND] : 0;
    case MPI_M_CPA: return in[MPI_CONVERSIONS] > 0 ? in[MPI_SPEND] / in[MPI_CONVERSIONS] : NAN;
    case MPI_M_ROAS: return in[MPI_SPEND] > 0 ? in[MPI_REVENUE] / in[MPI_SPEND] : NAN;
    }
    if (e->eff_k > 0) /* people its channel reaches k times, not the row's impressions */
        return mpi_effective_row(sol, e);
    if (e->kpi == MPI_REACH && mpi_reach_log(plan)) /* de-duplicated over e's channels */
        return mpi_reach_people(plan, mpi_reach_row_log(sol, e));
    return in[e->kpi]; /* a KPI: the exact model's, where the LP row sums chords */
}

static double row_bound(const mp_solution *sol, const mpi_row *row)
{
    if (row->kind != MPI_ROW_CONSTRAINT) /* over the money paid (build.c) */
        return row->rhs - mpi_row_rhs_shift(&sol->model, (size_t)(row - sol->model.lp.rows));
    if (sol->sc && !isnan(sol->sc->bound[row->ref]))
        return sol->sc->bound[row->ref];
    return sol->plan->cons[row->ref].e.value;
}

/* Row r's coefficient on the last segment curve cv fills at x (its first
 * when it buys nothing). */
static double last_coef(const mpi_model *m, size_t r, const mpi_curve *cv, const double *x)
{
    int s = cv->nseg - 1;
    while (s > 0 && !(x[cv->col + (size_t)s] > 1e-9))
        s--;
    double a[MPI_NKPI + 1], y[MPI_NKPI], c = 0;
    mpi_lp_row_terms(m, r, cv, a);
    mpi_curve_yields(cv, s, y);
    for (int q = 0; q < MPI_NKPI; q++)
        c += a[q] * y[q];
    return c + a[MPI_NKPI];
}

/* Whether a booked plan's constraint row r holds the plan: at its bound on
 * its measure (1), or, whole spots and insertions meeting a floor with room
 * to spare (an offline share of 30.035 % against 30 %), one unit fewer of a
 * booked channel in a period it buys (one more, under a cap) would break it
 * (2); else 0. */
static int booked_binds(const mp_solution *sol, size_t r, double act, const mpi_row_result *rr)
{
    const mpi_model *m = &sol->model;
    const mpi_row *row = &m->lp.rows[r];
    if (fabs(rr->value - rr->bound) <= 1e-5 * fabs(rr->bound))
        return 1;
    if (!sol->book_units || row->op == MPI_EQ || sol->plan->cons[row->ref].e.eff_k > 0)
        return 0;
    for (size_t i = 0; i < m->nspend_curves; i++) {
        const mpi_curve *cv = &m->curves.v[i];
        double unit;
        size_t k = (size_t)cv->channel * (size_t)sol->plan->periods + (size_t)cv->period;
        if (mpi_booked_margin(sol, cv, &unit) != MPI_MARGIN_UNIT ||
            (row->op == MPI_GE && !(sol->book_units[k] >= 1)))
            continue;
        double step = unit * last_coef(m, r, cv, sol->lp.x);
        if (row->op == MPI_GE ? step > 0 && act - step < row->rhs
                              : step > 0 && act + step > row->rhs)
            return 2;
    }
    return 0;
}

mp_status mpi_fill_rows(mp_solution *sol, mpi_rows_at *ra)
{
    const mpi_lp *lp = &sol->model.lp;
    size_t n = lp->nrows;
    sol->rows = mpi_calloc(n ? n : 1, sizeof *sol->rows);
    double *as = mpi_calloc(2 * n + 1, sizeof(double));
    mp_status st = sol->rows && as ? mpi_rows_at_get(ra, &sol->model, sol->lp.x, as) : mpi_nomem();
    for (size_t r = 0; st == MP_OK && r < n && sol->light; r++) {
        /* a what-if scenario keeps the duals and which rows bind (what
         * stops the budget; shadow.c prices them), not the rows' measures */
        const mpi_row *row = &lp->rows[r];
        sol->rows[r].binding =
            fabs(as[r] - row->rhs) <= 1e-6 * (1 + as[n + r]) && row->kind != MPI_ROW_REACH_LINK;
        sol->rows[r].value = NAN;
        sol->rows[r].bound = row_bound(sol, &lp->rows[r]);
        sol->rows[r].dual = sol->lp.mip ? NAN : sol->lp.row_dual[r];
        sol->rows[r].shadow = sol->rows[r].price = NAN; /* shadow.c's */
    }
    for (size_t r = 0; st == MP_OK && r < n && !sol->light; r++) {
        const mpi_row *row = &lp->rows[r];
        mpi_row_result *rr = &sol->rows[r];
        rr->value = mpi_row_measure(sol, row, as[r]);
        rr->bound = row_bound(sol, row);
        rr->binding =
            fabs(as[r] - row->rhs) <= 1e-6 * (1 + as[n + r]) && row->kind != MPI_ROW_REACH_LINK;
        if (!rr->binding && sol->lp.mip && row->kind == MPI_ROW_CONSTRAINT)
            rr->binding = booked_binds(sol, r, as[r], rr);
        rr->dual = sol->lp.mip ? NAN : sol->lp.row_dual[r]; /* a MIP has no duals */
        rr->shadow = rr->price = NAN;                       /* shadow.c's */
    }
    free(as);
    return st;
}

mp_status mpi_group_totals(const mp_solution *sol, mpi_group_total **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    mpi_group_total *v = NULL;
    for (size_t k = 0; k < sol->nkw; k++) {
        const mpi_kw_result *kr = &sol->kw[k];
        const mpi_channel *ch = &sol->plan->ch[kr->channel];
        const mpi_keyword *kw = ch->ops->keyword(ch->params, kr->keyword);
        size_t i = 0;
        while (i < *n && !(v[i].channel == kr->channel && !strcmp(v[i].group, kw->group)))
            i++;
        if (i == *n) {
            mpi_group_total *nv = mpi_reserve(v, &cap, *n + 1, sizeof *nv);
            if (!nv) {
                free(v);
                *n = 0;
                return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
            }
            v = nv;
            memset(&v[i], 0, sizeof v[i]);
            v[i].channel = kr->channel;
            v[i].group = kw->group;
            (*n)++;
        }
        v[i].keywords++;
        v[i].spend += kr->spend;
        v[i].clicks += kr->clicks;
        v[i].conversions += kr->conversions;
        v[i].revenue += kr->revenue;
        v[i].impressions += kr->impressions;
    }
    *out = v;
    return MP_OK;
}
