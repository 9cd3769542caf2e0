/* The exact model behind the curves: what a curve's spend buys by the media
 * model's own closed form (or, for search, by inverting spend(bid)), at the
 * curve's price level. Reports read their figures here; the LP's chords only
 * decide the spends. */
#include "model.h"

#include <string.h>

/* Period t of the plan as the models see it. */
static void plan_period(const mp_plan *plan, int t, mpi_period *per)
{
    per->index = t;
    per->start = plan->period_start[t];
    per->end = plan->period_start[t + 1];
    per->weight = plan->weight[t];
}

/* The model's exact KPIs (and bid) of curve c at spend x at its price level:
 * at level mult, x buys what x / mult buys at the data's prices. */
static void curve_exact_ch(const mpi_model *m, const mpi_curve *c, const mpi_channel *ch, double x,
                           double *v, double *bid)
{
    const mp_plan *plan = m->plan;
    double xd = x / c->mult;
    if (c->kind == MPI_CURVE_REACH) {
        for (int q = 0; q < MPI_NKPI; q++)
            v[q] = 0;
        v[MPI_REACH] = ch->ops->reach ? ch->ops->reach(ch->params, &plan->mctx, ch, xd) : 0;
        if (mpi_reach_log(plan)) /* the curve's own function: the LP's log form */
            v[MPI_REACH] = mpi_reach_term(plan, v[MPI_REACH]);
        if (bid)
            *bid = NAN;
    } else {
        mpi_period per;
        plan_period(plan, c->period, &per);
        ch->ops->exact(ch->params, &plan->mctx, ch, &per, c->keyword, xd, v, bid);
        if (mpi_adstock_after(plan, c->channel, c->period)) /* its curve has that part too */
            mpi_adstock_after_kpis(plan, ch, &per, xd, v);
        if (bid && !isnan(*bid)) {
            *bid *= c->mult;
            if (c->ceiling > 0 && *bid > c->ceiling)
                *bid = c->ceiling;
        }
    }
    v[MPI_SPEND] = x;
}

static void curve_exact_bid(const mpi_model *m, const mpi_curve *c, double x, double *v,
                            double *bid)
{
    curve_exact_ch(m, c, &m->plan->ch[c->channel], x, v, bid);
}

void mpi_curve_exact(const mpi_model *m, const mpi_curve *c, double x, double *v)
{
    curve_exact_bid(m, c, x, v, NULL);
}

void mpi_curve_exact_draw(const mpi_model *m, const mpi_curve *c, size_t d, double x, double *v)
{
    mpi_channel one;
    mpi_channel_draw(&m->plan->ch[c->channel], d, &one);
    curve_exact_ch(m, c, &one, x, v, NULL);
}

void mpi_curve_exact_n(const mpi_model *m, const mpi_curve *c, const double *x, int n, double *v)
{
    const mp_plan *plan = m->plan;
    const mpi_channel *ch = &plan->ch[c->channel];
    if (c->kind == MPI_CURVE_REACH || !ch->ops->exact_n || n > MPI_EXACT_N_MAX) {
        for (int i = 0; i < n; i++)
            curve_exact_ch(m, c, ch, x[i], v + (size_t)i * MPI_NKPI, NULL);
        return;
    }
    mpi_period per;
    plan_period(plan, c->period, &per);
    double xd[MPI_EXACT_N_MAX] = {0};
    for (int i = 0; i < n; i++)
        xd[i] = x[i] / c->mult;
    ch->ops->exact_n(ch->params, &plan->mctx, ch, &per, c->keyword, xd, n, v);
    int after = mpi_adstock_after(plan, c->channel, c->period);
    for (int i = 0; i < n; i++) { /* as curve_exact_ch does after exact */
        double *vi = v + (size_t)i * MPI_NKPI;
        if (after)
            mpi_adstock_after_kpis(plan, ch, &per, xd[i], vi);
        vi[MPI_SPEND] = x[i];
    }
}

double mpi_curve_exact_bid(const mpi_model *m, const mpi_curve *c, double x, double *v)
{
    double bid = NAN;
    curve_exact_bid(m, c, x, v, &bid);
    return bid;
}

double mpi_curve_ceiling_spend(const mpi_model *m, const mpi_curve *c)
{
    const mp_plan *plan = m->plan;
    const mpi_channel *ch = &plan->ch[c->channel];
    if (!(c->ceiling > 0) || !ch->ops->bid_spend || c->kind != MPI_CURVE_SPEND)
        return INFINITY;
    mpi_period per;
    plan_period(plan, c->period, &per);
    return c->mult *
           ch->ops->bid_spend(ch->params, &plan->mctx, ch, &per, c->keyword, c->ceiling / c->mult);
}
