/* Ranging: for each binding row, the interval of its bound over which its
 * shadow price holds. In this concave model a row's price drifts with the
 * curves' slopes as its bound moves (a step at each breakpoint of the LP's
 * chords); what a planner can rely on is the interval over which the same
 * rows bind (the active set): the plan keeps its shape and the price its
 * meaning. It is found by re-solving with the bound moved (the curves stay
 * as built; only the row changes), each solve started from the row prices of
 * the last optimum (the final plan's at first), stepping out until the set
 * of binding rows changes, then bisecting to MPI_RANGE_TOL of the bound. Only
 * re-solves are used, which every LP core offers; a row gets at most
 * MPI_RANGE_SOLVES of them. */
#include "bound.h"
#include "report.h"

#include <stdlib.h>
#include <string.h>

#define MPI_RANGE_TOL      0.005 /* an end is placed within this share of the bound */
#define MPI_RANGE_STEP     0.05  /* the first step out, as a share of the bound */
#define MPI_RANGE_DOUBLES  8     /* steps out double up to 2^8 x the first (12.8 x the bound) */
#define MPI_RANGE_SOLVES   48    /* re-solves a row at most */
#define MPI_RANGE_MAX_ROWS 64    /* binding rows ranged at most; the others get none */
/* The work of ranging one plan at most, in columns x re-solves: a row is
 * ranged only while what is left covers MPI_RANGE_SOLVES re-solves of the
 * LP. The spring example (15k columns, two rows) takes 0.5 M; an LP of more
 * than 80k columns gets no ranges (a 20k-keyword plan, 580k columns, would
 * take about 45 s). */
#define MPI_RANGE_WORK 4e6

enum { SAME, CHANGED };

typedef struct ranger {
    mp_solution *sol;
    const mp_solve_opts *opts;
    mpi_lp lp;           /* the model's explicit LP, whose rows the probes move */
    mpi_scenario sc;     /* the bound of a constraint whose coefficients carry it */
    unsigned char *base; /* [nrows] the rows binding at the optimum */
    unsigned char *set;  /* [nrows] the rows binding at the last re-solve */
    double *val;         /* the moved row's coefficients as built */
    double *pi;     /* [nrows] row prices of the last optimum: the final one's at first, then the
                       last re-solve's, nearer the next (fewer full solves) */
    size_t solves;  /* re-solves of the current row */
    double *x;      /* [ncols] the spends of the last re-solve */
    double *past_x; /* [ncols] those of the last re-solve past the end */
} ranger;

/* Rows that take part in the active set: reach links always hold, fill-order
 * rows are not the planner's. */
static int counted(const mpi_row *row)
{
    return !mpi_row_internal(row->kind) && row->kind != MPI_ROW_ORDER;
}

/* A reach curve's columns cost nothing when its reach row is slack, so the
 * LP may fill them in any order and its row activity then falls short of
 * the reach the spends give. Refilled in segment order (same total, so the
 * links hold), the reach curves' columns give the row its exact piecewise
 * value: binding is judged on that. */
static void refill_reach(const mpi_model *m, double *x)
{
    for (size_t i = m->nspend_curves; i < m->curves.n; i++) {
        const mpi_curve *c = &m->curves.v[i];
        mpi_refill_curve(c, x + c->col, x + c->col);
    }
}

static void binding_set(const mpi_lp *lp, const double *x, unsigned char *set)
{
    for (size_t r = 0; r < lp->nrows; r++) {
        double scale, act = mpi_row_activity(lp, r, x, &scale);
        set[r] = counted(&lp->rows[r]) && fabs(act - lp->rows[r].rhs) <= 1e-6 * (1 + scale);
    }
}

/* The curve holding column j, walking on from curve ci (columns come in
 * ascending order within a row). */
static size_t next_curve(const mpi_model *m, size_t ci, size_t j)
{
    while (ci + 1 < m->curves.n && m->curves.v[ci + 1].col <= j)
        ci++;
    return ci;
}

/* Does the row carry its bound in its coefficients (share, CPA, ROAS)? */
static int coef_bound(const mp_plan *plan, const mpi_row *row)
{
    return row->kind == MPI_ROW_CONSTRAINT && plan->cons[row->ref].e.measure != MPI_M_KPI;
}

/* Row r of the solution's LP with its bound at v instead of b: the
 * right-hand side moved by v - b, or for a share, CPA or ROAS row its
 * coefficients rebuilt at v (its right-hand side keeps what exact_rows.c
 * moved it by). g->val holds the coefficients to put back. */
static void move_bound(ranger *g, size_t r, double b, double v)
{
    const mpi_model *m = &g->sol->model;
    mpi_row *row = &g->lp.rows[r];
    if (!coef_bound(g->sol->plan, row)) {
        const mp_plan *plan = g->sol->plan;
        if (row->kind == MPI_ROW_CONSTRAINT) { /* a reach row's log form moves as its own */
            const mpi_expr *e = &plan->cons[row->ref].e;
            row->rhs += mpi_expr_rhs(plan, e, v) - mpi_expr_rhs(plan, e, b);
        } else {
            row->rhs += v - b;
        }
        return;
    }
    g->sc.bound[row->ref] = v;
    double a[MPI_NKPI + 1], y[MPI_NKPI];
    size_t last = (size_t)-1, ci = 0;
    for (size_t k = row->start; k < row->start + row->len; k++) {
        size_t j = g->lp.ind[k];
        ci = next_curve(m, ci, j);
        const mpi_curve *c = &m->curves.v[ci];
        if (ci != last)
            mpi_row_terms(m, &g->sc, r, c, a);
        last = ci;
        mpi_curve_yields(c, (int)(j - c->col), y);
        double coef = a[MPI_NKPI];
        for (int q = 0; q < MPI_NKPI; q++)
            coef += a[q] * y[q];
        g->lp.val[k] = coef;
    }
}

static void restore_bound(ranger *g, size_t r, double rhs)
{
    mpi_row *row = &g->lp.rows[r];
    row->rhs = rhs;
    if (coef_bound(g->sol->plan, row)) {
        memcpy(g->lp.val + row->start, g->val, row->len * sizeof(double));
        g->sc.bound[row->ref] = NAN;
    }
}

/* Solve the LP as it stands, near the optimum's prices; *ok is 0 when it
 * has no optimum, else the binding rows are in g->set. */
static mp_status solve_set(ranger *g, int *ok)
{
    const mpi_lp *lp = &g->lp;
    mpi_lp_sol s;
    int fallback = 1;
    mp_status st = mpi_lp_solve_near(lp, g->pi, g->opts, &s, &fallback);
    if (st == MP_OK && fallback) {
        mpi_lp_sol_free(&s);
        st = mpi_glpk_solve(lp, g->opts, &s);
    }
    g->solves++;
    *ok = st == MP_OK && s.status == MPI_LP_OPTIMAL;
    if (*ok) {
        memcpy(g->x, s.x, lp->ncols * sizeof(double));
        refill_reach(&g->sol->model, g->x);
        binding_set(lp, g->x, g->set);
    }
    if (*ok && !s.mip)
        memcpy(g->pi, s.row_dual, lp->nrows * sizeof(double));
    mpi_lp_sol_free(&s);
    return st;
}

/* Re-solve with row r's bound at v (b as solved): SAME when the same rows
 * bind, else CHANGED, with what changed in *why and *who. */
static mp_status probe(ranger *g, size_t r, double b, double v, int *out, int *why, long *who)
{
    double rhs = g->lp.rows[r].rhs;
    int ok = 0;
    move_bound(g, r, b, v);
    mp_status st = solve_set(g, &ok);
    restore_bound(g, r, rhs);
    *out = SAME;
    if (st != MP_OK || !ok) {
        *out = CHANGED;
        *why = MPI_END_INFEASIBLE; /* or no optimum: the search stops there */
        *who = -1;
        return st;
    }
    const mpi_lp *lp = &g->sol->model.lp;
    long binds = -1, releases = -1;
    for (size_t i = 0; i < lp->nrows; i++) {
        if (g->set[i] && !g->base[i] && binds < 0)
            binds = (long)i;
        if (!g->set[i] && g->base[i] && i != r && releases < 0)
            releases = (long)i;
    }
    if (binds >= 0 || releases >= 0 || !g->set[r])
        *out = CHANGED;
    /* another row taking over says more than the row letting go */
    *why = binds >= 0      ? (g->set[r] ? MPI_END_BINDS : MPI_END_TAKES_OVER)
           : !g->set[r]    ? MPI_END_UNBINDS
           : releases >= 0 ? MPI_END_RELEASES
                           : MPI_END_NONE;
    *who = binds >= 0 ? binds : !g->set[r] ? -1 : releases;
    return MP_OK;
}

/* The bound's own limits, in the row's terms. */
static double bound_limit(const mp_solution *sol, const mpi_row *row, int dir)
{
    if (dir < 0)
        return 0;
    int share =
        row->kind == MPI_ROW_CONSTRAINT && sol->plan->cons[row->ref].e.measure == MPI_M_SHARE;
    return share ? 1 : INFINITY;
}

/* Where the curves row r counts stand at the spends x: how many have
 * something to buy, how many are bought to their end and of those how many
 * are cut by a bid ceiling (the highest in *ceiling); the one channel and
 * keyword group they belong to (-1: several). */
typedef struct row_curves {
    size_t n, at_end, at_ceiling;
    double ceiling;
    int channel, group;
} row_curves;

static void row_curves_at(const mpi_model *m, const mpi_lp *lp, size_t r, const double *x,
                          row_curves *rc)
{
    const mpi_row *row = &lp->rows[r];
    size_t last = (size_t)-1, ci = 0;
    memset(rc, 0, sizeof *rc);
    rc->channel = rc->group = -2; /* none seen yet */
    for (size_t k = row->start; k < row->start + row->len; k++) {
        ci = next_curve(m, ci, lp->ind[k]);
        const mpi_curve *cv = &m->curves.v[ci];
        double end = mpi_curve_end(cv), spent = 0;
        if (ci == last || ci >= m->nspend_curves || !(end > 0))
            continue;
        last = ci;
        for (int s = 0; s < cv->nseg; s++)
            spent += x[cv->col + (size_t)s];
        rc->n++;
        rc->channel = rc->channel == -2 || rc->channel == cv->channel ? cv->channel : -1;
        rc->group = rc->group == -2 || rc->group == cv->group ? cv->group : -1;
        if (spent < end * (1 - 1e-6))
            continue;
        rc->at_end++;
        if (cv->ceiling > 0 && mpi_curve_ceiling_spend(m, cv) <= end * (1 + 1e-6)) {
            rc->at_ceiling++;
            rc->ceiling = fmax(rc->ceiling, cv->ceiling);
        }
    }
}

/* A row that stops binding because the one channel it counts can take no
 * more (every curve it counts bought to its end just past the range's end,
 * or its max_spend taking over): say which limit stops the channel, its
 * max_spend, its bid ceiling or the end of its curves ("it stops binding"
 * would hide why). */
static void name_full_channel(const mp_solution *sol, const mpi_lp *lp, size_t r, const double *x,
                              mpi_range *rg, int side)
{
    const mpi_model *m = &sol->model;
    if (m->lp.rows[r].kind != MPI_ROW_CONSTRAINT)
        return; /* a channel's own rows, budgets: their curves are built to them */
    row_curves rc;
    row_curves_at(m, lp, r, x, &rc);
    long who = rg->row[side];
    int own_cap = rg->why[side] == MPI_END_TAKES_OVER && rc.channel >= 0 &&
                  m->lp.rows[who].kind == MPI_ROW_MAX && m->lp.rows[who].ref == rc.channel;
    int takes_over = rg->why[side] == MPI_END_TAKES_OVER; /* another row's: named as it is */
    if (rc.n == 0 || rc.channel < 0 || (takes_over ? !own_cap : rc.at_end < rc.n))
        return;
    const mpi_channel *ch = &sol->plan->ch[rc.channel];
    double spent = 0; /* the channel's whole spend, against its max_spend */
    for (size_t i = 0; i < m->nspend_curves; i++) {
        const mpi_curve *cv = &m->curves.v[i];
        for (int s = 0; cv->channel == rc.channel && s < cv->nseg; s++)
            spent += x[cv->col + (size_t)s];
    }
    /* curves are built up to the budget: one that takes all of it has
     * reached the budget, not an end of its own */
    int at_cap = own_cap || (!isnan(ch->max_spend) && spent >= ch->max_spend * (1 - 1e-6));
    if (!at_cap && rc.at_ceiling < rc.n && spent >= sol->plan->budget * (1 - 1e-6))
        return;
    const mpi_expr *e = &sol->plan->cons[m->lp.rows[r].ref].e;
    rg->why[side] = at_cap                  ? MPI_END_CHANNEL_CAP
                    : rc.at_ceiling == rc.n ? MPI_END_BID_CEILING
                                            : MPI_END_CURVE_END;
    rg->row[side] = rc.channel;
    rg->ceiling[side] = rc.ceiling;
    rg->group[side] = rc.group >= 0 && !mpi_expr_has(e, rc.channel, -1) ? rc.group : -1;
}

/* Step out from b in direction dir until the binding rows change (then
 * bisect) or the bound's limit or the last step is reached. */
static mp_status search_side(ranger *g, size_t r, double b, int dir, mpi_range *rg)
{
    int side = dir > 0, out = SAME, why = MPI_END_NONE;
    long who = -1;
    double lim = bound_limit(g->sol, &g->sol->model.lp.rows[r], dir);
    double step = b != 0 ? MPI_RANGE_STEP * fabs(b) : 1,
           tol = MPI_RANGE_TOL * step / MPI_RANGE_STEP;
    double in = b, past = NAN;
    mp_status st = MP_OK;
    rg->why[side] = MPI_END_OPEN;
    rg->end[side] = NAN;
    for (int k = 0; st == MP_OK && k <= MPI_RANGE_DOUBLES && isnan(past); k++) {
        double p = b + dir * step * ldexp(1, k);
        p = dir > 0 ? fmin(p, lim) : fmax(p, lim);
        if (p == in)
            break;
        st = probe(g, r, b, p, &out, &why, &who);
        if (out == SAME) {
            in = p;
        } else {
            past = p;
            memcpy(g->past_x, g->x, g->sol->model.lp.ncols * sizeof(double));
        }
    }
    if (st != MP_OK || (isnan(past) && in != lim))
        return st; /* no end found: open */
    if (isnan(past)) {
        rg->end[side] = lim;
        rg->why[side] = MPI_END_LIMIT;
        return MP_OK;
    }
    int why_past = why;
    long who_past = who;
    while (st == MP_OK && fabs(past - in) > tol && g->solves < MPI_RANGE_SOLVES) {
        double mid = 0.5 * (in + past);
        st = probe(g, r, b, mid, &out, &why, &who);
        if (out == SAME) {
            in = mid;
        } else {
            past = mid;
            why_past = why;
            who_past = who;
            memcpy(g->past_x, g->x, g->sol->model.lp.ncols * sizeof(double));
        }
    }
    rg->end[side] = 0.5 * (in + past);
    rg->why[side] = why_past;
    rg->row[side] = who_past;
    if (why_past == MPI_END_UNBINDS || why_past == MPI_END_TAKES_OVER)
        name_full_channel(g->sol, &g->lp, r, g->past_x, rg, side);
    return st;
}

static mp_status range_row(ranger *g, size_t r)
{
    mpi_row_result *res = &g->sol->rows[r];
    mpi_range *rg = &res->range;
    double b = res->bound;
    if (coef_bound(g->sol->plan, &g->lp.rows[r])) {
        const mpi_row *row = &g->lp.rows[r];
        memcpy(g->val, g->lp.val + row->start, row->len * sizeof(double));
    }
    g->solves = 0;
    mp_status st = search_side(g, r, b, -1, rg);
    if (st == MP_OK)
        st = search_side(g, r, b, +1, rg);
    return st;
}

static void ranger_free(ranger *g)
{
    mpi_lp_free(&g->lp);
    mpi_scenario_free(&g->sc);
    free(g->base);
    free(g->set);
    free(g->val);
    free(g->pi);
    free(g->x);
    free(g->past_x);
}

static mp_status ranger_init(ranger *g, mp_solution *sol, const mp_solve_opts *opts)
{
    memset(g, 0, sizeof *g);
    g->sol = sol;
    g->opts = opts;
    mp_status st = mpi_model_explicit(&sol->model, &g->lp);
    if (st != MP_OK)
        return st;
    const mpi_lp *lp = &g->lp;
    size_t n = lp->nrows ? lp->nrows : 1, longest = 1;
    for (size_t r = 0; r < lp->nrows; r++)
        longest = lp->rows[r].len > longest ? lp->rows[r].len : longest;
    st = mpi_scenario_init(&g->sc, sol->plan);
    g->base = mpi_calloc(n, 1);
    g->set = mpi_calloc(n, 1);
    g->val = mpi_calloc(longest, sizeof(double));
    g->pi = mpi_calloc(n, sizeof(double));
    g->x = mpi_calloc(lp->ncols ? lp->ncols : 1, sizeof(double));
    g->past_x = mpi_calloc(lp->ncols ? lp->ncols : 1, sizeof(double));
    if (st == MP_OK && (!g->base || !g->set || !g->val || !g->pi || !g->x || !g->past_x))
        st = mpi_nomem();
    return st;
}

/* The active set the re-solves compare with: the LP's own, re-solved as it
 * stands (the optimum's binding rows, read the way every probe reads them). */
static mp_status base_set(ranger *g, int *ok)
{
    mp_status st = solve_set(g, ok);
    if (*ok)
        memcpy(g->base, g->set, g->sol->model.lp.nrows);
    return st;
}

mp_status mpi_range_rows(mp_solution *sol, const mp_solve_opts *opts)
{
    const mpi_lp *lp = &sol->model.lp;
    for (size_t r = 0; sol->rows && r < lp->nrows; r++) {
        mpi_range *rg = &sol->rows[r].range;
        rg->end[0] = rg->end[1] = NAN;
        rg->why[0] = rg->why[1] = MPI_END_NONE;
        rg->row[0] = rg->row[1] = -1;
        rg->group[0] = rg->group[1] = -1;
        rg->ceiling[0] = rg->ceiling[1] = NAN;
        rg->too_large = 0;
    }
    if (sol->result != MP_RESULT_OPTIMAL || sol->lp.mip || !sol->rows || !sol->lp.row_dual)
        return MP_OK;
    double cols = (double)(lp->ncols ? lp->ncols : 1), work = MPI_RANGE_WORK - cols;
    if (work < cols * MPI_RANGE_SOLVES) { /* too large to range within the bound */
        for (size_t r = 0; r < lp->nrows; r++)
            sol->rows[r].range.too_large = sol->rows[r].binding && counted(&lp->rows[r]);
        return MP_OK;
    }
    ranger g;
    int ok = 0;
    mp_status st = ranger_init(&g, sol, opts);
    if (st == MP_OK) {
        memcpy(g.pi, sol->lp.row_dual, lp->nrows * sizeof(double));
        st = base_set(&g, &ok);
    }
    size_t ranged = 0;
    for (size_t r = 0; st == MP_OK && ok && r < lp->nrows && ranged < MPI_RANGE_MAX_ROWS; r++) {
        if (!sol->rows[r].binding || !g.base[r] || !counted(&lp->rows[r]))
            continue;
        if (work < cols * MPI_RANGE_SOLVES) { /* the bound spent on the rows before */
            sol->rows[r].range.too_large = 1;
            continue;
        }
        st = range_row(&g, r);
        work -= cols * (double)g.solves;
        ranged++;
    }
    ranger_free(&g);
    return st;
}

void mpi_range_row_name(const mp_solution *sol, long r, mpi_lang lang, char *buf, size_t n)
{
    const mpi_row *row = &sol->model.lp.rows[r];
    const char *ch =
        row->ref >= 0 && (size_t)row->ref < sol->plan->nch ? sol->plan->ch[row->ref].name : "";
    switch (row->kind) {
    case MPI_ROW_BUDGET: snprintf(buf, n, "%s", mpi_tr(lang, "the budget")); break;
    case MPI_ROW_PERIOD:
        snprintf(buf, n, mpi_tr(lang, "the budget of period %d"), row->ref + 1);
        break;
    case MPI_ROW_MIN: snprintf(buf, n, mpi_tr(lang, "%s's min_spend"), ch); break;
    case MPI_ROW_MAX: snprintf(buf, n, mpi_tr(lang, "%s's max_spend"), ch); break;
    case MPI_ROW_FIXED: snprintf(buf, n, mpi_tr(lang, "%s's fixed_spend"), ch); break;
    case MPI_ROW_CONSTRAINT: snprintf(buf, n, "%s", sol->plan->cons[row->ref].name); break;
    default: snprintf(buf, n, "%s", row->name);
    }
}

void mpi_range_limit_text(const mpi_report *r, const mpi_report_row *row, int k, mpi_lang lang,
                          char *buf, size_t n)
{
    const char *ch = row->range_channel[k], *group = row->range_group[k];
    char bid[64];
    buf[0] = '\0';
    switch (row->range_why[k]) {
    case MPI_END_CHANNEL_CAP: snprintf(buf, n, mpi_tr(lang, "%s reaches its cap"), ch); break;
    case MPI_END_CURVE_END:
        snprintf(buf, n, mpi_tr(lang, "%s reaches the end of its curve"), ch);
        break;
    case MPI_END_BID_CEILING:
        mpi_fmt_num(lang, bid, sizeof bid, row->range_ceiling[k], 2);
        if (group)
            snprintf(buf, n, mpi_tr(lang, "its %s keywords reach their %s %s bid ceiling"), group,
                     bid, r->plan->currency);
        else
            snprintf(buf, n, mpi_tr(lang, "%s's keywords reach their %s %s bid ceiling"), ch, bid,
                     r->plan->currency);
        break;
    default: break;
    }
}
