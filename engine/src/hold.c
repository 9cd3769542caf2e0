/* Constraints that must hold in every draw: [plan] must_hold = all (every
 * constraint on an uncertain outcome: cpa, roas, a KPI's total), or a
 * constraint's own must_hold = all | mean. The plan's row holds in
 * expectation (the mean curve's chords); in draw d the same row on draw d's
 * own chords (each uncertain curve's segments, the breakpoints the mean
 * plan refined) and a rate range's channel scaled by its factor in draw d:
 *
 *   sum_j a_dj x_j (op) rhs,   a_dj = a0_j + sum_q a_qj y_dqj
 *
 * with a0 and a_q the row's terms on column j's yields (mpi_lp_row_terms)
 * and y_dq the chords of draw d's curve. One such row a draw is as dense as
 * the plan's row, so they enter the LP only when the LP's plan breaks them
 * (constraint generation): the few draws that bind, a few rows a round.
 * Chords lie under each concave curve, so a row on outcomes bounded from
 * below (conversions >= X, cpa <= Y, roas >= Z) met on the chords is met by
 * the exact curves; the report checks every draw exactly anyway. */
#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define HOLD_TOL     1e-9 /* a draw's row is broken past this share of its terms */
#define HOLD_PER_ROW 8    /* at most this many draws' rows added a row a round */
#define HOLD_TIGHT   1e-6 /* a draw's row is at its bound within this share of its terms */

int mpi_cons_must_hold(const mp_plan *plan, size_t i)
{
    const mpi_constraint *c = &plan->cons[i];
    int on = c->must_hold ? c->must_hold == MPI_HOLD_ALL : plan->must_hold == MPI_HOLD_ALL;
    return on && mpi_cons_floor(&c->e);
}

int mpi_cons_floor(const mpi_expr *e)
{
    return mpi_cons_uncertain(e) && (e->measure != MPI_M_KPI || e->op == MPI_GE);
}

int mpi_cons_uncertain(const mpi_expr *e)
{
    return e->measure == MPI_M_CPA || e->measure == MPI_M_ROAS ||
           (e->measure == MPI_M_KPI && e->kpi != MPI_REACH);
}

int mpi_plan_must_hold(const mp_plan *plan)
{
    if (!mpi_plan_has_draws(plan) || plan->draws_independent)
        return 0;
    for (size_t i = 0; i < plan->ncons; i++)
        if (mpi_cons_must_hold(plan, i))
            return 1;
    return 0;
}

/* ---- the rows ------------------------------------------------------------- */

/* One constraint row that must hold in every draw. */
typedef struct hold_row {
    size_t r; /* the model's row */
    int op;
    double rhs;
    double *base;      /* [n0] its coefficients in expectation */
    double *h;         /* [n0] the part of a rate channel's column its factor scales */
    double *dc;        /* [nd * nu] draw d's coefficient on uncertain column u */
    unsigned char *in; /* [nd] draw d's row is in the LP */
} hold_row;

struct mpi_hold_lp {
    const mpi_model *m;
    size_t n0, nd, nu;
    size_t *ucol; /* [nu] the uncertain columns */
    size_t *uidx; /* [n0] column j's u, or SIZE_MAX */
    long *chan;   /* [n0] a rate channel's column: its channel, else -1 */
    size_t nrows;
    hold_row *rows;
    double *v;    /* [nd] scratch: each draw's row at the plan */
    double *hc;   /* [nch] scratch: each rate channel's scaled part at the plan */
    size_t *pick; /* [nd] scratch: the broken draws */
    size_t added; /* rows added so far */
};

static mp_status nomem(void)
{
    return mpi_fail(MP_ERR_NOMEM, N_("out of memory building the rows that must hold in every "
                                     "draw"));
}

/* Each column's part: an uncertain curve's segment, a rate channel's, or certain. */
static mp_status columns(mpi_hold_lp *h)
{
    const mpi_model *m = h->m;
    const mp_plan *plan = m->plan;
    h->uidx = mpi_calloc(h->n0 ? h->n0 : 1, sizeof *h->uidx);
    h->chan = mpi_calloc(h->n0 ? h->n0 : 1, sizeof *h->chan);
    if (!h->uidx || !h->chan)
        return nomem();
    for (size_t j = 0; j < h->n0; j++) {
        h->uidx[j] = SIZE_MAX;
        h->chan[j] = -1;
    }
    for (size_t i = 0; i < m->nspend_curves; i++) {
        const mpi_curve *cv = &m->curves.v[i];
        const mpi_resp *r = &plan->ch[cv->channel].resp;
        for (int s = 0; r->nd && s < cv->nseg; s++) {
            if (r->factor)
                h->chan[cv->col + (size_t)s] = cv->channel;
            else
                h->nu++;
        }
    }
    h->ucol = mpi_calloc(h->nu ? h->nu : 1, sizeof *h->ucol);
    if (!h->ucol)
        return nomem();
    size_t u = 0;
    for (size_t i = 0; i < m->nspend_curves; i++) {
        const mpi_curve *cv = &m->curves.v[i];
        const mpi_resp *r = &plan->ch[cv->channel].resp;
        for (int s = 0; r->nd && !r->factor && s < cv->nseg; s++) {
            h->uidx[cv->col + (size_t)s] = u;
            h->ucol[u++] = cv->col + (size_t)s;
        }
    }
    return MP_OK;
}

/* Row hr's coefficient in every draw on curve cv's segments (from u on):
 * its terms on the curve's yields, on each draw's chords. */
static void draw_coefs(const mpi_hold_lp *h, hold_row *hr, const mpi_curve *cv, size_t u)
{
    double a[MPI_NKPI + 1];
    mpi_lp_row_terms(h->m, hr->r, cv, a);
    for (size_t d = 0; d < h->nd; d++) {
        double x = 0, v0[MPI_NKPI], v1[MPI_NKPI];
        mpi_curve_exact_draw(h->m, cv, d, 0, v0);
        for (int s = 0; s < cv->nseg; s++) {
            double wd = mpi_curve_width(cv, s), c = a[MPI_NKPI];
            x += wd;
            mpi_curve_exact_draw(h->m, cv, d, x, v1);
            for (int q = 0; q < MPI_NKPI; q++) {
                if (a[q] != 0 && wd > 0)
                    c += a[q] * (v1[q] - v0[q]) / wd;
                v0[q] = v1[q];
            }
            hr->dc[d * h->nu + u + (size_t)s] = c;
        }
    }
}

/* A rate channel's part of row hr on curve cv: its terms on the KPIs the
 * channel's factor scales. */
static void rate_part(const mpi_hold_lp *h, hold_row *hr, const mpi_curve *cv)
{
    unsigned mask = h->m->plan->ch[cv->channel].resp.factor_q;
    double a[MPI_NKPI + 1], y[MPI_NKPI];
    mpi_lp_row_terms(h->m, hr->r, cv, a);
    for (int s = 0; s < cv->nseg; s++) {
        mpi_curve_yields(cv, s, y);
        double part = 0;
        for (int q = 0; q < MPI_NKPI; q++)
            if (mask & (1u << (unsigned)q))
                part += a[q] * y[q];
        hr->h[cv->col + (size_t)s] = part;
    }
}

/* Row r of the explicit LP lp as a row that must hold in every draw. */
static mp_status row_init(const mpi_hold_lp *h, const mpi_lp *lp, size_t r, hold_row *hr)
{
    const mpi_row *row = &lp->rows[r];
    hr->r = r;
    hr->op = row->op;
    /* the bound as written (a scenario's), not as the exact rows may have
     * moved the plan's row (exact_rows.c): that move makes the mean curve's
     * exact figure meet it, while a draw's chords are under its curve */
    const mpi_row *mrow = &h->m->lp.rows[r];
    const mpi_expr *e = &h->m->plan->cons[mrow->ref].e;
    hr->rhs = (e->measure == MPI_M_KPI ? mpi_expr_rhs(h->m->plan, e, mrow->param) : 0) +
              mpi_row_rhs_shift(h->m, r);
    hr->base = mpi_calloc(h->n0 ? h->n0 : 1, sizeof *hr->base);
    hr->h = mpi_calloc(h->n0 ? h->n0 : 1, sizeof *hr->h);
    size_t n = h->nd * h->nu;
    hr->dc = h->nu && h->nd > SIZE_MAX / sizeof(double) / h->nu
                 ? NULL
                 : mpi_calloc(n ? n : 1, sizeof *hr->dc);
    hr->in = mpi_calloc(h->nd ? h->nd : 1, 1);
    if (!hr->base || !hr->h || !hr->dc || !hr->in)
        return nomem();
    for (size_t k = 0; k < row->len; k++)
        hr->base[lp->ind[row->start + k]] = lp->val[row->start + k];
    const mp_plan *plan = h->m->plan;
    for (size_t i = 0; i < h->m->nspend_curves; i++) {
        const mpi_curve *cv = &h->m->curves.v[i];
        const mpi_resp *rp = &plan->ch[cv->channel].resp;
        if (!rp->nd || cv->nseg <= 0)
            continue;
        if (rp->factor)
            rate_part(h, hr, cv);
        else if (!mpi_deadline_passed()) /* else the loop is not run: mpi_solve_risk */
            draw_coefs(h, hr, cv, h->uidx[cv->col]);
    }
    return MP_OK;
}

void mpi_hold_lp_free(mpi_hold_lp *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->nrows; i++) {
        free(h->rows[i].base);
        free(h->rows[i].h);
        free(h->rows[i].dc);
        free(h->rows[i].in);
    }
    free(h->rows);
    free(h->ucol);
    free(h->uidx);
    free(h->chan);
    free(h->v);
    free(h->hc);
    free(h->pick);
    free(h);
}

mp_status mpi_hold_lp_init(const mpi_model *m, const mpi_lp *lp, size_t n0, mpi_hold_lp **out)
{
    const mp_plan *plan = m->plan;
    *out = NULL;
    if (!mpi_plan_must_hold(plan))
        return MP_OK;
    mpi_hold_lp *h = mpi_calloc(1, sizeof *h);
    if (!h)
        return nomem();
    h->m = m;
    h->n0 = n0;
    h->nd = mpi_plan_draws(plan);
    size_t nd = h->nd ? h->nd : 1;
    h->rows = mpi_calloc(m->lp.nrows ? m->lp.nrows : 1, sizeof *h->rows);
    h->v = mpi_calloc(nd, sizeof *h->v);
    h->pick = mpi_calloc(nd, sizeof *h->pick);
    h->hc = mpi_calloc(plan->nch ? plan->nch : 1, sizeof *h->hc);
    mp_status st = h->rows && h->v && h->pick && h->hc ? columns(h) : nomem();
    for (size_t r = 0; st == MP_OK && r < m->lp.nrows; r++) {
        const mpi_row *row = &m->lp.rows[r];
        if (row->kind != MPI_ROW_CONSTRAINT || !mpi_cons_must_hold(plan, (size_t)row->ref))
            continue;
        st = row_init(h, lp, r, &h->rows[h->nrows++]);
    }
    if (st != MP_OK) {
        mpi_hold_lp_free(h);
        return st;
    }
    *out = h;
    return MP_OK;
}

/* Each draw's row hr at plan x (h->v) and the size of its terms (*scale). */
static void row_values(mpi_hold_lp *h, const hold_row *hr, const double *x, double *scale)
{
    const mp_plan *plan = h->m->plan;
    double base = 0, size = fabs(hr->rhs);
    for (size_t c = 0; c < plan->nch; c++)
        h->hc[c] = 0;
    for (size_t j = 0; j < h->n0; j++) {
        base += hr->base[j] * x[j];
        size += fabs(hr->base[j] * x[j]);
        if (h->chan[j] >= 0)
            h->hc[h->chan[j]] += hr->h[j] * x[j];
    }
    for (size_t d = 0; d < h->nd; d++) {
        double v = base;
        const double *dc = &hr->dc[d * h->nu];
        for (size_t u = 0; u < h->nu; u++)
            v += (dc[u] - hr->base[h->ucol[u]]) * x[h->ucol[u]];
        for (size_t c = 0; c < plan->nch; c++)
            if (h->hc[c] != 0)
                v += (plan->ch[c].resp.factor[d] - 1) * h->hc[c];
        h->v[d] = v;
    }
    *scale = size;
}

/* How far draw d's row is past its bound (0: met). */
static double broken_by(const hold_row *hr, double v)
{
    if (hr->op == MPI_LE)
        return fmax(0, v - hr->rhs);
    if (hr->op == MPI_GE)
        return fmax(0, hr->rhs - v);
    return fabs(v - hr->rhs);
}

/* Draw d's row of hr appended to lp: its coefficients in ascending columns. */
static mp_status add_draw_row(mpi_hold_lp *h, const hold_row *hr, size_t d, mpi_lp *lp)
{
    const mp_plan *plan = h->m->plan;
    const mpi_constraint *c = &plan->cons[h->m->lp.rows[hr->r].ref];
    mp_status st = mpi_risk_open_row(lp, hr->op, mpi_aprintf("hold_%s_draw_%zu", c->name, d + 1));
    for (size_t j = 0; st == MP_OK && j < h->n0; j++) {
        double a = hr->base[j];
        if (h->uidx[j] != SIZE_MAX)
            a = hr->dc[d * h->nu + h->uidx[j]];
        else if (h->chan[j] >= 0)
            a += (plan->ch[h->chan[j]].resp.factor[d] - 1) * hr->h[j];
        if (a != 0)
            st = mpi_risk_put(lp, j, a);
    }
    if (st == MP_OK) {
        lp->rows[lp->nrows - 1].rhs = hr->rhs;
        mpi_risk_close_row(lp);
        h->added++;
    }
    return st;
}

/* How far draw d's row is past its bound, negative inside it. */
static double past_bound(const hold_row *hr, double v)
{
    if (hr->op == MPI_LE)
        return v - hr->rhs;
    if (hr->op == MPI_GE)
        return hr->rhs - v;
    return fabs(v - hr->rhs);
}

/* The draws of row hr the plan breaks (with tight, those at the bound
 * too), the worst first, at most HOLD_PER_ROW. */
static size_t broken_draws(mpi_hold_lp *h, const hold_row *hr, double scale, int tight)
{
    size_t n = 0;
    for (size_t d = 0; d < h->nd; d++) {
        double by = broken_by(hr, h->v[d]);
        int in = tight ? past_bound(hr, h->v[d]) >= -HOLD_TIGHT * (1 + scale)
                       : by > HOLD_TOL * fmax(1, scale);
        if (!in || hr->in[d])
            continue;
        size_t k = n; /* kept sorted by insertion, the worst first */
        if (n < HOLD_PER_ROW)
            n++;
        else if (by <= broken_by(hr, h->v[h->pick[n - 1]]))
            continue;
        else
            k = n - 1;
        while (k > 0 && broken_by(hr, h->v[h->pick[k - 1]]) < by) {
            h->pick[k] = h->pick[k - 1];
            k--;
        }
        h->pick[k] = d;
    }
    return n;
}

mp_status mpi_hold_lp_cut(mpi_hold_lp *h, const double *x, int tight, mpi_lp *lp, size_t *added)
{
    *added = 0;
    mp_status st = MP_OK;
    for (size_t i = 0; h && st == MP_OK && i < h->nrows; i++) {
        hold_row *hr = &h->rows[i];
        double scale;
        row_values(h, hr, x, &scale);
        size_t n = broken_draws(h, hr, scale, tight);
        for (size_t k = 0; st == MP_OK && k < n; k++) {
            st = add_draw_row(h, hr, h->pick[k], lp);
            hr->in[h->pick[k]] = 1;
            ++*added;
        }
    }
    return st;
}

void mpi_hold_lp_tight(mpi_hold_lp *h, const double *x, unsigned char *tight)
{
    for (size_t i = 0; h && i < h->nrows; i++) {
        hold_row *hr = &h->rows[i];
        double scale;
        row_values(h, hr, x, &scale);
        size_t c = (size_t)h->m->lp.rows[hr->r].ref;
        for (size_t d = 0; d < h->nd && !tight[c]; d++) /* the report's binding tolerance */
            tight[c] = fabs(h->v[d] - hr->rhs) <= HOLD_TIGHT * (1 + scale);
    }
}

/* ---- the plan in every draw, exactly -------------------------------------- */

/* The KPIs of constraint e's channels and groups in each draw at sol's
 * spends (t[d * MPI_NKPI + q]): the exact curves at each curve's fill, a
 * draw's own for an uncertain curve, a rate channel's scaled by its factor;
 * a carrying-over channel's curve runs over its adstock, so what it buys
 * (its spend first: a CPA's) is scaled back to the money paid. */
static void draw_totals(const mp_solution *sol, const mpi_expr *e, size_t nd, double *t)
{
    const mpi_model *m = &sol->model;
    const mp_plan *plan = sol->plan;
    memset(t, 0, nd * MPI_NKPI * sizeof *t);
    for (size_t i = 0; i < m->nspend_curves; i++) {
        const mpi_curve *cv = &m->curves.v[i];
        if (!mpi_expr_has(e, cv->channel, cv->group))
            continue;
        double x = mpi_curve_spend(sol, cv), v[MPI_NKPI];
        if (!(x > 0))
            continue;
        const mpi_resp *r = &plan->ch[cv->channel].resp;
        int own = r->nd && !r->factor; /* a draw's own curve */
        if (!own) {
            mpi_curve_exact(m, cv, x, v);
            mpi_adstock_paid(sol, cv, v);
        }
        for (size_t d = 0; d < nd; d++) {
            if (own) {
                mpi_curve_exact_draw(m, cv, d, x, v);
                mpi_adstock_paid(sol, cv, v);
            }
            for (int q = 0; q < MPI_NKPI; q++) {
                int scaled = r->nd && r->factor && (r->factor_q & (1u << (unsigned)q));
                t[d * MPI_NKPI + q] += scaled ? v[q] * r->factor[d] : v[q];
            }
        }
    }
}

/* The constraint's measure on KPIs t: its CPA, ROAS or KPI's total. */
static double measure_of(const mpi_expr *e, const double *t)
{
    switch (e->measure) {
    case MPI_M_CPA: return t[MPI_SPEND] / t[MPI_CONVERSIONS];
    case MPI_M_ROAS: return t[MPI_SPEND] > 0 ? t[MPI_REVENUE] / t[MPI_SPEND] : 0;
    default: return t[e->kpi];
    }
}

/* How far the constraint's row is on the wrong side of its bound on KPIs t
 * (negative: met), in the row's terms: a CPA cap's spend against the cap
 * times the conversions, a ROAS floor's revenue against the floor times the
 * spend (so that a channel without spend meets a CPA cap); *size the scale
 * the tolerance is relative to. */
static double row_excess(const mpi_expr *e, const double *t, double *size)
{
    double a, b;
    if (e->measure == MPI_M_CPA)
        a = t[MPI_SPEND], b = e->value * t[MPI_CONVERSIONS];
    else if (e->measure == MPI_M_ROAS)
        a = t[MPI_REVENUE], b = e->value * t[MPI_SPEND];
    else
        a = t[e->kpi], b = e->value;
    *size = 1 + fabs(a) + fabs(b);
    return e->op == MPI_LE ? a - b : e->op == MPI_GE ? b - a : fabs(a - b);
}

/* Constraint i's worst draw at sol's spends into out: the one furthest on
 * the wrong side of the bound (or least inside it). */
static void worst_draw(const mp_solution *sol, size_t i, size_t nd, double *t, mpi_hold_out *out)
{
    const mpi_expr *e = &sol->plan->cons[i].e;
    draw_totals(sol, e, nd, t);
    double most = -HUGE_VAL, size = 1;
    for (size_t d = 0; d < nd; d++) {
        double sz, x = row_excess(e, &t[d * MPI_NKPI], &sz);
        if (x > most) {
            most = x;
            size = sz;
            out->worst_draw[i] = d;
        }
    }
    const double *tw = &t[out->worst_draw[i] * MPI_NKPI];
    out->worst[i] = e->measure == MPI_M_CPA && !(tw[MPI_CONVERSIONS] > 0) ? NAN : measure_of(e, tw);
    out->met[i] = most <= 1e-7 * size;
    out->has[i] = 1;
}

void mpi_hold_out_free(mpi_hold_out *h)
{
    if (!h)
        return;
    free(h->all);
    free(h->worst);
    free(h->worst_draw);
    free(h->met);
    free(h->has);
    free(h->tight);
    free(h);
}

/* Whether any of plan's constraints is on an uncertain outcome. */
static int any_uncertain(const mp_plan *plan)
{
    for (size_t i = 0; i < plan->ncons; i++)
        if (mpi_cons_uncertain(&plan->cons[i].e))
            return 1;
    return 0;
}

/* A constraint that must hold in every draw binds when its row binds in
 * some draw (sol->hold_tight, on the LP's chords), whatever its row in
 * expectation does: the rows the plan reports say so. */
static void rows_binding(mp_solution *sol)
{
    mpi_hold_out *h = sol->hold;
    const mpi_lp *lp = &sol->model.lp;
    for (size_t i = 0; i < h->ncons; i++)
        h->tight[i] = h->all[i] && sol->hold_tight && sol->hold_tight[i];
    for (size_t r = 0; sol->rows && r < lp->nrows; r++) {
        const mpi_row *row = &lp->rows[r];
        if (row->kind == MPI_ROW_CONSTRAINT && h->all[row->ref])
            sol->rows[r].binding = h->tight[row->ref];
    }
}

mp_status mpi_hold_report(mp_solution *sol)
{
    const mp_plan *plan = sol->plan;
    if (!mpi_plan_has_draws(plan) || plan->draws_independent || !any_uncertain(plan) ||
        sol->lp.status != MPI_LP_OPTIMAL || !sol->lp.x || (sol->light && !mpi_plan_must_hold(plan)))
        return MP_OK;
    size_t n = plan->ncons ? plan->ncons : 1, nd = mpi_plan_draws(plan);
    mpi_hold_out *h = sol->hold ? sol->hold : mpi_calloc(1, sizeof *h);
    if (h && !sol->hold) {
        h->all = mpi_calloc(n, 1);
        h->worst = mpi_calloc(n, sizeof *h->worst);
        h->worst_draw = mpi_calloc(n, sizeof *h->worst_draw);
        h->met = mpi_calloc(n, 1);
        h->has = mpi_calloc(n, 1);
        h->tight = mpi_calloc(n, 1);
    }
    double *t = mpi_calloc(nd ? nd * MPI_NKPI : 1, sizeof *t);
    if (!h || !h->all || !h->worst || !h->worst_draw || !h->met || !h->has || !h->tight || !t) {
        if (h != sol->hold)
            mpi_hold_out_free(h);
        free(t);
        return mpi_nomem();
    }
    sol->hold = h;
    h->ncons = plan->ncons;
    h->ndraws = nd;
    for (size_t i = 0; i < plan->ncons; i++) {
        h->all[i] = (unsigned char)mpi_cons_must_hold(plan, i);
        h->worst[i] = NAN;
        if (mpi_cons_uncertain(&plan->cons[i].e))
            worst_draw(sol, i, nd, t, h);
    }
    free(t);
    rows_binding(sol);
    return MP_OK;
}

/* ---- in words ---------------------------------------------------------------- */

/* Constraint e's measure v in lang: a CPA in currency, a ROAS in %, a KPI. */
static void measure_text(const mp_plan *plan, const mpi_expr *e, double v, mpi_lang lang, char *buf,
                         size_t n)
{
    char num[64];
    if (isnan(v)) {
        snprintf(buf, n, "%s", mpi_tr(lang, N_("no conversions")));
    } else if (e->measure == MPI_M_ROAS) {
        mpi_fmt_num(lang, num, sizeof num, 100 * v, 1);
        snprintf(buf, n, "%s%s", num, mpi_pct_sign(lang));
    } else if (e->measure == MPI_M_CPA) {
        mpi_fmt_num(lang, num, sizeof num, v, 2);
        snprintf(buf, n, "%s %s", num, plan->currency);
    } else {
        mpi_fmt_num(lang, num, sizeof num, v, fabs(v) < 100 ? 1 : 0);
        snprintf(buf, n, "%s", num);
    }
}

void mpi_hold_text(const mp_solution *sol, size_t i, mpi_lang lang, char *buf, size_t n)
{
    const mpi_hold_out *h = sol->hold;
    *buf = '\0';
    if (!h || i >= h->ncons || !h->all[i] || !h->has[i])
        return;
    const mpi_constraint *c = &sol->plan->cons[i];
    char worst[96], nd[32];
    measure_text(sol->plan, &c->e, h->worst[i], lang, worst, sizeof worst);
    mpi_fmt_num(lang, nd, sizeof nd, (double)h->ndraws, 0);
    if (h->met[i] && sol->plan->draws_crossed) { /* the files' rows, not the outcomes */
        char files[32];
        mpi_fmt_num(lang, files, sizeof files, (double)sol->plan->draws_crossed, 0);
        snprintf(buf, n,
                 mpi_tr(lang, N_("must hold in every draw: %s (%s) holds in each of the %s "
                                 "draws at the ranges' low, base and high points (%s cases); "
                                 "the worst gives %s")),
                 c->name, c->text, files, nd, worst);
    } else if (h->met[i] && mpi_draws_points_only(sol->plan)) /* three points, no draws */
        snprintf(buf, n,
                 mpi_tr(lang, N_("must hold in every draw: %s (%s) holds at the ranges' low, "
                                 "base and high points; the worst gives %s")),
                 c->name, c->text, worst);
    else if (h->met[i])
        snprintf(buf, n,
                 mpi_tr(lang, N_("must hold in every draw: %s (%s) holds in each of the %s "
                                 "draws; the worst gives %s")),
                 c->name, c->text, nd, worst);
    else {
        char draw[128];
        mpi_draw_text(sol->plan, h->worst_draw[i], lang, draw, sizeof draw);
        snprintf(buf, n,
                 mpi_tr(lang, N_("must hold in every draw: %s (%s) is broken in %s, which gives "
                                 "%s")),
                 c->name, c->text, draw, worst);
    }
}

int mpi_hold_binds_all(const mp_solution *sol, size_t i)
{
    const mpi_hold_out *h = sol->hold;
    return h && i < h->ncons && h->all[i] && h->has[i];
}

void mpi_hold_binding_text(const mp_solution *sol, size_t i, double expected, mpi_lang lang,
                           char *buf, size_t n)
{
    *buf = '\0';
    if (!mpi_hold_binds_all(sol, i))
        return;
    const mpi_hold_out *h = sol->hold;
    const mpi_expr *e = &sol->plan->cons[i].e;
    char worst[96], mean[96], draw[128];
    measure_text(sol->plan, e, h->worst[i], lang, worst, sizeof worst);
    measure_text(sol->plan, e, expected, lang, mean, sizeof mean);
    mpi_draw_text(sol->plan, h->worst_draw[i], lang, draw, sizeof draw);
    char what[MPI_TEXT_MAX];
    snprintf(what, sizeof what,
             mpi_draws_points_only(sol->plan)
                 ? mpi_tr(lang, N_("held at the ranges' low, base and high points, at its limit "
                                   "in the worst: %s gives %s (%s expected)"))
                 : mpi_tr(lang, N_("held in every draw, at its limit in the worst: %s gives %s "
                                   "(%s expected)")),
             draw, worst, mean);
    snprintf(buf, n, " — %s", what);
}

/* No plan holds constraint i in every draw yet (the time limit): optimize
 * fails (exit 4), a what-if scenario has no plan; both say which draw the
 * plan for the average breaks it in, and by what figure. */
static mp_status hold_unmet(mp_solution *sol, size_t i)
{
    const mpi_hold_out *h = sol->hold;
    const mpi_constraint *c = &sol->plan->cons[i];
    mpi_lang lang = mpi_msg_lang();
    char worst[96], draw[128];
    measure_text(sol->plan, &c->e, h->worst[i], lang, worst, sizeof worst);
    mpi_draw_text(sol->plan, h->worst_draw[i], lang, draw, sizeof draw);
    if (!sol->light && !sol->planless_ok)
        return mpi_fail(MP_ERR_SOLVER,
                        N_("%s: the time limit ran out before a plan holding %s in every draw "
                           "was found: the plan for the average gives %s in %s (%s); allow more "
                           "time (--time-limit)"),
                        sol->plan->path, c->name, worst, draw, c->text);
    sol->planless = 1;
    sol->explain = mpi_aprintf(mpi_tr(lang, "the time limit ran out before a plan holding %s in "
                                            "every draw was found: the plan for the average "
                                            "gives %s in %s (%s)"),
                               c->name, worst, draw, c->text);
    return sol->explain ? MP_OK : mpi_nomem();
}

mp_status mpi_hold_stopped_check(mp_solution *sol)
{
    const mpi_hold_out *h = sol->hold;
    if (!sol->draws_stopped || !h || sol->planless)
        return MP_OK;
    for (size_t i = 0; i < h->ncons; i++)
        if (h->all[i] && h->has[i] && !h->met[i])
            return hold_unmet(sol, i);
    return MP_OK;
}

void mpi_hold_scen_text(const mp_plan *plan, const mpi_hold_out *h, size_t i, mpi_lang lang,
                        char *buf, size_t n)
{
    *buf = '\0';
    if (!h || i >= h->ncons || !h->all[i] || !h->has[i] || !h->tight[i])
        return;
    const mpi_constraint *c = &plan->cons[i];
    char worst[96], draw[128];
    measure_text(plan, &c->e, h->worst[i], lang, worst, sizeof worst);
    mpi_draw_text(plan, h->worst_draw[i], lang, draw, sizeof draw);
    snprintf(buf, n, mpi_tr(lang, N_("%s at its limit in %s: %s")), c->name, draw, worst);
}
