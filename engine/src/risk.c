/* Plans chosen for the bad draws: [plan] risk = cvar P% maximises the mean of
 * the worst share P of the draws' weight (conditional value at risk), risk =
 * worst the worst draw. After the mean plan's LP is solved and refined, the
 * explicit LP (build.c) gets, for aligned draws d of weights w_d:
 *
 *   Y_d = sum over the uncertain curves' segments of g_ds x_s
 *         + C + sum over rate channels c of f_cd C_c
 *
 * g_ds the chord of draw d's exact curve over segment s (the breakpoints the
 * mean plan refined; each draw's curve is concave, so its chords fall along
 * the curve and its segments still fill in order), C the certain channels'
 * objective and C_c a cvr or ctr range's channel's, scaled by its factor in
 * draw d. Rockafellar and Uryasev ("Optimization of conditional
 * value-at-risk", J. of Risk 2, 2000): maximise t - (1/P) sum_d w_d z_d with
 * z_d >= t - Y_d, z_d >= 0; worst: maximise t with t <= Y_d. A 1e-6 weight on
 * the mean breaks ties among plans of the same risk for the better mean.
 * The plan's constraints stay as written: they hold in expectation. */
#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MEAN_TIE_WEIGHT 1e-6
#define CERTAIN         ((long)-1)
#define UNCERTAIN       ((long)-2)

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

static mp_status put(mpi_lp *out, size_t col, double v)
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
static mp_status open_row(mpi_lp *out, int op, char *name)
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

static void close_row(mpi_lp *out)
{
    mpi_row *r = &out->rows[out->nrows - 1];
    r->len = out->nnz - r->start;
}

/* A new column of out of objective obj and upper bound ub. */
static mp_status add_col(mpi_lp *out, size_t *cap, double obj, double ub, size_t *j)
{
    void *arrays[] = {out->obj, out->ub};
    const size_t sizes[] = {sizeof *out->obj, sizeof *out->ub};
    if (mpi_reserve_all(cap, out->ncols + 1, 2, arrays, sizes) != MP_OK)
        return nomem();
    out->obj = arrays[0];
    out->ub = arrays[1];
    *j = out->ncols++;
    out->obj[*j] = obj;
    out->ub[*j] = ub;
    return MP_OK;
}

/* What the risk LP needs of the model: each column's part in the draws
 * (CERTAIN, UNCERTAIN: a draw's own chord, or the rate channel whose factor
 * scales it), the mean LP's objective, and the columns it adds. */
typedef struct risk_lp {
    const mpi_model *m;
    int q;
    size_t n0, nd;
    const double *w;
    long *role;   /* [n0] */
    double *obj0; /* [n0] */
    double big;   /* above any draw's outcome: the new columns' bound */
    size_t t, cert, z0;
    size_t *fcol; /* [nch] C_c's column, or (size_t)-1 */
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

/* Draw d's chords over curve cv's segments, on the open row; *top grows by
 * the most they can bring. */
static mp_status curve_chords(const risk_lp *k, const mpi_curve *cv, size_t d, mpi_lp *out)
{
    double x = 0, v[MPI_NKPI];
    mpi_curve_exact_draw(k->m, cv, d, 0, v);
    double prev = v[k->q];
    mp_status st = MP_OK;
    for (int s = 0; st == MP_OK && s < cv->nseg; s++) {
        double wd = mpi_curve_width(cv, s);
        x += wd;
        mpi_curve_exact_draw(k->m, cv, d, x, v);
        double g = wd > 0 ? (v[k->q] - prev) / wd : 0;
        prev = v[k->q];
        if (g != 0)
            st = put(out, cv->col + (size_t)s, g);
    }
    return st;
}

/* C = sum of the certain columns' objective (c < 0), or C_c of rate channel c. */
static mp_status sum_row(const risk_lp *k, long c, size_t col, mpi_lp *out)
{
    char *name = c < 0 ? mpi_strdup("risk_certain") : mpi_aprintf("risk_rate_%ld", c);
    mp_status st = open_row(out, MPI_EQ, name);
    for (size_t j = 0; st == MP_OK && j < k->n0; j++)
        if (k->role[j] == c && k->obj0[j] != 0)
            st = put(out, j, -k->obj0[j]);
    if (st == MP_OK)
        st = put(out, col, 1);
    if (st == MP_OK)
        close_row(out);
    return st;
}

/* Draw d's row: Y_d - t (+ z_d) >= 0. */
static mp_status draw_row(const risk_lp *k, size_t d, int cvar, mpi_lp *out)
{
    const mp_plan *plan = k->m->plan;
    mp_status st = open_row(out, MPI_GE, mpi_aprintf("risk_draw_%zu", d + 1));
    for (size_t i = 0; st == MP_OK && i < k->m->nspend_curves; i++) {
        const mpi_curve *cv = &k->m->curves.v[i];
        if (k->role[cv->col] == UNCERTAIN && cv->nseg > 0)
            st = curve_chords(k, cv, d, out);
    }
    if (st == MP_OK)
        st = put(out, k->t, -1);
    if (st == MP_OK)
        st = put(out, k->cert, 1);
    for (size_t c = 0; st == MP_OK && c < plan->nch; c++)
        if (k->fcol[c] != (size_t)-1)
            st = put(out, k->fcol[c], plan->ch[c].resp.factor[d]);
    if (st == MP_OK && cvar)
        st = put(out, k->z0 + d, 1);
    if (st == MP_OK)
        close_row(out);
    return st;
}

/* The columns and rows the risk adds to the explicit LP in out. */
static mp_status risk_rows(risk_lp *k, mpi_lp *out)
{
    const mp_plan *plan = k->m->plan;
    int cvar = plan->risk == MPI_RISK_CVAR;
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
    k->z0 = out->ncols;
    for (size_t d = 0; st == MP_OK && cvar && d < k->nd; d++) {
        size_t j;
        st = add_col(out, &cap, -k->w[d] / plan->risk_level, k->big, &j);
    }
    if (st == MP_OK)
        st = sum_row(k, -1, k->cert, out);
    for (size_t c = 0; st == MP_OK && c < plan->nch; c++)
        if (k->fcol[c] != (size_t)-1)
            st = sum_row(k, (long)c, k->fcol[c], out);
    for (size_t d = 0; st == MP_OK && d < k->nd; d++)
        st = draw_row(k, d, cvar, out);
    return st;
}

static void risk_lp_free(risk_lp *k)
{
    free(k->role);
    free(k->obj0);
    free(k->fcol);
}

/* The risk LP of sol's model into out (k keeps what reading it back needs). */
static mp_status build_risk_lp(const mp_solution *sol, risk_lp *k, mpi_lp *out)
{
    const mp_plan *plan = sol->plan;
    memset(k, 0, sizeof *k);
    k->m = &sol->model;
    k->q = plan->obj_kpi;
    k->nd = mpi_plan_draws(plan);
    k->w = mpi_plan_draw_weights(plan);
    mp_status st = mpi_model_explicit(k->m, out);
    if (st != MP_OK)
        return st;
    k->n0 = out->ncols;
    k->role = mpi_calloc(k->n0 ? k->n0 : 1, sizeof *k->role);
    k->obj0 = mpi_calloc(k->n0 ? k->n0 : 1, sizeof *k->obj0);
    k->fcol = mpi_calloc(plan->nch ? plan->nch : 1, sizeof *k->fcol);
    if (!k->role || !k->obj0 || !k->fcol)
        st = nomem();
    if (st == MP_OK) {
        memcpy(k->obj0, out->obj, k->n0 * sizeof *k->obj0);
        roles(k, out);
        st = risk_rows(k, out);
    }
    if (st != MP_OK) {
        mpi_lp_free(out);
        risk_lp_free(k);
    }
    return st;
}

/* The risk LP's plan in place of the mean plan's: its spends on the model's
 * columns; no row prices (the mean LP's kept for the bound on the mean). */
static mp_status take_plan(mp_solution *sol, const risk_lp *k, const mpi_lp_sol *rs)
{
    const mpi_model *m = &sol->model;
    memcpy(sol->lp.x, rs->x, m->lp.ncols * sizeof(double));
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
    sol->risk->lp_value = rs->x[k->t];
    if (sol->plan->risk == MPI_RISK_CVAR)
        for (size_t d = 0; d < k->nd; d++)
            sol->risk->lp_value -= k->w[d] / sol->plan->risk_level * rs->x[k->z0 + d];
    return sol->lp.row_dual ? MP_OK : mpi_nomem();
}

mp_status mpi_solve_risk(mp_solution *sol, const mp_solve_opts *opts)
{
    const mp_plan *plan = sol->plan;
    if (plan->risk == MPI_RISK_MEAN || sol->lp.status != MPI_LP_OPTIMAL)
        return MP_OK;
    if (!sol->risk && !(sol->risk = mpi_calloc(1, sizeof *sol->risk)))
        return mpi_nomem();
    sol->risk->measure = plan->risk;
    sol->risk->level = plan->risk == MPI_RISK_CVAR ? plan->risk_level : 0;
    sol->risk->ndraws = mpi_plan_draws(plan);
    sol->risk->lp_value = NAN;
    risk_lp k;
    mpi_lp lp;
    mpi_lp_sol rs;
    memset(&rs, 0, sizeof rs);
    mp_status st = build_risk_lp(sol, &k, &lp);
    if (st != MP_OK)
        return st;
    st = mpi_glpk_solve(&lp, opts, &rs);
    mpi_lp_free(&lp);
    if (st == MP_OK && rs.status == MPI_LP_OPTIMAL)
        st = take_plan(sol, &k, &rs);
    else if (st == MP_OK) /* the time limit: the mean plan stays, and says so */
        sol->risk->stopped = 1;
    mpi_lp_sol_free(&rs);
    risk_lp_free(&k);
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

/* The plan's KPI unit in lang, and the risk's numbers formatted. */
static void risk_numbers(const mp_solution *sol, mpi_lang lang, char num[6][64])
{
    const mpi_risk_out *r = sol->risk;
    const double v[6] = {
        r->value, r->mean_plan_value, r->value - r->mean_plan_value, r->mean_plan_mean - r->mean,
        r->mean,  r->mean_plan_mean};
    for (int i = 0; i < 6; i++)
        mpi_fmt_num(lang, num[i], sizeof num[i], v[i], 0);
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
        snprintf(buf, n, "%s",
                 line ? ""
                      : mpi_tr(lang, r->stopped ? N_("risk: the time limit stopped the risk LP; "
                                                     "the plan is the mean-optimal plan")
                                                : N_("risk: the mean-optimal plan has no plan to "
                                                     "compare with")));
        return;
    }
    if (line == 1)
        snprintf(buf, n,
                 mpi_tr(lang, N_("  what the safety costs: %s %s less on average over all the "
                                 "draws (%s against the mean-optimal plan's %s)")),
                 num[3], unit, num[4], num[5]);
    else if (r->measure == MPI_RISK_WORST)
        snprintf(buf, n,
                 mpi_tr(lang, N_("risk = worst: the worst draw brings %s %s with this plan, "
                                 "%s with the mean-optimal plan (%s more)")),
                 num[0], unit, num[1], num[2]);
    else
        snprintf(buf, n,
                 mpi_tr(lang, N_("risk = cvar %s%%: the worst %s%% of the draws bring %s %s on "
                                 "average with this plan, %s with the mean-optimal plan (%s "
                                 "more)")),
                 level, level, num[0], unit, num[1], num[2]);
}
