/* Plans chosen for the bad draws: [plan] risk = cvar P% maximises the mean of
 * the worst share P of the draws' weight (conditional value at risk), risk =
 * worst the worst draw. After the mean plan's LP is solved and refined, for
 * aligned draws d of weights w_d the plan's outcome in draw d is
 *
 *   Y_d = sum over the uncertain curves' segments of g_ds x_s
 *         + C + sum over rate channels c of f_cd C_c
 *
 * g_ds the chord of draw d's exact curve over segment s (the breakpoints the
 * mean plan refined; each draw's curve is concave, so its chords fall under
 * the curve), C the certain channels' objective and C_c a cvr or ctr
 * range's channel's, scaled by its factor in draw d. The measure is the
 * least sum q_d Y_d over the weights q (0 <= q_d <= w_d / P, sum 1; worst:
 * one draw), maximised by cutting planes (kelley below) on the explicit LP
 * with columns t, C and C_c. A 1e-6 weight on the mean breaks ties among
 * plans of the same risk for the better mean. The plan's constraints stay
 * as written: they hold in expectation. */
#include "bound.h"
#include "report.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MEAN_TIE_WEIGHT 1e-6
#define RISK_TOL        1e-9 /* the cuts' LP's bound and the best plan's value, relative */
#define RISK_MAX_CUTS   2000
/* Rounds of breakpoints around a plan the draws chose at most, and the
 * least relative gain of its LP's value a round must bring for another:
 * the cuts' tolerance, so that the plan is the exact curves' to it and a
 * larger budget never gives less (each round halves the segments about the
 * plan's spends, and the gains fall about geometrically: some ten rounds). */
#define RISK_REFINE_ROUNDS 40
#define RISK_REFINE_GAIN   RISK_TOL
#define CERTAIN            ((long)-1)
#define UNCERTAIN          ((long)-2)

typedef struct yw {
    double y, w;
} yw;

static int by_y(const void *a, const void *b)
{
    double x = ((const yw *)a)->y, y = ((const yw *)b)->y;
    return x < y ? -1 : x > y;
}

double mpi_risk_measure(const double *y, const double *w, size_t n, int measure, double level)
{
    yw *p = mpi_calloc(n ? n : 1, sizeof *p);
    if (!p)
        return NAN;
    for (size_t d = 0; d < n; d++)
        p[d] = (yw){y[d], w[d]};
    qsort(p, n, sizeof *p, by_y);
    double v = NAN;
    if (measure == MPI_RISK_WORST) {
        for (size_t d = 0; d < n && isnan(v); d++)
            if (p[d].w > 0)
                v = p[d].y;
    } else {
        double cum = 0, sum = 0;
        for (size_t d = 0; d < n && cum < level; d++) {
            double take = fmin(p[d].w, level - cum);
            sum += take * p[d].y;
            cum += take;
        }
        v = cum > 0 ? sum / cum : NAN;
    }
    free(p);
    return v;
}

/* ---- the LP --------------------------------------------------------------- */

static mp_status nomem(void)
{
    return mpi_fail(MP_ERR_NOMEM, N_("out of memory building the risk LP"));
}

mp_status mpi_risk_put(mpi_lp *out, size_t col, double v)
{
    void *arrays[] = {out->ind, out->val};
    const size_t sizes[] = {sizeof *out->ind, sizeof *out->val};
    mp_status st = mpi_reserve_all(&out->nzcap, out->nnz + 1, 2, arrays, sizes);
    out->ind = arrays[0];
    out->val = arrays[1];
    if (st != MP_OK)
        return nomem();
    out->ind[out->nnz] = col;
    out->val[out->nnz++] = v;
    return MP_OK;
}

/* A new row of out, its entries added with put in ascending columns (the
 * solution's check looks them up by bisection), closed by close_row. */
mp_status mpi_risk_open_row(mpi_lp *out, int op, char *name)
{
    mpi_row *rows = name ? mpi_reserve(out->rows, &out->rcap, out->nrows + 1, sizeof *rows) : NULL;
    if (!rows) {
        free(name);
        return nomem();
    }
    out->rows = rows;
    mpi_row *r = &rows[out->nrows++];
    memset(r, 0, sizeof *r);
    r->kind = MPI_ROW_ORDER; /* the risk LP's own row, not the plan's */
    r->op = op;
    r->name = name;
    r->label = mpi_strdup(name);
    r->start = out->nnz;
    return r->label ? MP_OK : nomem();
}

void mpi_risk_close_row(mpi_lp *out)
{
    mpi_row *r = &out->rows[out->nrows - 1];
    r->len = out->nnz - r->start;
}

/* A new column of out of objective obj and upper bound ub. */
static mp_status add_col(mpi_lp *out, size_t *cap, double obj, double ub, size_t *j)
{
    void *arrays[] = {out->obj, out->ub};
    const size_t sizes[] = {sizeof *out->obj, sizeof *out->ub};
    mp_status st = mpi_reserve_all(cap, out->ncols + 1, 2, arrays, sizes);
    out->obj = arrays[0]; /* moved even when the other one failed */
    out->ub = arrays[1];
    if (st != MP_OK)
        return nomem();
    *j = out->ncols++;
    out->obj[*j] = obj;
    out->ub[*j] = ub;
    return MP_OK;
}

/* What the risk LP needs of the model: each column's part in the draws
 * (CERTAIN, UNCERTAIN: a draw's own chord, or the rate channel whose factor
 * scales it), the mean LP's objective, the columns it adds, and each
 * draw's chords on the uncertain columns. */
typedef struct risk_lp {
    const mpi_model *m;
    int q, measure;
    double level;
    size_t n0, nd;
    const double *w;
    long *role;   /* [n0] */
    double *obj0; /* [n0] */
    double big;   /* above any draw's outcome: the new columns' bound */
    size_t t, cert;
    size_t *fcol;      /* [nch] C_c's column, or (size_t)-1 */
    size_t nu;         /* uncertain columns */
    size_t *ucol;      /* [nu] their columns */
    double *g;         /* [nd * nu] draw d's chord on ucol[u] at g[d * nu + u] */
    double *y;         /* [nd] each draw's outcome at the last plan */
    double *qw;        /* [nd] the measure's weights on the draws at the last plan */
    double *gap;       /* [nd] what the exact curves may bring above the chords, or NULL */
    struct ydraw *ord; /* [nd] the draws by outcome */
} risk_lp;

/* Each column's role, and a bound on any draw's outcome. */
static void roles(risk_lp *k, const mpi_lp *lp)
{
    const mp_plan *plan = k->m->plan;
    for (size_t j = 0; j < k->n0; j++)
        k->role[j] = CERTAIN;
    for (size_t i = 0; i < k->m->nspend_curves; i++) {
        const mpi_curve *cv = &k->m->curves.v[i];
        const mpi_resp *r = &plan->ch[cv->channel].resp;
        long role = !r->nd                                 ? CERTAIN
                    : !r->factor                           ? UNCERTAIN
                    : r->factor_q & (1u << (unsigned)k->q) ? (long)cv->channel
                                                           : CERTAIN;
        for (int s = 0; s < cv->nseg; s++)
            k->role[cv->col + (size_t)s] = role;
        if (role == UNCERTAIN)
            k->nu += (size_t)(cv->nseg > 0 ? cv->nseg : 0);
    }
    double most = 1;
    for (size_t c = 0; c < plan->nch; c++)
        for (size_t d = 0; plan->ch[c].resp.factor && d < plan->ch[c].resp.nd; d++)
            most = fmax(most, plan->ch[c].resp.factor[d]);
    double sum = 0;
    for (size_t j = 0; j < k->n0; j++)
        sum += fabs(k->obj0[j]) * lp->ub[j];
    k->big = 100 * most * sum + 1; /* a draw's chords may well exceed the mean's */
}

/* Every draw's chords over curve cv's segments, from column u on; with
 * k->gap, what each draw's curve may rise above its chord on a segment at
 * most added to k->gap[d]: twice the midpoint's height above the chord (a
 * concave curve less its chord is concave and 0 at both ends, so its
 * middle is at least half its top). */
static void curve_chords(risk_lp *k, const mpi_curve *cv, size_t u)
{
    for (size_t d = 0; d < k->nd; d++) {
        double x = 0, v[MPI_NKPI], most = 0, mid = 0;
        mpi_curve_exact_draw(k->m, cv, d, 0, v);
        double prev = v[k->q];
        for (int s = 0; s < cv->nseg; s++) {
            double wd = mpi_curve_width(cv, s);
            if (k->gap && wd > 0) {
                mpi_curve_exact_draw(k->m, cv, d, x + wd / 2, v);
                mid = v[k->q];
            }
            x += wd;
            mpi_curve_exact_draw(k->m, cv, d, x, v);
            k->g[d * k->nu + u + (size_t)s] = wd > 0 ? (v[k->q] - prev) / wd : 0;
            if (k->gap && wd > 0)
                most = fmax(most, 2 * (mid - (prev + v[k->q]) / 2));
            prev = v[k->q];
        }
        if (k->gap)
            k->gap[d] += most;
    }
}

/* Whether every row of m is on spend alone (budget, period and channel
 * spends, shares, spend totals): then a plan of the exact curves is a plan
 * of the chords' LP (its curves filled in order), and the chords' bound
 * plus what the curves may rise above their chords bounds the exact
 * measure. A row on an outcome is on the chords, under the curves: a plan
 * of the exact curves may break it, so no bound is claimed. */
static int bound_applies(const mpi_model *m)
{
    if (m->curves.n != m->nspend_curves || mpi_plan_must_hold(m->plan))
        return 0;
    for (size_t r = 0; r < m->lp.nrows; r++) {
        const mpi_row *row = &m->lp.rows[r];
        const mpi_expr *e = row->kind == MPI_ROW_CONSTRAINT ? &m->plan->cons[row->ref].e : NULL;
        if (row->kind == MPI_ROW_REACH_LINK || row->kind == MPI_ROW_ORDER ||
            (e && e->measure != MPI_M_SHARE && !(e->measure == MPI_M_KPI && e->kpi == MPI_SPEND)))
            return 0;
    }
    return 1;
}

/* What each certain curve may rise above its chords (twice a segment's
 * midpoint height, as curve_chords), added to every draw's k->gap, a rate
 * channel's scaled by its factor in the draw. */
static void certain_gaps(risk_lp *k)
{
    const mp_plan *plan = k->m->plan;
    for (size_t i = 0; i < k->m->nspend_curves; i++) {
        const mpi_curve *cv = &k->m->curves.v[i];
        if (cv->nseg <= 0 || k->role[cv->col] == UNCERTAIN)
            continue;
        double x = 0, v[MPI_NKPI], most = 0;
        mpi_curve_exact(k->m, cv, 0, v);
        double prev = v[k->q];
        for (int s = 0; s < cv->nseg; s++) {
            double wd = mpi_curve_width(cv, s);
            if (!(wd > 0))
                continue;
            mpi_curve_exact(k->m, cv, x + wd / 2, v);
            double mid = v[k->q];
            x += wd;
            mpi_curve_exact(k->m, cv, x, v);
            most = fmax(most, 2 * (mid - (prev + v[k->q]) / 2));
            prev = v[k->q];
        }
        long c = k->role[cv->col];
        for (size_t d = 0; d < k->nd; d++)
            k->gap[d] += c >= 0 ? most * plan->ch[c].resp.factor[d] : most;
    }
}

/* The uncertain columns and each draw's chords on them. */
static mp_status all_chords(risk_lp *k)
{
    k->ucol = mpi_calloc(k->nu ? k->nu : 1, sizeof *k->ucol);
    size_t n = k->nd * k->nu;
    k->g = k->nu && k->nd > SIZE_MAX / sizeof(double) / k->nu ? NULL
                                                              : mpi_calloc(n ? n : 1, sizeof *k->g);
    if (!k->ucol || !k->g)
        return nomem();
    size_t u = 0;
    for (size_t i = 0; i < k->m->nspend_curves; i++) {
        const mpi_curve *cv = &k->m->curves.v[i];
        if (cv->nseg <= 0 || k->role[cv->col] != UNCERTAIN)
            continue;
        for (int s = 0; s < cv->nseg; s++)
            k->ucol[u + (size_t)s] = cv->col + (size_t)s;
        if (!mpi_deadline_passed()) /* else the loop is not run: mpi_solve_risk */
            curve_chords(k, cv, u);
        u += (size_t)cv->nseg;
    }
    return MP_OK;
}

/* C = sum of the certain columns' objective (c < 0), or C_c of rate channel c. */
static mp_status sum_row(const risk_lp *k, long c, size_t col, mpi_lp *out)
{
    char *name = c < 0 ? mpi_strdup("risk_certain") : mpi_aprintf("risk_rate_%ld", c);
    mp_status st = mpi_risk_open_row(out, MPI_EQ, name);
    for (size_t j = 0; st == MP_OK && j < k->n0; j++)
        if (k->role[j] == c && k->obj0[j] != 0)
            st = mpi_risk_put(out, j, -k->obj0[j]);
    if (st == MP_OK)
        st = mpi_risk_put(out, col, 1);
    if (st == MP_OK)
        mpi_risk_close_row(out);
    return st;
}

/* Each draw's outcome at plan x (k->y), on the draws' chords. */
static void outcomes_at(risk_lp *k, const double *x)
{
    const mp_plan *plan = k->m->plan;
    double cert = 0;
    for (size_t j = 0; j < k->n0; j++)
        if (k->role[j] == CERTAIN)
            cert += k->obj0[j] * x[j];
    for (size_t d = 0; d < k->nd; d++) {
        const double *g = &k->g[d * k->nu];
        double y = cert;
        for (size_t u = 0; u < k->nu; u++)
            y += g[u] * x[k->ucol[u]];
        k->y[d] = y;
    }
    for (size_t j = 0; j < k->n0; j++) {
        long c = k->role[j];
        if (c < 0 || k->obj0[j] == 0)
            continue;
        const double *f = plan->ch[c].resp.factor;
        for (size_t d = 0; d < k->nd; d++)
            k->y[d] += f[d] * k->obj0[j] * x[j];
    }
}

/* A draw's outcome, for sorting (ties in draw order: the same cuts on
 * every run). */
typedef struct ydraw {
    double y;
    size_t d;
} ydraw;

static int by_outcome(const void *a, const void *b)
{
    const ydraw *p = a, *q = b;
    if (p->y != q->y)
        return p->y < q->y ? -1 : 1;
    return (p->d > q->d) - (p->d < q->d);
}

/* The measure at the outcomes k->y and the weights it puts on the draws
 * (k->qw, sum 1): the worst share level of the weight (cvar), the worst
 * draw of positive weight (worst). The measure is the least sum q y over
 * such weights, so sum qw y_d(x) bounds it above at every plan x. */
static double measure_weights(risk_lp *k)
{
    for (size_t d = 0; d < k->nd; d++) {
        k->ord[d] = (ydraw){k->y[d], d};
        k->qw[d] = 0;
    }
    qsort(k->ord, k->nd, sizeof *k->ord, by_outcome);
    double level = k->measure == MPI_RISK_WORST ? 0 : k->level, cum = 0, v = 0;
    for (size_t i = 0; i < k->nd; i++) {
        size_t d = k->ord[i].d;
        if (!(k->w[d] > 0))
            continue;
        double take = level > 0 ? fmin(k->w[d], level - cum) / level : 1;
        k->qw[d] = take;
        v += take * k->y[d];
        cum += level > 0 ? fmin(k->w[d], level - cum) : 1;
        if (level > 0 ? cum >= level : 1)
            break;
    }
    return v;
}

/* The cut of the weights k->qw: t <= sum_d qw_d Y_d, on the chords'
 * columns, C's and each rate channel's. */
static mp_status cut_row(const risk_lp *k, size_t n, mpi_lp *out)
{
    const mp_plan *plan = k->m->plan;
    mp_status st = mpi_risk_open_row(out, MPI_GE, mpi_aprintf("risk_cut_%zu", n));
    /* the uncertain columns come first in column order: they are merged with
     * t, cert and fcol (all above n0) by keeping ucol's ascending order */
    for (size_t u = 0; st == MP_OK && u < k->nu; u++) {
        double a = 0;
        for (size_t d = 0; d < k->nd; d++)
            if (k->qw[d] != 0)
                a += k->qw[d] * k->g[d * k->nu + u];
        if (a != 0)
            st = mpi_risk_put(out, k->ucol[u], a);
    }
    if (st == MP_OK)
        st = mpi_risk_put(out, k->t, -1);
    if (st == MP_OK)
        st = mpi_risk_put(out, k->cert, 1);
    for (size_t c = 0; st == MP_OK && c < plan->nch; c++) {
        if (k->fcol[c] == (size_t)-1)
            continue;
        double a = 0;
        for (size_t d = 0; d < k->nd; d++)
            a += k->qw[d] * plan->ch[c].resp.factor[d];
        st = mpi_risk_put(out, k->fcol[c], a);
    }
    if (st == MP_OK)
        mpi_risk_close_row(out);
    return st;
}

/* The columns and rows the risk adds to the explicit LP in out: t, C, the
 * rate channels' C_c and their rows. */
static mp_status risk_columns(risk_lp *k, mpi_lp *out)
{
    const mp_plan *plan = k->m->plan;
    size_t cap = out->ncols;
    for (size_t j = 0; j < k->n0; j++)
        out->obj[j] = MEAN_TIE_WEIGHT * k->obj0[j];
    mp_status st = add_col(out, &cap, 1, k->big, &k->t);
    if (st == MP_OK)
        st = add_col(out, &cap, 0, k->big, &k->cert);
    for (size_t c = 0; st == MP_OK && c < plan->nch; c++) {
        k->fcol[c] = (size_t)-1;
        const mpi_resp *r = &plan->ch[c].resp;
        if (r->factor && r->factor_q & (1u << (unsigned)k->q))
            st = add_col(out, &cap, 0, k->big, &k->fcol[c]);
    }
    if (st == MP_OK)
        st = sum_row(k, -1, k->cert, out);
    for (size_t c = 0; st == MP_OK && c < plan->nch; c++)
        if (k->fcol[c] != (size_t)-1)
            st = sum_row(k, (long)c, k->fcol[c], out);
    return st;
}

static void risk_lp_free(risk_lp *k)
{
    free(k->role);
    free(k->obj0);
    free(k->fcol);
    free(k->ucol);
    free(k->g);
    free(k->y);
    free(k->qw);
    free(k->ord);
    free(k->gap);
}

/* The risk LP of sol's model into out, without cuts yet (k keeps what
 * the cuts and reading it back need). */
static mp_status build_risk_lp(const mp_solution *sol, risk_lp *k, mpi_lp *out)
{
    const mp_plan *plan = sol->plan;
    memset(k, 0, sizeof *k);
    k->m = &sol->model;
    k->q = plan->obj_kpi;
    k->measure = plan->risk;
    k->level = plan->risk_level;
    k->nd = mpi_plan_draws(plan);
    k->w = mpi_plan_draw_weights(plan);
    mp_status st = mpi_model_explicit(k->m, out);
    if (st != MP_OK)
        return st;
    k->n0 = out->ncols;
    size_t nd = k->nd ? k->nd : 1;
    k->role = mpi_calloc(k->n0 ? k->n0 : 1, sizeof *k->role);
    k->obj0 = mpi_calloc(k->n0 ? k->n0 : 1, sizeof *k->obj0);
    k->fcol = mpi_calloc(plan->nch ? plan->nch : 1, sizeof *k->fcol);
    k->y = mpi_calloc(nd, sizeof *k->y);
    k->qw = mpi_calloc(nd, sizeof *k->qw);
    k->ord = mpi_calloc(nd, sizeof *k->ord);
    if (!k->role || !k->obj0 || !k->fcol || !k->y || !k->qw || !k->ord)
        st = nomem();
    if (st == MP_OK) {
        memcpy(k->obj0, out->obj, k->n0 * sizeof *k->obj0);
        roles(k, out);
    }
    if (st == MP_OK && k->measure != MPI_RISK_MEAN && bound_applies(k->m) &&
        !(k->gap = mpi_calloc(nd, sizeof *k->gap)))
        st = nomem();
    if (st == MP_OK && k->measure != MPI_RISK_MEAN) /* else the rows that must hold only */
        st = all_chords(k);
    if (st == MP_OK && k->gap)
        certain_gaps(k);
    if (st == MP_OK && k->measure != MPI_RISK_MEAN)
        st = risk_columns(k, out);
    if (st != MP_OK) {
        mpi_lp_free(out);
        risk_lp_free(k);
    }
    return st;
}

/* The risk LP's plan in place of the mean plan's: its spends on the model's
 * columns, each curve filled in order (every draw's chords fall, so a
 * curve's spend moved to its first segments brings each draw as much or
 * more: the measure and a must-hold row on a KPI's floor stay met); no row
 * prices (the mean LP's kept for the bound on the mean). */
static mp_status take_plan(mp_solution *sol, const risk_lp *k, const mpi_lp_sol *rs, double value)
{
    const mpi_model *m = &sol->model;
    int in_order;
    memcpy(sol->lp.x, rs->x, m->lp.ncols * sizeof(double));
    mp_status st = mpi_refill_in_order(m, sol->lp.x, &in_order, NULL);
    if (st != MP_OK)
        return st;
    memcpy(sol->lp.row_act, rs->row_act, m->lp.nrows * sizeof(double));
    double mean = 0;
    for (size_t j = 0; j < k->n0; j++)
        mean += k->obj0[j] * rs->x[j];
    sol->lp.obj = mean;
    sol->lp.status = rs->status;
    if (!sol->relax_dual)
        sol->relax_dual = sol->lp.row_dual;
    else
        free(sol->lp.row_dual);
    sol->lp.row_dual = mpi_calloc(m->lp.nrows ? m->lp.nrows : 1, sizeof(double));
    sol->lp.mip = 1;
    if (sol->risk)
        sol->risk->lp_value = value;
    return sol->lp.row_dual ? MP_OK : mpi_nomem();
}

/* The value the loop maximises at plan x, on the chords: the measure plus
 * the mean's tie weight (risk = cvar or worst; *measure the measure), or
 * the plan's objective, the higher the better (rows that must hold only). */
static double plan_value(risk_lp *k, const double *x, double *measure)
{
    double mean = 0;
    for (size_t j = 0; j < k->n0; j++)
        mean += k->obj0[j] * x[j];
    if (k->measure == MPI_RISK_MEAN) {
        *measure = mean;
        return k->m->lp.sense * mean;
    }
    outcomes_at(k, x);
    *measure = measure_weights(k);
    return *measure + MEAN_TIE_WEIGHT * mean;
}

/* The best plan so far and the cuts' LP's last bound. */
typedef struct risk_loop {
    mpi_lp_sol best;
    double best_value, best_measure, bound;
    size_t cuts;
    int infeasible; /* no plan meets the rows that must hold in every draw */
    int kept;       /* risk = mean: the plan breaks none of them, and stays */
} risk_loop;

/* One round: the LP solved into rs, the rows the must-hold draws of its
 * plan break added (*added), and its plan kept when it meets them all and
 * is the best so far. *done when the LP has no optimum. */
static mp_status round_of(risk_lp *k, mpi_hold_lp *h, mpi_lp *lp, const mp_solve_opts *opts,
                          risk_loop *out, size_t *added, int *done)
{
    mpi_lp_sol rs;
    memset(&rs, 0, sizeof rs);
    *added = 0;
    mp_status st = mpi_glpk_solve(lp, opts, &rs);
    if (st != MP_OK || rs.status != MPI_LP_OPTIMAL) {
        out->infeasible = st == MP_OK && rs.status == MPI_LP_INFEASIBLE && h;
        if (st == MP_OK && rs.status != MPI_LP_TIME_LIMIT && !out->infeasible)
            st = mpi_fail(MP_ERR_SOLVER, N_("the risk LP has no optimum (status %d)"), rs.status);
        mpi_lp_sol_free(&rs);
        *done = 1;
        return st;
    }
    out->bound = fmin(out->bound, k->m->lp.sense * rs.obj);
    st = h ? mpi_hold_lp_cut(h, rs.x, 0, lp, added) : MP_OK;
    double measure, v = plan_value(k, rs.x, &measure);
    if (st == MP_OK && !*added && v > out->best_value) {
        mpi_lp_sol_free(&out->best);
        out->best = rs;
        out->best_value = v;
        out->best_measure = measure;
    } else
        mpi_lp_sol_free(&rs);
    return st;
}

/* Kelley's cutting planes (Kelley 1960; for CVaR, Kuenzi-Bay and Mayer,
 * "Computational aspects of minimizing conditional value-at-risk", CMS 3,
 * 2006): the measure is the least of sum q_d Y_d over the measure's
 * weights q, each Y_d linear in the plan on its chords, so each plan's
 * weights give a cut t <= sum q_d Y_d above the measure everywhere and
 * exact at that plan. The LP of the plan's rows and the cuts so far bounds
 * the best value from above; a plan's own value bounds it from below; the
 * loop ends when they meet to RISK_TOL (relative). One aggregated row a
 * cut instead of a row per draw: the LP stays as sparse as the mean plan's
 * whatever the draws, where the row per draw form (Rockafellar and
 * Uryasev) made GLPK's basis dense and unstable at 1,000 draws. The rows
 * that must hold in every draw (hold.c) join as the plans break them; a
 * plan is kept only when it breaks none. With risk = mean the loop only
 * adds those rows, from the ones the mean plan x0 breaks (none: x0 stays).
 * Again (x0 a plan of the loop, on curves refined since), the rows at
 * their bound at x0 start the loop as well, which then runs whatever x0
 * breaks: the plan it found moves to the finer chords. */
static mp_status kelley(risk_lp *k, mpi_hold_lp *h, mpi_lp *lp, const double *x0, int again,
                        const mp_solve_opts *opts, risk_loop *out)
{
    double measure;
    int risk = k->measure != MPI_RISK_MEAN, done = 0;
    size_t added = 0;
    out->best_value = -HUGE_VAL;
    out->bound = HUGE_VAL;
    mp_status st = h ? mpi_hold_lp_cut(h, x0, again, lp, &added) : MP_OK;
    out->kept = !risk && !added && !again;
    if (st != MP_OK || out->kept)
        return st;
    plan_value(k, x0, &measure);
    for (size_t it = 0; st == MP_OK && !done && it < RISK_MAX_CUTS; it++) {
        if (risk)
            st = cut_row(k, out->cuts++, lp);
        if (st == MP_OK)
            st = round_of(k, h, lp, opts, out, &added, &done);
        if (!added && out->bound - out->best_value <= RISK_TOL * fmax(1, fabs(out->bound)))
            break;
    }
    return st;
}

static double most_of(const double *v, size_t n)
{
    double m = 0;
    for (size_t i = 0; i < n; i++)
        m = fmax(m, v[i]);
    return m;
}

/* Which constraints that must hold in every draw bind in some draw at plan
 * x (sol->hold_tight), judged on the chords the LP solved. */
static mp_status hold_tight(mp_solution *sol, mpi_hold_lp *h, const double *x)
{
    if (!h)
        return MP_OK;
    free(sol->hold_tight);
    sol->hold_tight = mpi_calloc(sol->plan->ncons ? sol->plan->ncons : 1, 1);
    if (!sol->hold_tight)
        return mpi_nomem();
    mpi_hold_lp_tight(h, x, sol->hold_tight);
    return MP_OK;
}

/* mpi_solve_risk; again: on curves refined around the plan it found. */
static mp_status solve_risk(mp_solution *sol, const mp_solve_opts *opts, int again)
{
    const mp_plan *plan = sol->plan;
    int risk = plan->risk != MPI_RISK_MEAN;
    if ((!risk && !mpi_plan_must_hold(plan)) || sol->lp.status != MPI_LP_OPTIMAL)
        return MP_OK;
    if (risk && !sol->risk && !(sol->risk = mpi_calloc(1, sizeof *sol->risk)))
        return mpi_nomem();
    if (risk) {
        sol->risk->measure = plan->risk;
        sol->risk->level = plan->risk == MPI_RISK_CVAR ? plan->risk_level : 0;
        sol->risk->ndraws = mpi_plan_draws(plan);
        sol->risk->lp_value = sol->risk->lp_bound = sol->risk->bound = sol->risk->gap = NAN;
    }
    risk_lp k;
    mpi_lp lp;
    risk_loop loop;
    mpi_hold_lp *h = NULL;
    memset(&loop, 0, sizeof loop);
    mp_status st = build_risk_lp(sol, &k, &lp);
    if (st != MP_OK)
        return st;
    st = mpi_hold_lp_init(&sol->model, &lp, k.n0, &h);
    /* the time limit ran out while the draws' chords were worked out (many
     * draws): the plan stays the mean plan, and says so */
    if (st == MP_OK && !mpi_deadline_passed())
        st = kelley(&k, h, &lp, sol->lp.x, again, opts, &loop);
    if (st == MP_OK)
        st = hold_tight(sol, h, loop.best.x ? loop.best.x : sol->lp.x);
    mpi_lp_free(&lp);
    mpi_hold_lp_free(h);
    if (st == MP_OK && loop.best.x) {
        st = take_plan(sol, &k, &loop.best, loop.best_measure);
        if (risk) {
            sol->risk->lp_bound = loop.bound; /* the mean's tie weight in it is >= 0 */
            sol->risk->cuts = loop.cuts;
            sol->risk->bound = k.gap ? loop.bound + most_of(k.gap, k.nd) : NAN;
        }
    } else if (st == MP_OK && again) /* the plan found before stands, on the finer curves */
        sol->refine_stopped = mpi_deadline_passed();
    else if (st == MP_OK && loop.infeasible)
        sol->lp.status = MPI_LP_INFEASIBLE; /* no plan meets them in every draw */
    else if (st == MP_OK && !loop.kept) {   /* the time limit: the mean plan stays, and says so */
        sol->draws_stopped = 1;
        if (risk)
            sol->risk->stopped = 1;
    }
    mpi_lp_sol_free(&loop.best);
    risk_lp_free(&k);
    return st;
}

mp_status mpi_solve_risk(mp_solution *sol, const mp_solve_opts *opts)
{
    return solve_risk(sol, opts, 0);
}

/* The value on the chords of the plan the loop took, the higher the better:
 * a risk plan's measure, else the plan's objective. */
static double taken_value(const mp_solution *sol)
{
    return sol->risk ? sol->risk->lp_value : sol->model.lp.sense * sol->lp.obj;
}

mp_status mpi_solve_risk_refined(mp_solution *sol, const mp_solve_opts *opts, mpi_refine_log *log)
{
    mp_status st = mpi_solve_risk(sol, opts);
    /* a plan of the draws' loop only (a booked or fill-order plan's MIP is not) */
    if (sol->plan->risk == MPI_RISK_MEAN && !mpi_plan_must_hold(sol->plan))
        return st;
    for (int round = 0; st == MP_OK && round < RISK_REFINE_ROUNDS; round++) {
        /* a plan the loop took (not the mean plan as it was, nor the one the
         * time limit left) */
        if (sol->draws_stopped || !sol->lp.mip || sol->lp.status != MPI_LP_OPTIMAL ||
            mpi_deadline_passed())
            break;
        double before = taken_value(sol);
        size_t added = 0;
        st = mpi_refine_at_plan(sol, log, &added);
        if (st == MP_OK && added)
            st = solve_risk(sol, opts, 1);
        if (!added || !(taken_value(sol) - before > RISK_REFINE_GAIN * fabs(before)))
            break;
    }
    return st;
}

mp_status mpi_risk_report(mp_solution *sol, const mp_solution *mean_sol)
{
    if (!sol->risk)
        return MP_OK;
    const mp_plan *plan = sol->plan;
    size_t nd = mpi_plan_draws(plan);
    const double *w = mpi_plan_draw_weights(plan);
    double *y = mpi_calloc(nd ? nd : 1, sizeof *y);
    if (!y)
        return mpi_nomem();
    mpi_risk_out *r = sol->risk;
    mp_status st = mpi_draws_totals(sol, y);
    if (st == MP_OK) {
        r->value = mpi_risk_measure(y, w, nd, r->measure, plan->risk_level);
        r->gap = isfinite(r->bound) && r->bound != 0 ? (r->bound - r->value) / fabs(r->bound) : NAN;
        r->mean = 0;
        for (size_t d = 0; d < nd; d++)
            r->mean += w[d] * y[d];
        r->mean_plan_value = r->mean_plan_mean = NAN;
    }
    if (st == MP_OK && mean_sol && mean_sol->ch_kpi)
        st = mpi_draws_totals(mean_sol, y);
    if (st == MP_OK && mean_sol && mean_sol->ch_kpi) {
        r->mean_plan_value = mpi_risk_measure(y, w, nd, r->measure, plan->risk_level);
        r->mean_plan_mean = 0;
        for (size_t d = 0; d < nd; d++)
            r->mean_plan_mean += w[d] * y[d];
    }
    free(y);
    return st;
}

/* ---- in words --------------------------------------------------------------- */

/* The plan's KPI unit in lang, and the risk's numbers formatted; the
 * differences unsigned (the words say which way). */
static void risk_numbers(const mp_solution *sol, mpi_lang lang, char num[6][64])
{
    const mpi_risk_out *r = sol->risk;
    const double v[6] = {r->value,
                         r->mean_plan_value,
                         fabs(r->value - r->mean_plan_value),
                         fabs(r->mean_plan_mean - r->mean),
                         r->mean,
                         r->mean_plan_mean};
    for (int i = 0; i < 6; i++)
        mpi_fmt_num(lang, num[i], sizeof num[i], v[i], 0);
}

int mpi_risk_same(const mp_plan *plan, double a, double b)
{
    return fabs(a - b) <= plan->gap * fmax(fabs(a), fabs(b));
}

/* Line 1: what choosing the plan for the bad draws costs on average. Both
 * plans are certified within the plan's precision, so a difference inside it
 * (either way) is no difference a planner can rely on. */
static void risk_cost_text(const mp_solution *sol, mpi_lang lang, char num[6][64], const char *unit,
                           char *buf, size_t n)
{
    const mpi_risk_out *r = sol->risk;
    char gap[32];
    mpi_gap_pct_text(lang, gap, sizeof gap, sol->plan->gap);
    if (mpi_risk_same(sol->plan, r->mean, r->mean_plan_mean))
        snprintf(buf, n,
                 mpi_tr(lang, N_("  what the safety costs: no measurable difference on average "
                                 "over all the draws (%s %s against the mean-optimal plan's %s, "
                                 "within the plan's %s %% precision)")),
                 num[4], unit, num[5], gap);
    else if (r->mean > r->mean_plan_mean)
        snprintf(buf, n,
                 mpi_tr(lang, N_("  what the safety costs: nothing: this plan also brings %s %s "
                                 "more on average over all the draws (%s against the "
                                 "mean-optimal plan's %s)")),
                 num[3], unit, num[4], num[5]);
    else
        snprintf(buf, n,
                 mpi_tr(lang, N_("  what the safety costs: %s %s less on average over all the "
                                 "draws (%s against the mean-optimal plan's %s)")),
                 num[3], unit, num[4], num[5]);
}

/* Line 0's closing words: what the plan gains in the bad draws over the
 * mean-optimal plan's, "1,234 more", or none inside the plan's precision. */
static void risk_gain_words(const mp_solution *sol, mpi_lang lang, char num[6][64], char *buf,
                            size_t n)
{
    const mpi_risk_out *r = sol->risk;
    char gap[32];
    mpi_gap_pct_text(lang, gap, sizeof gap, sol->plan->gap);
    if (mpi_risk_same(sol->plan, r->value, r->mean_plan_value))
        snprintf(buf, n,
                 mpi_tr(lang, N_("no measurable difference within the plan's %s %% precision")),
                 gap);
    else
        snprintf(buf, n,
                 mpi_tr(lang, r->value > r->mean_plan_value ? N_("%s more") : N_("%s less")),
                 num[2]);
}

void mpi_risk_text(const mp_solution *sol, mpi_lang lang, int line, char *buf, size_t n)
{
    const mpi_risk_out *r = sol->risk;
    const mp_plan *plan = sol->plan;
    int q = plan->obj_kpi;
    const char *unit = q == MPI_REVENUE ? plan->currency : mpi_tr(lang, mpi_kpi_names[q]);
    char num[6][64], level[32];
    risk_numbers(sol, lang, num);
    mpi_fmt_num(lang, level, sizeof level, 100 * r->level,
                r->level * 100 == floor(r->level * 100) ? 0 : 1);
    if (r->stopped || isnan(r->mean_plan_value)) {
        const char *why =
            r->stopped        ? N_("risk: the time limit ran out before the plan for the bad "
                                          "draws was found: this plan is chosen for the average "
                                          "(allow more time: --time-limit)")
            : r->mean_stopped ? N_("risk: the time limit stopped the mean-optimal plan's own "
                                   "solve before it found a plan, so this plan has none to "
                                   "compare with (allow more time: --time-limit covers each of "
                                   "the two solves)")
                              : N_("risk: the mean-optimal plan has no plan to compare with");
        snprintf(buf, n, "%s", line ? "" : mpi_tr(lang, why));
        return;
    }
    if (line == 2) {
        char bound[64], gap[64];
        mpi_fmt_num(lang, bound, sizeof bound, r->bound, 0);
        mpi_fmt_num(lang, gap, sizeof gap, 100 * r->gap, 2);
        if (isfinite(r->gap))
            snprintf(buf, n,
                     mpi_tr(lang, N_("  certified: no plan does better than %s %s in the bad "
                                     "draws on the exact curves (this plan within %s %%)")),
                     bound, unit, gap);
        else
            *buf = '\0';
        return;
    }
    char gain[160];
    risk_gain_words(sol, lang, num, gain, sizeof gain);
    if (line == 1)
        risk_cost_text(sol, lang, num, unit, buf, n);
    else if (r->measure == MPI_RISK_WORST)
        snprintf(buf, n,
                 mpi_tr(lang, N_("risk = worst: the worst draw brings %s %s with this plan, "
                                 "%s with the mean-optimal plan (%s)")),
                 num[0], unit, num[1], gain);
    else
        snprintf(buf, n,
                 mpi_tr(lang, N_("risk = cvar %s%%: the worst %s%% of the draws bring %s %s on "
                                 "average with this plan, %s with the mean-optimal plan (%s)")),
                 level, level, num[0], unit, num[1], gain);
}
