/* The planner's current plan on the same models as the optimised one: its
 * spends (baseline_load.c) put on the curves, read back by the exact model at
 * the plan's price levels, and checked against every constraint of the plan.
 * A channel with several curves in a period (a search channel's keywords)
 * gets its spend where it returns most: its segments filled in order of
 * marginal return, the split the channel's own optimum would make of that
 * spend. */
#include "report.h"

#include <stdlib.h>
#include <string.h>

typedef struct seg_ref {
    double yield; /* return per unit of currency */
    size_t col;
    double width;
} seg_ref;

static int by_yield(const void *a, const void *b)
{
    const seg_ref *x = a, *y = b;
    if (x->yield != y->yield)
        return x->yield > y->yield ? -1 : 1;
    return x->col < y->col ? -1 : x->col > y->col; /* a curve's segments stay in order */
}

/* Put spend on the segments of curves [from, to) (one channel in one
 * period), best return first, into x. */
static mp_status fill_period(const mpi_model *m, size_t from, size_t to, double spend, int q,
                             double *x)
{
    size_t n = 0, k = 0;
    for (size_t i = from; i < to; i++)
        n += (size_t)m->curves.v[i].nseg;
    seg_ref *v = mpi_calloc(n ? n : 1, sizeof *v);
    if (!v)
        return mpi_nomem();
    for (size_t i = from; i < to; i++) {
        const mpi_curve *c = &m->curves.v[i];
        for (int s = 0; s < c->nseg; s++, k++) {
            v[k].yield = mpi_curve_yield(c, s, q);
            v[k].col = c->col + (size_t)s;
            v[k].width = mpi_curve_width(c, s);
        }
    }
    qsort(v, n, sizeof *v, by_yield);
    for (k = 0; k < n && spend > 0; k++) {
        double take = fmin(spend, v[k].width);
        x[v[k].col] = take;
        spend -= take;
    }
    free(v);
    return MP_OK;
}

/* What channel c's curves in period t take of the baseline: its spend, or
 * for a channel that carries over its adstock (adstock.c). */
static double on_curve(const mp_plan *plan, size_t c, int t)
{
    if (plan->ch[c].adstock > 0)
        return mpi_adstock_at(plan, c, t, plan->baseline);
    return plan->baseline[c * (size_t)plan->periods + (size_t)t];
}

/* The baseline's spend on every column of m; unplaced[c] what channel c's
 * curves could not take. */
static mp_status place_spend(const mp_plan *plan, const mpi_model *m, double *x, double *unplaced)
{
    mpi_objective obj;
    mpi_objective_of(plan, &obj);
    size_t np = (size_t)plan->periods;
    mp_status st = MP_OK;
    for (size_t i = 0, j; st == MP_OK && i < m->nspend_curves; i = j) {
        const mpi_curve *c = &m->curves.v[i];
        for (j = i; j < m->nspend_curves && m->curves.v[j].channel == c->channel &&
                    m->curves.v[j].period == c->period;
             j++)
            ;
        st = fill_period(m, i, j, on_curve(plan, (size_t)c->channel, c->period), obj.return_q, x);
    }
    for (size_t c = 0; c < plan->nch; c++)
        for (size_t t = 0; t < np; t++)
            unplaced[c] += on_curve(plan, c, (int)t);
    for (size_t i = 0; i < m->nspend_curves; i++) {
        const mpi_curve *c = &m->curves.v[i];
        for (int s = 0; s < c->nseg; s++)
            unplaced[c->channel] -= x[c->col + (size_t)s];
    }
    for (size_t c = 0; c < plan->nch; c++) /* rounding, not money */
        if (unplaced[c] <= 1e-9 * (1 + plan->budget))
            unplaced[c] = 0;
    return st;
}

/* Whether the baseline (aggregated in bs) breaks row, compared in the LP
 * row's terms (a share, CPA or ROAS bound times what it is a ratio of), so
 * that a CPA cap with no conversions for some spend is broken. */
static int breaks(const mp_solution *bs, const mpi_row *row, double value, double bound)
{
    double a = value, b = bound;
    if (row->kind == MPI_ROW_CONSTRAINT) {
        const mpi_expr *e = &bs->plan->cons[row->ref].e;
        double in[MPI_NKPI] = {0};
        mpi_expr_inputs(bs, e, in);
        if (e->measure == MPI_M_SHARE)
            a = in[MPI_SPEND], b = e->value * bs->kpi[MPI_SPEND];
        else if (e->measure == MPI_M_CPA)
            a = in[MPI_SPEND], b = e->value * in[MPI_CONVERSIONS];
        else if (e->measure == MPI_M_ROAS)
            a = in[MPI_REVENUE], b = e->value * in[MPI_SPEND];
    }
    double tol = 1e-7 * (1 + fabs(a) + fabs(b));
    if (row->op == MPI_LE)
        return a > b + tol;
    if (row->op == MPI_GE)
        return a < b - tol;
    return fabs(a - b) > tol;
}

/* Every row of the plan the baseline breaks, in LP order, named as the
 * optimised model names them (names: its LP, which has the same rows; the
 * baseline's model is freed after the evaluation). */
static mp_status broken_rows(const mp_solution *bs, const mpi_lp *names, mpi_baseline *b)
{
    const mp_plan *plan = bs->plan;
    const mpi_lp *lp = &bs->model.lp;
    if (names->nrows != lp->nrows)
        return mpi_fail(MP_ERR_INTERNAL,
                        N_("the current plan's model has other rows than the plan's"));
    b->broken = mpi_calloc(lp->nrows ? lp->nrows : 1, sizeof *b->broken);
    if (!b->broken)
        return mpi_nomem();
    for (size_t r = 0; r < lp->nrows; r++) {
        const mpi_row *row = &lp->rows[r];
        if (mpi_row_internal(row->kind))
            continue;
        const mpi_constraint *cons = row->kind == MPI_ROW_CONSTRAINT ? &plan->cons[row->ref] : NULL;
        double value = mpi_row_measure(bs, row, 0);
        double bound = cons ? cons->e.value : row->rhs - mpi_row_rhs_shift(&bs->model, r);
        if (!breaks(bs, row, value, bound))
            continue;
        mpi_baseline_break *k = &b->broken[b->nbroken++];
        k->name = cons ? cons->name : names->rows[r].name;
        k->expr = cons ? cons->text : strchr(names->rows[r].label, ':') + 2;
        k->cons = cons;
        k->op = row->op;
        k->value = value;
        k->bound = bound;
    }
    return MP_OK;
}

/* The baseline's figures from its spends x on model m: KPIs by channel,
 * objective, broken rows. */
static mp_status figures(const mp_solution *sol, const mpi_model *m, double *x, mpi_baseline *b)
{
    const mp_plan *plan = sol->plan;
    mp_solution bs;
    memset(&bs, 0, sizeof bs);
    bs.plan = plan;
    bs.sc = sol->sc;
    bs.model = *m;
    bs.light = 1; /* no keyword rows */
    bs.lp.x = x;
    bs.reach_dedup = NAN;
    mp_status st = mpi_aggregate(&bs);
    if (st == MP_OK)
        st = broken_rows(&bs, &sol->model.lp, b);
    if (st == MP_OK) {
        b->objective = bs.kpi[plan->obj_kpi] + bs.after_total[plan->obj_kpi];
        memcpy(b->kpi, bs.kpi, sizeof b->kpi);
        b->reach_dedup = bs.reach_dedup;
        b->reach_summed = bs.reach_summed;
        b->eff_reach = bs.eff_reach; /* mpi_aggregate's, as the plan's (effective.c) */
        b->ch_kpi = bs.ch_kpi;
        bs.ch_kpi = NULL;
    }
    mpi_aggregate_clear(&bs);
    return st;
}

/* The curves over the baseline's spends: the optimised model's where they
 * cover them, built further where the baseline spends more. */
static mp_status baseline_model(const mp_solution *sol, mpi_model *bm)
{
    const mp_plan *plan = sol->plan;
    double *base_dom = mpi_model_domain(plan, sol->sc, 1);
    double *dom = mpi_model_domain(plan, sol->sc, 1);
    mp_status st = base_dom && dom ? MP_OK : mpi_nomem();
    memset(bm, 0, sizeof *bm);
    if (st == MP_OK) {
        mpi_model_domain_cover(plan, sol->sc, plan->baseline, dom);
        st = mpi_model_curves(plan, dom, &sol->model, base_dom, bm);
    }
    if (st == MP_OK)
        st = mpi_model_price(bm, sol->sc, 1);
    if (st == MP_OK)
        st = mpi_model_lp(bm, sol->sc);
    free(base_dom);
    free(dom);
    return st;
}

mp_status mpi_baseline_eval(mp_solution *sol)
{
    const mp_plan *plan = sol->plan;
    if (!plan->baseline)
        return MP_OK;
    mpi_baseline *b = mpi_calloc(1, sizeof *b);
    mpi_model bm;
    mp_status st = b ? baseline_model(sol, &bm) : mpi_nomem();
    double *x = st == MP_OK ? mpi_calloc(bm.lp.ncols ? bm.lp.ncols : 1, sizeof(double)) : NULL;
    if (b)
        b->unplaced = mpi_calloc(plan->nch ? plan->nch : 1, sizeof(double));
    if (st == MP_OK && (!x || !b->unplaced))
        st = mpi_nomem();
    if (st == MP_OK)
        st = place_spend(plan, &bm, x, b->unplaced);
    if (st == MP_OK)
        st = figures(sol, &bm, x, b);
    if (st == MP_OK)
        st = mpi_baseline_booking_check(&bm, b);
    free(x);
    if (b)
        mpi_model_free(&bm);
    if (st != MP_OK) {
        mpi_baseline_free(b);
        return st;
    }
    sol->baseline = b;
    return MP_OK;
}

void mpi_baseline_free(mpi_baseline *b)
{
    if (!b)
        return;
    free(b->ch_kpi);
    free(b->unplaced);
    free(b->broken);
    free(b->booking);
    free(b);
}
