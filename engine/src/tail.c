/* A channel's next euro in the draws a plan chosen for the bad draws weighs
 * (report.h, mpi_report_tails). Such a plan maximises the mean of its worst
 * draws (risk = cvar) or its worst draw (risk = worst), not the mean over
 * all of them: a channel whose next euro returns more on average than a
 * bought one's may still be left out because in those draws it returns
 * less. What one euro more on channel c adds to the measure is the same
 * weights' sum of each draw's return on c, the weights taken in the order a
 * euro more moves the draws into: by outcome at the plan, and among draws of
 * the same outcome (a channel left out changes none) by their return on c,
 * lowest first. */
#include "report.h"

#include <stdlib.h>
#include <string.h>

/* Outcomes closer than this (relative) are the same outcome. */
#define TAIL_TIE 1e-9

typedef struct tail_draw {
    double y, m, w; /* the plan's outcome, the channel's return, the weight */
} tail_draw;

static int by_y(const void *a, const void *b)
{
    double x = ((const tail_draw *)a)->y, y = ((const tail_draw *)b)->y;
    return x < y ? -1 : x > y;
}

static int by_m(const void *a, const void *b)
{
    double x = ((const tail_draw *)a)->m, y = ((const tail_draw *)b)->m;
    return x < y ? -1 : x > y;
}

/* The measure's weights' sum of p[].m (p reordered): cvar's the worst level
 * of the weight, worst's the worst draw's. */
static double tail_sum(tail_draw *p, size_t n, int measure, double level)
{
    qsort(p, n, sizeof *p, by_y);
    for (size_t i = 0, j; i < n; i = j) { /* ties in outcome: by return */
        for (j = i + 1; j < n && p[j].y - p[i].y <= TAIL_TIE * fabs(p[i].y); j++)
            ;
        qsort(p + i, j - i, sizeof *p, by_m);
    }
    double want = measure == MPI_RISK_WORST ? 0 : level, cum = 0, sum = 0;
    for (size_t d = 0; d < n; d++) {
        if (!(p[d].w > 0))
            continue;
        if (measure == MPI_RISK_WORST)
            return p[d].m;
        double take = fmin(p[d].w, want - cum);
        sum += take * p[d].m;
        cum += take;
        if (cum >= want)
            break;
    }
    return cum > 0 ? sum / cum : NAN;
}

/* Draw d's return on curve cv at spend x (per currency unit, KPI q): a
 * difference over a thousandth of the spend (a millionth of the curve at
 * nothing), inside [0, end]. */
static double draw_slope(const mpi_model *m, const mpi_curve *cv, size_t d, double x, double end,
                         int q)
{
    double h = 1e-3 * fmax(x, 1e-3 * end), lo = fmax(0, x - h), hi = fmin(end, x + h);
    double a[MPI_NKPI], b[MPI_NKPI];
    if (!(hi > lo))
        return NAN;
    mpi_curve_exact_draw(m, cv, d, lo, a);
    mpi_curve_exact_draw(m, cv, d, hi, b);
    return (b[q] - a[q]) / (hi - lo);
}

/* The tail's return on curve cv of a channel with draws of its own; NAN
 * at the curve's end. */
static double curve_tail(const mpi_report *r, const mpi_curve *cv, tail_draw *p, int q)
{
    const mp_solution *sol = r->sol;
    const mp_plan *plan = r->plan;
    double x = mpi_curve_spend(sol, cv), end = mpi_curve_end(cv);
    size_t nd = plan->ch[cv->channel].resp.nd;
    if (!(x < end * (1 - 1e-9)))
        return NAN;
    for (size_t d = 0; d < nd; d++)
        p[d].m = draw_slope(&sol->model, cv, d, x, end, q);
    return tail_sum(p, nd, plan->risk, plan->risk_level);
}

/* Channel c's return in the tail: its best curve's in a period whose budget
 * does not bind, else its best curve's (as its marginal return is read). */
static double channel_tail(const mpi_report *r, size_t c, const double *y, tail_draw *p, int q)
{
    const mpi_model *m = &r->sol->model;
    const mpi_resp *rs = &r->plan->ch[c].resp;
    double best[2] = {NAN, NAN}; /* open periods, all periods */
    for (size_t i = 0; i < m->nspend_curves; i++) {
        const mpi_curve *cv = &m->curves.v[i];
        if (cv->channel != (int)c)
            continue;
        for (size_t d = 0; d < rs->nd; d++)
            p[d] = (tail_draw){y[d], 0, rs->dw[d]};
        double t = curve_tail(r, cv, p, q);
        int open = !mpi_period_capped(r->sol, (size_t)cv->period);
        for (int k = open ? 0 : 1; k < 2; k++)
            if (!isnan(t) && (isnan(best[k]) || t > best[k]))
                best[k] = t;
    }
    return isnan(best[0]) ? best[1] : best[0];
}

/* Channel c's return in the tail when its draws are a rate's factor (a cvr
 * or ctr range scales its whole return) or it has none (the same in every
 * draw); NAN for a carryover channel of uncertain curves, whose next euro
 * works over the weeks after it too. */
static double scaled_tail(const mpi_report *r, size_t c, const double *y, tail_draw *p, int q)
{
    const mp_plan *plan = r->plan;
    const mpi_resp *rs = &plan->ch[c].resp;
    double m = r->ch[c].marginal;
    if (!rs->nd || isnan(m))
        return m;
    if (!rs->factor)
        return plan->ch[c].adstock > 0 ? NAN : channel_tail(r, c, y, p, q);
    int scaled = (rs->factor_q >> (unsigned)q) & 1u;
    for (size_t d = 0; d < rs->nd; d++)
        p[d] = (tail_draw){y[d], m * (scaled ? rs->factor[d] : 1), rs->dw[d]};
    return tail_sum(p, rs->nd, plan->risk, plan->risk_level);
}

/* Whether r's plan was chosen for the bad draws (not stopped before) and
 * leaves a channel out: the only use of the figures (limits.c), which cost
 * a few evaluations per draw and curve. */
static int risk_plan(const mpi_report *r)
{
    const mp_solution *sol = r->sol;
    int out = 0;
    for (size_t c = 0; c < r->nch; c++)
        out |= !(r->ch[c].spend > 1e-6 * fmax(r->plan->budget, 1));
    return out && r->solved && sol->risk && !sol->risk->stopped && sol->quant && !sol->booked &&
           sol->quant->q == r->obj.return_q && r->plan->risk != MPI_RISK_MEAN;
}

mp_status mpi_report_tails(mpi_report *r)
{
    for (size_t c = 0; c < r->nch; c++)
        r->ch[c].tail_marginal = NAN;
    if (!risk_plan(r))
        return MP_OK;
    size_t nd = mpi_plan_draws(r->plan);
    double *y = mpi_calloc(nd ? nd : 1, sizeof *y);
    tail_draw *p = mpi_calloc(nd ? nd : 1, sizeof *p);
    mp_status st = y && p ? mpi_draws_totals(r->sol, y) : mpi_nomem();
    for (size_t c = 0; st == MP_OK && c < r->nch; c++)
        r->ch[c].tail_marginal = scaled_tail(r, c, y, p, r->obj.return_q);
    free(y);
    free(p);
    return st;
}
