/* Where the grids of effective reach over several channels lie (mip.c), and
 * how they are refined.
 *
 * A grid spans each channel's impressions from none to the most the channel
 * can buy under the plan's rows (the explicit LP with that channel's
 * impressions as objective, every column continuous: no booked plan buys
 * more), not to the sum of its columns' bounds, which counts every period's
 * curve up to the whole budget: four weeks of a TV channel spanned four
 * budgets' worth, a level costing a 40th of that.
 *
 * The plan found on that grid buys at least the levels of a corner that
 * meets the floor; it pays up to a level of each channel more than the
 * floor needs. So the grid is refined: around the levels the plan buys
 * (a corner L, each channel's level a_c), a new grid of the same n levels,
 * each 1/F of the old (F = 5 for three channels, 10 for two), n / 2 of them
 * below L_c where the channel's impressions allow it, and the MIP solved
 * again with every channel buying at least the new grid's bottom. L is a
 * corner of the new grid, so each round's plan is at least as good as the
 * last's (at most as costly for min cost); after the rounds a level is
 * 1/125 (three channels) or 1/100 (two) of the first grid's. The rounds
 * search near the first grid's best corner: a cheaper plan far from it, in
 * a region the first grid's levels cannot see, is not looked for. */
#include "solution.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NONE ((size_t)-1) /* no such column (mip.c) */
/* Whole units are dealt over alike periods on plans of at most this many
 * columns: the check reads every row of the explicit LP, which for 10,000
 * keywords over 13 weeks (3.6 M columns) would cost hundreds of MB. */
#define SPREAD_COLS_MAX 500000

/* How much finer each refining round (MPI_EFF_ROUNDS) makes a level. */
#define FINER(nch) ((nch) == 2 ? 10 : 5)

/* The channels of multi-channel effective-reach constraint i: ch[0..n). */
static size_t grid_channels(const mp_plan *plan, size_t i, size_t *ch)
{
    size_t n = 0;
    for (size_t c = 0; c < plan->nch && n < 3; c++)
        if (plan->cons[i].e.in[c])
            ch[n++] = c;
    return n;
}

size_t mpi_constraint_row(const mpi_lp *lp, size_t i)
{
    for (size_t r = 0; r < lp->nrows; r++)
        if (lp->rows[r].kind == MPI_ROW_CONSTRAINT && lp->rows[r].ref == (int)i)
            return r;
    return (size_t)-1;
}

/* Channel c's impressions in row r of lp at x (NULL: each column at its
 * bound); with obj, that row of c's is lp's objective. */
static double channel_row(mpi_lp *lp, size_t r, const int *chan, int c, const double *x, int obj)
{
    const mpi_row *row = &lp->rows[r];
    double v = 0;
    for (size_t i = row->start; i < row->start + row->len; i++) {
        size_t j = lp->ind[i];
        if (chan[j] != c)
            continue;
        v += lp->val[i] * (x ? x[j] : lp->ub[j]);
        if (obj)
            lp->obj[j] += lp->val[i];
    }
    return v;
}

/* The most channel c buys in row r of lp under lp's rows (lp's objective
 * overwritten); the sum of its columns' bounds when the LP finds no plan. */
static mp_status channel_most(mpi_lp *lp, const mp_solve_opts *opts, size_t r, const int *chan,
                              int c, double *most)
{
    memset(lp->obj, 0, lp->ncols * sizeof *lp->obj);
    lp->sense = 1;
    *most = channel_row(lp, r, chan, c, NULL, 1);
    mpi_lp_sol ms;
    memset(&ms, 0, sizeof ms);
    mp_status st = mpi_glpk_solve(lp, opts, &ms);
    if (st == MP_OK && ms.status == MPI_LP_OPTIMAL && ms.obj >= 0)
        *most = fmin(*most, ms.obj);
    mpi_lp_sol_free(&ms);
    return st;
}

int *mpi_column_channels(const mpi_model *m)
{
    int *chan = mpi_malloc((m->lp.ncols ? m->lp.ncols : 1) * sizeof *chan);
    for (size_t i = 0; chan && i < m->curves.n; i++)
        for (int s = 0; s < m->curves.v[i].nseg; s++)
            chan[m->curves.v[i].col + (size_t)s] = m->curves.v[i].channel;
    return chan;
}

/* Every grid's box from none to the most its channel buys (wide: to the
 * sum of its columns' bounds, what it buys with every row but the grid's
 * bent). */
static mp_status first_boxes(const mp_plan *plan, const mp_solve_opts *opts, mpi_lp *lp,
                             const int *chan, int wide, double *box)
{
    mp_status st = MP_OK;
    for (size_t i = 0; st == MP_OK && i < plan->ncons; i++) {
        size_t ch[3], n = plan->cons[i].e.eff_multi ? grid_channels(plan, i, ch) : 0;
        size_t r = n ? mpi_constraint_row(lp, i) : (size_t)-1;
        for (size_t q = 0; st == MP_OK && r != (size_t)-1 && q < n; q++) {
            double *b = box + 6 * i + 2 * q;
            b[0] = 0;
            if (wide)
                b[1] = channel_row(lp, r, chan, (int)ch[q], NULL, 0);
            else
                st = channel_most(lp, opts, r, chan, (int)ch[q], &b[1]);
        }
    }
    return st;
}

/* mpi_eff_boxes's, or mpi_eff_wide_boxes's (wide). */
static mp_status boxes(const mpi_model *m, const mp_solve_opts *opts, int wide, double **box)
{
    const mp_plan *plan = m->plan;
    *box = NULL;
    if (!mpi_plan_eff_grid(plan))
        return MP_OK;
    mpi_lp lp;
    mp_status st = mpi_model_explicit(m, &lp);
    if (st != MP_OK)
        return st;
    int *chan = mpi_column_channels(m);
    *box = mpi_calloc(6 * plan->ncons, sizeof **box);
    st = chan && *box ? first_boxes(plan, opts, &lp, chan, wide, *box) : mpi_nomem();
    free(chan);
    mpi_lp_free(&lp);
    if (st != MP_OK) {
        free(*box);
        *box = NULL;
    }
    return st;
}

mp_status mpi_eff_boxes(const mpi_model *m, const mp_solve_opts *opts, double **box)
{
    return boxes(m, opts, 0, box);
}

mp_status mpi_eff_wide_boxes(const mpi_model *m, double **box)
{
    return boxes(m, NULL, 1, box);
}

/* One box finer around impressions v: the level of the box at or below v,
 * n / 2 new levels (each 1/f of the old) below it where there is room. */
static void narrow(double *box, int n, int f, double v)
{
    double lo = box[0], h = (box[1] - lo) / n;
    if (!(h > 0))
        return;
    double a = fmin(n, fmax(0, floor((v - lo) / h + 1e-9)));
    double level = lo + a * h, nh = h / f;
    double below = fmin(n / 2, floor(level / nh + 1e-9));
    box[0] = fmax(0, level - below * nh);
    box[1] = box[0] + n * nh;
}

/* Every grid's box narrowed around the plan x buys. */
static void narrow_all(const mpi_model *m, mpi_lp *lp, const int *chan, const double *x,
                       double *box)
{
    const mp_plan *plan = m->plan;
    for (size_t i = 0; i < plan->ncons; i++) {
        size_t ch[3], n = plan->cons[i].e.eff_multi ? grid_channels(plan, i, ch) : 0;
        size_t r = n ? mpi_constraint_row(lp, i) : (size_t)-1;
        for (size_t q = 0; r != (size_t)-1 && q < n; q++)
            narrow(box + 6 * i + 2 * q, mpi_effective_grid_levels(n), FINER(n),
                   channel_row(lp, r, chan, (int)ch[q], x, 0));
    }
}

double mpi_eff_box_top(const mp_plan *plan, size_t i, const double *box)
{
    size_t ch[3], n = grid_channels(plan, i, ch);
    double imp[3];
    for (size_t q = 0; q < n; q++)
        imp[q] = box[6 * i + 2 * q + 1];
    return mpi_effective_together(plan, ch, n, plan->cons[i].e.eff_k, imp);
}

mp_status mpi_eff_narrow(const mpi_model *m, const double *x, double *box)
{
    mpi_lp lp;
    mp_status st = mpi_model_explicit(m, &lp);
    if (st != MP_OK)
        return st;
    int *chan = mpi_column_channels(m);
    if (chan)
        narrow_all(m, &lp, chan, x, box);
    free(chan);
    mpi_lp_free(&lp);
    return chan ? MP_OK : mpi_nomem();
}

mp_status mpi_eff_solve(mp_solution *sol, const mp_solve_opts *opts, const double *box,
                        size_t *cols, mpi_lp_sol *ms)
{
    mpi_lp mip;
    sol->model.eff_box = box;
    mp_status st = mpi_model_booked(&sol->model, cols, &mip);
    sol->model.eff_box = NULL;
    if (st == MP_OK) {
        st = mpi_glpk_solve(&mip, opts, ms);
        mpi_lp_free(&mip);
    }
    return st;
}

/* Whether b is a plan at least as good as a's (sense: +1 maximise). */
static int no_worse(const mpi_lp_sol *a, const mpi_lp_sol *b, int sense)
{
    double tol = 1e-9 * fmax(1, fabs(a->obj));
    return b->status == MPI_LP_OPTIMAL && !mpi_lp_sol_pointless(b) &&
           sense * (b->obj - a->obj) >= -tol;
}

/* ---- spreading a channel over the periods where that changes nothing ---- */

/* Whether curves a and b are alike: the same segments, widths and yields. */
static int curves_alike(const mpi_curve *a, const mpi_curve *b)
{
    if (a->nseg != b->nseg)
        return 0;
    for (int s = 0; s < a->nseg; s++) {
        if (mpi_curve_width(a, s) != mpi_curve_width(b, s))
            return 0;
        for (int q = 0; q < MPI_NKPI; q++)
            if (mpi_curve_yield(a, s, q) != mpi_curve_yield(b, s, q))
                return 0;
    }
    return 1;
}

/* Channel c's curves [*lo, *lo + periods) when it has one a period, all
 * alike; else 0. */
static int alike_periods(const mpi_model *m, int c, size_t *lo)
{
    size_t n = 0;
    *lo = m->nspend_curves;
    for (size_t i = 0; i < m->nspend_curves; i++)
        if (m->curves.v[i].channel == c && n++ == 0)
            *lo = i;
    if (n != (size_t)m->plan->periods || n < 2)
        return 0;
    for (size_t i = *lo + 1; i < *lo + n; i++)
        if (m->curves.v[i].period != m->curves.v[i - 1].period + 1 ||
            !curves_alike(&m->curves.v[*lo], &m->curves.v[i]))
            return 0;
    return 1;
}

/* Channel c's alike curves (alike_periods) when it has no booking of its own. */
static int spreadable(const mpi_model *m, int c, size_t *lo)
{
    return !mpi_channel_booked(&m->plan->ch[c]) && alike_periods(m, c, lo);
}

/* Channel c's curve i filled in order with money, 0 left over; else 0. */
static int fill_curve(const mpi_model *m, size_t i, double money, double *x)
{
    const mpi_curve *cv = &m->curves.v[i];
    for (int s = 0; s < cv->nseg; s++) {
        double w = fmin(money, mpi_curve_width(cv, s));
        x[cv->col + (size_t)s] = w;
        money -= w;
    }
    return money <= 1e-9 * (1 + mpi_curve_width(cv, cv->nseg - 1));
}

/* Channel c's money spread evenly over its periods' alike curves, each
 * filled in order. */
static void spread_channel(const mpi_model *m, size_t lo, double *x)
{
    size_t np = (size_t)m->plan->periods;
    double total = 0;
    for (size_t i = lo; i < lo + np; i++)
        for (int s = 0; s < m->curves.v[i].nseg; s++)
            total += x[m->curves.v[i].col + (size_t)s];
    for (size_t i = lo; i < lo + np; i++)
        fill_curve(m, i, total / (double)np, x);
}

/* Whether x meets every row of lp and its objective is no worse than was. */
static int holds(const mpi_lp *lp, const double *x, double was)
{
    double obj = 0;
    for (size_t j = 0; j < lp->ncols; j++)
        obj += lp->obj[j] * x[j];
    if (lp->sense * (obj - was) < -1e-9 * (1 + fabs(was)))
        return 0;
    for (size_t r = 0; r < lp->nrows; r++) {
        const mpi_row *row = &lp->rows[r];
        double act = 0, size = fabs(row->rhs);
        for (size_t i = row->start; i < row->start + row->len; i++) {
            act += lp->val[i] * x[lp->ind[i]];
            size += fabs(lp->val[i] * x[lp->ind[i]]);
        }
        double tol = 1e-9 * (1 + size);
        if ((row->op != MPI_GE && act > row->rhs + tol) ||
            (row->op != MPI_LE && act < row->rhs - tol))
            return 0;
    }
    return 1;
}

/* The plan's effective-reach channels whose weeks are a tie (one price, one
 * weight, no booking: the grid counts their impressions over the campaign)
 * spread evenly over the periods, where every row of the plan still holds
 * and the objective is no worse (the evened spends of a concave curve bring
 * at least as much); each channel's impressions are kept, so the grid's
 * corner still holds. Else the MIP's spends, which may put a channel's
 * whole campaign in one week. */
static mp_status spread_ties(const mpi_model *m, const mpi_lp *explicit_lp, double *x)
{
    const mp_plan *plan = m->plan;
    size_t nc = explicit_lp->ncols;
    double *was = mpi_malloc((nc ? nc : 1) * sizeof *was);
    if (!was)
        return mpi_nomem();
    double obj = 0;
    for (size_t j = 0; j < nc; j++)
        obj += explicit_lp->obj[j] * x[j];
    for (size_t c = 0; c < plan->nch; c++) {
        size_t lo;
        if (!plan->ch[c].ops->reach || !spreadable(m, (int)c, &lo))
            continue;
        memcpy(was, x, nc * sizeof *was);
        spread_channel(m, lo, x);
        if (!holds(explicit_lp, x, obj))
            memcpy(x, was, nc * sizeof *was);
    }
    free(was);
    return MP_OK;
}

/* How many of extra units over np periods fall in the first t, dealt a
 * period apart and centred: 1 of 12 in week 6, 4 in weeks 2, 5, 8 and 11. */
static long cum_extra(long t, long extra, long np)
{
    return (2 * t * extra + np) / (2 * np);
}

/* Channel c's whole units of one price every period (no flight keys, no
 * carryover) over its alike curves from lo, their count in period t at
 * xu[k[3 t + 1]] (mip.c's columns: z, n, s a period): into n[0..periods) the
 * same count dealt evenly, the extra units a few periods apart (cum_extra),
 * *price the unit's; 0 when the channel is
 * no such tie or already dealt so. */
static int units_dealt(const mpi_model *m, int c, const size_t *k, const double *xu, double *n,
                       double *price)
{
    const mpi_channel *ch = &m->plan->ch[c];
    size_t np = (size_t)m->plan->periods, lo;
    double floor_cur, p;
    if (!mpi_booked_units(ch) || mpi_booked_onoff(ch) || ch->adstock > 0 ||
        !alike_periods(m, c, &lo))
        return 0;
    mpi_booked_need(m, c, 0, &floor_cur, price);
    long total = 0;
    for (size_t t = 0; t < np; t++) {
        mpi_booked_need(m, c, (int)t, &floor_cur, &p);
        if (p != *price || !(p > 0) || k[3 * t + 1] == NONE)
            return 0;
        total += lround(xu[k[3 * t + 1]]);
    }
    long base = total / (long)np, extra = total % (long)np;
    int moved = 0;
    for (size_t t = 0; t < np; t++) {
        n[t] = (double)(base + cum_extra((long)t + 1, extra, (long)np) -
                        cum_extra((long)t, extra, (long)np));
        moved |= lround(xu[k[3 * t + 1]]) != (long)n[t];
    }
    return moved;
}

/* Channel c's units dealt (n, units_dealt) into xu and its curves from lo
 * filled with their money in xm; 0 when a curve cannot hold it. */
static int deal_units(const mpi_model *m, int c, const size_t *k, const double *n, double price,
                      double *xu, double *xm)
{
    size_t lo;
    alike_periods(m, c, &lo);
    for (size_t t = 0; t < (size_t)m->plan->periods; t++) {
        xu[k[3 * t + 1]] = n[t];
        if (!fill_curve(m, lo + t, n[t] * price, xm))
            return 0;
    }
    return 1;
}

/* Whether a channel of the plan is a tie units_dealt would deal. */
static int any_dealt(const mpi_model *m, const size_t *cols, const double *xu, double *n)
{
    double price;
    size_t np = (size_t)m->plan->periods;
    for (size_t c = 0; c < m->plan->nch; c++)
        if (units_dealt(m, (int)c, cols + 3 * c * np, xu, n, &price))
            return 1;
    return 0;
}

mp_status mpi_units_spread(mp_solution *sol, const size_t *cols, mpi_lp_sol *ms, double *xm)
{
    const mpi_model *m = &sol->model;
    size_t np = (size_t)sol->plan->periods;
    double *n = mpi_malloc(2 * np * sizeof *n + 1), price, obj = 0;
    if (!n)
        return mpi_nomem();
    mpi_lp lp;
    mp_status st = MP_OK;
    if (ms->status != MPI_LP_OPTIMAL || mpi_lp_sol_pointless(ms) || m->lp.ncols > SPREAD_COLS_MAX ||
        !any_dealt(m, cols, ms->x, n) || (st = mpi_model_explicit(m, &lp)) != MP_OK) {
        free(n);
        return st;
    }
    double *was = mpi_malloc(lp.ncols * sizeof *was + 1);
    for (size_t j = 0; j < lp.ncols; j++)
        obj += lp.obj[j] * xm[j];
    for (size_t c = 0; was && c < sol->plan->nch; c++) {
        const size_t *k = cols + 3 * c * np;
        if (!units_dealt(m, (int)c, k, ms->x, n, &price))
            continue;
        memcpy(was, xm, lp.ncols * sizeof *was);
        for (size_t t = 0; t < np; t++)
            n[np + t] = ms->x[k[3 * t + 1]];
        if (!deal_units(m, (int)c, k, n, price, ms->x, xm) || !holds(&lp, xm, obj)) {
            memcpy(xm, was, lp.ncols * sizeof *was); /* no tie after all: as found */
            for (size_t t = 0; t < np; t++)
                ms->x[k[3 * t + 1]] = n[np + t];
        }
    }
    st = was ? MP_OK : mpi_nomem();
    free(was);
    free(n);
    mpi_lp_free(&lp);
    return st;
}

mp_status mpi_eff_refine(mp_solution *sol, const mp_solve_opts *opts, double *box, size_t *cols,
                         mpi_lp_sol *ms)
{
    if (!box || ms->status != MPI_LP_OPTIMAL || mpi_lp_sol_pointless(ms))
        return MP_OK;
    mpi_lp lp;
    mp_status st = mpi_model_explicit(&sol->model, &lp);
    if (st != MP_OK)
        return st;
    int *chan = mpi_column_channels(&sol->model);
    st = chan ? MP_OK : mpi_nomem();
    for (int k = 0; st == MP_OK && k < MPI_EFF_ROUNDS; k++) {
        mpi_lp_sol next;
        memset(&next, 0, sizeof next);
        narrow_all(&sol->model, &lp, chan, ms->x, box);
        st = mpi_eff_solve(sol, opts, box, cols, &next);
        int better = st == MP_OK && no_worse(ms, &next, sol->model.lp.sense);
        if (better) {
            next.mip_nodes += ms->mip_nodes;
            mpi_lp_sol_free(ms);
            *ms = next;
        } else
            mpi_lp_sol_free(&next);
        if (!better)
            break;
    }
    free(chan);
    mpi_lp_free(&lp);
    return st;
}

mp_status mpi_eff_spread(mp_solution *sol, mpi_lp_sol *ms)
{
    if (!mpi_plan_eff_grid(sol->plan) || ms->status != MPI_LP_OPTIMAL || mpi_lp_sol_pointless(ms))
        return MP_OK;
    mpi_lp lp;
    mp_status st = mpi_model_explicit(&sol->model, &lp);
    if (st == MP_OK) {
        st = spread_ties(&sol->model, &lp, ms->x);
        mpi_lp_free(&lp);
    }
    return st;
}
