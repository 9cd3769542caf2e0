/* Solve a plan: build curves and LP, solve with GLPK, check the fill order,
 * aggregate KPIs for the reports, and explain infeasible plans. */
#include "solution.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void mp_solve_opts_init(mp_solve_opts *opts)
{
    memset(opts, 0, sizeof *opts);
}

const char *mpi_result_str(int result)
{
    switch (result) {
    case MP_RESULT_OPTIMAL: return "optimal";
    case MP_RESULT_INFEASIBLE: return "infeasible";
    case MP_RESULT_UNBOUNDED: return "unbounded";
    case MP_RESULT_TIME_LIMIT: return "time_limit";
    }
    return "unknown";
}

const char *mpi_kpi_unit(const mp_plan *plan, int q)
{
    return mpi_kpi_units[q][0] ? mpi_kpi_units[q] : plan->currency;
}

void mp_solution_free(mp_solution *sol)
{
    if (!sol)
        return;
    if (!sol->borrowed_model)
        mpi_model_free(&sol->model);
    mpi_lp_sol_free(&sol->lp);
    free(sol->explain);
    free(sol->ch_kpi);
    free(sol->cp_kpi);
    free(sol->ch_marginal);
    free(sol->kw);
    free(sol->rows);
    free(sol);
}

mp_result mp_solution_result(const mp_solution *sol)
{
    return (mp_result)sol->result;
}

double mp_solution_objective(const mp_solution *sol)
{
    return sol->objective;
}

const char *mp_solution_explain(const mp_solution *sol)
{
    return sol->explain ? sol->explain : "";
}

void mp_solution_timings(const mp_solution *sol, double *build_s, double *solve_s)
{
    if (build_s)
        *build_s = sol->build_s;
    if (solve_s)
        *solve_s = sol->solve_s;
}

void mp_solution_lp_size(const mp_solution *sol, size_t *cols, size_t *rows, size_t *nonzeros)
{
    if (cols)
        *cols = sol->model.lp.ncols;
    if (rows)
        *rows = sol->model.lp.nrows;
    if (nonzeros)
        *nonzeros = sol->model.lp.nnz;
}

/* ---- fill order --------------------------------------------------------- */

/* Refill each curve in segment order with the same total spend. For concave
 * curves this never lowers a KPI; if every row still holds, the refilled plan
 * is feasible and at least as good, hence optimal, and replaces x. Returns 0
 * (x unchanged) when a row would break. */
static size_t flag_out_of_order(const mpi_model *m, const double *x, unsigned char *flag);

/* Whether x meets every row of lp (within a relative tolerance). */
static int rows_hold(const mpi_lp *lp, const double *x)
{
    for (size_t r = 0; r < lp->nrows; r++) {
        const mpi_row *row = &lp->rows[r];
        double act = 0, scale = fabs(row->rhs);
        for (size_t k = 0; k < row->len; k++) {
            double t = lp->val[row->start + k] * x[lp->ind[row->start + k]];
            act += t;
            scale += fabs(t);
        }
        double tol = 1e-6 * (1 + scale);
        if ((row->op == MPI_LE && act > row->rhs + tol) ||
            (row->op == MPI_GE && act < row->rhs - tol) ||
            (row->op == MPI_EQ && fabs(act - row->rhs) > tol))
            return 0;
    }
    return 1;
}

static int refill_in_order(const mpi_model *m, double *x)
{
    const mpi_lp *lp = &m->lp;
    int changed = 0;
    if (!flag_out_of_order(m, x, NULL))
        return 1; /* in order already */
    double *y = mpi_calloc(lp->ncols, sizeof(double));
    if (!y)
        return 0;
    memcpy(y, x, lp->ncols * sizeof(double));
    for (size_t i = 0; i < m->curves.n; i++) {
        const mpi_curve *c = &m->curves.v[i];
        double total = 0;
        for (int s = 0; s < c->nseg; s++)
            total += y[c->col + (size_t)s];
        double left = total;
        for (int s = 0; s < c->nseg; s++) {
            double v = left < c->w[s] ? left : c->w[s];
            if (v < 0)
                v = 0;
            if (fabs(v - y[c->col + (size_t)s]) > 1e-7 * (1 + c->w[s]))
                changed = 1;
            y[c->col + (size_t)s] = v;
            left -= v;
        }
    }
    int ok = !changed || rows_hold(lp, y);
    if (ok)
        memcpy(x, y, lp->ncols * sizeof(double));
    free(y);
    return ok;
}

/* Flag the curves x fills out of order; returns how many were newly flagged
 * (with flag NULL: whether any curve is out of order). */
static size_t flag_out_of_order(const mpi_model *m, const double *x, unsigned char *flag)
{
    size_t added = 0;
    for (size_t i = 0; i < m->curves.n; i++) {
        const mpi_curve *c = &m->curves.v[i];
        int gap = 0;
        for (int s = 0; s < c->nseg && !(flag && flag[i]); s++) {
            double v = x[c->col + (size_t)s];
            if (gap && v > 1e-7 * (1 + c->w[s])) {
                if (!flag)
                    return 1;
                flag[i] = 1;
                added++;
            }
            if (v < c->w[s] * (1 - 1e-7) - 1e-7)
                gap = 1;
        }
    }
    return added;
}

/* The LP plus, for each flagged curve, binaries z_s ("segment s is full")
 * with x_s >= w_s z_s and x_(s+1) <= w_(s+1) z_s: the incremental formulation,
 * which admits only plans that fill those curves in order. */
static mp_status build_in_order(const mpi_model *m, const unsigned char *flag, mpi_lp *out)
{
    const mpi_lp *lp = &m->lp;
    size_t nb = 0;
    for (size_t i = 0; i < m->curves.n; i++)
        if (flag[i] && m->curves.v[i].nseg > 1)
            nb += (size_t)m->curves.v[i].nseg - 1;
    memset(out, 0, sizeof *out);
    out->sense = lp->sense;
    out->ncols = lp->ncols + nb;
    out->nrows = out->rcap = lp->nrows + 2 * nb;
    out->nnz = out->nzcap = lp->nnz + 4 * nb;
    out->obj = mpi_calloc(out->ncols, sizeof(double));
    out->ub = mpi_calloc(out->ncols, sizeof(double));
    out->binary = mpi_calloc(out->ncols, 1);
    out->rows = mpi_calloc(out->nrows, sizeof *out->rows);
    out->ind = mpi_calloc(out->nnz, sizeof(size_t));
    out->val = mpi_calloc(out->nnz, sizeof(double));
    if (!out->obj || !out->ub || !out->binary || !out->rows || !out->ind || !out->val) {
        mpi_lp_free(out);
        return mpi_fail(MP_ERR_NOMEM, "out of memory building the in-order MIP");
    }
    memcpy(out->obj, lp->obj, lp->ncols * sizeof(double));
    memcpy(out->ub, lp->ub, lp->ncols * sizeof(double));
    memcpy(out->ind, lp->ind, lp->nnz * sizeof(size_t));
    memcpy(out->val, lp->val, lp->nnz * sizeof(double));
    for (size_t r = 0; r < lp->nrows; r++) {
        out->rows[r] = lp->rows[r];
        out->rows[r].name = out->rows[r].label = NULL;
    }
    size_t z = lp->ncols, r = lp->nrows, k = lp->nnz;
    for (size_t i = 0; i < m->curves.n; i++) {
        const mpi_curve *c = &m->curves.v[i];
        if (!flag[i])
            continue;
        for (int s = 0; s + 1 < c->nseg; s++, z++) {
            out->ub[z] = 1;
            out->binary[z] = 1;
            size_t col = c->col + (size_t)s;
            mpi_row full = {.kind = MPI_ROW_ORDER, .op = MPI_GE, .rhs = 0, .start = k, .len = 2};
            out->ind[k] = col;
            out->val[k++] = 1;
            out->ind[k] = z;
            out->val[k++] = -c->w[s];
            out->rows[r++] = full;
            mpi_row next = {.kind = MPI_ROW_ORDER, .op = MPI_LE, .rhs = 0, .start = k, .len = 2};
            out->ind[k] = col + 1;
            out->val[k++] = 1;
            out->ind[k] = z;
            out->val[k++] = -c->w[s + 1];
            out->rows[r++] = next;
        }
    }
    return MP_OK;
}

/* Re-solve with the curves that the LP filled out of order forced in order,
 * adding curves until the plan is physical (each round adds at least one). */
static mp_status solve_in_order(mp_solution *sol, const mp_solve_opts *opts)
{
    const mpi_model *m = &sol->model;
    unsigned char *flag = mpi_calloc(m->curves.n, 1);
    if (!flag)
        return mpi_fail(MP_ERR_NOMEM, "out of memory");
    mp_status st = MP_OK;
    for (;;) {
        if (!flag_out_of_order(m, sol->lp.x, flag)) {
            st = mpi_fail(MP_ERR_INTERNAL,
                          "%s: a plan breaks a constraint when its curves are "
                          "filled in order, yet no curve is out of order",
                          m->plan->path);
            break;
        }
        mpi_lp mip;
        if ((st = build_in_order(m, flag, &mip)) != MP_OK)
            break;
        mpi_lp_sol ms;
        st = mpi_glpk_solve(&mip, opts, &ms);
        mpi_lp_free(&mip);
        if (st != MP_OK)
            break;
        sol->lp.status = ms.status;
        if (ms.status != MPI_LP_OPTIMAL && ms.status != MPI_LP_TIME_LIMIT) {
            mpi_lp_sol_free(&ms);
            break;
        }
        memcpy(sol->lp.x, ms.x, m->lp.ncols * sizeof(double));
        memset(sol->lp.row_dual, 0, m->lp.nrows * sizeof(double));
        sol->lp.mip = 1;
        mpi_lp_sol_free(&ms);
        if (refill_in_order(m, sol->lp.x))
            break;
    }
    free(flag);
    return st;
}

/* ---- aggregation ------------------------------------------------------- */

static mp_status aggregate(mp_solution *sol)
{
    const mp_plan *plan = sol->plan;
    const mpi_model *m = &sol->model;
    const double *x = sol->lp.x;
    size_t nch = plan->nch, np = (size_t)plan->periods;
    sol->ch_kpi = mpi_calloc(nch * MPI_NKPI, sizeof(double));
    sol->cp_kpi = mpi_calloc(nch * np * MPI_NKPI, sizeof(double));
    sol->ch_marginal = mpi_calloc(nch, sizeof(double));
    size_t *kw_off = mpi_calloc(nch + 1, sizeof(size_t));
    if (!sol->ch_kpi || !sol->cp_kpi || !sol->ch_marginal || !kw_off) {
        free(kw_off);
        return mpi_fail(MP_ERR_NOMEM, "out of memory");
    }
    for (size_t c = 0; c < nch; c++) {
        const mpi_channel *ch = &plan->ch[c];
        size_t n = ch->ops->keyword_count ? ch->ops->keyword_count(ch->params) : 0;
        kw_off[c + 1] = kw_off[c] + n;
        sol->ch_marginal[c] = NAN;
    }
    sol->nkw = sol->light ? 0 : kw_off[nch];
    sol->kw = mpi_calloc(sol->nkw ? sol->nkw : 1, sizeof *sol->kw);
    if (!sol->kw) {
        free(kw_off);
        return mpi_fail(MP_ERR_NOMEM, "out of memory");
    }
    for (size_t c = 0; c < nch && !sol->light; c++)
        for (size_t k = kw_off[c]; k < kw_off[c + 1]; k++) {
            sol->kw[k].channel = (int)c;
            sol->kw[k].keyword = k - kw_off[c];
        }
    int ret_kpi = plan->obj_sense > 0 ? plan->obj_kpi : MPI_CONVERSIONS;
    for (size_t i = 0; i < m->nspend_curves; i++) {
        const mpi_curve *cv = &m->curves.v[i];
        double spend = 0, kv[MPI_NKPI] = {0};
        int last = -1, marginal_seen = 0, s0 = 0;
        if (cv->cum && sol->light && !(cv->ceiling > 0)) { /* a ceiling cuts widths */
            /* the segments full from the start, from the curve's running totals:
             * a full segment yields the same at any price level */
            while (s0 < cv->nseg && x[cv->col + (size_t)s0] == cv->w[s0])
                s0++;
            for (int q = 0; q < MPI_NKPI; q++)
                kv[q] = cv->cum[(size_t)s0 * MPI_NKPI + (size_t)q] * cv->mult;
            spend = kv[MPI_SPEND];
            last = s0 - 1;
        }
        /* yields at the data's prices, brought to the curve's level once */
        for (int s = s0; s < cv->nseg; s++) {
            double xs = x[cv->col + (size_t)s];
            const double *y = &cv->y[s * MPI_NKPI];
            if (xs != 0)
                for (int q = 0; q < MPI_NKPI; q++)
                    kv[q] += xs * y[q];
            spend += xs;
            if (xs > 1e-9 * (1 + cv->w[s]))
                last = s;
            if (!marginal_seen && xs < cv->w[s] * (1 - 1e-9)) {
                /* At a breakpoint the PWL curve has two slopes; the smooth curve's
                 * derivative lies between them, so report their middle. */
                marginal_seen = 1;
                double mr = mpi_curve_yield(cv, s, ret_kpi);
                if (xs <= 1e-9 * (1 + cv->w[s]) && s > 0)
                    mr = 0.5 * (mr + mpi_curve_yield(cv, s - 1, ret_kpi));
                double *cm = &sol->ch_marginal[cv->channel];
                if (isnan(*cm) || mr > *cm)
                    *cm = mr;
            }
        }
        for (int q = 0; q < MPI_NKPI; q++)
            if (q != MPI_SPEND)
                kv[q] /= cv->mult;
        for (int q = 0; q < MPI_NKPI; q++) {
            MPI_CP_KPI(sol, cv->channel, cv->period, q) += kv[q];
            MPI_CH_KPI(sol, cv->channel, q) += kv[q];
        }
        if (cv->keyword >= 0 && !sol->light) {
            mpi_kw_result *kr = &sol->kw[kw_off[cv->channel] + (size_t)cv->keyword];
            kr->spend += spend;
            kr->clicks += kv[MPI_CLICKS];
            kr->conversions += kv[MPI_CONVERSIONS];
            kr->impressions += kv[MPI_IMPRESSIONS];
            kr->revenue += kv[MPI_REVENUE];
            if (last >= 0 && cv->param)
                kr->bid += spend * mpi_curve_bid(cv, last + 1);
        }
    }
    free(kw_off);
    for (size_t k = 0; k < sol->nkw; k++)
        sol->kw[k].bid = sol->kw[k].spend > 0 ? sol->kw[k].bid / sol->kw[k].spend : 0;
    /* Reach: the model's exact curve at each channel's campaign spend. */
    double miss = 1;
    for (size_t c = 0; c < nch; c++) {
        const mpi_channel *ch = &plan->ch[c];
        double r = ch->ops->reach
                       ? ch->ops->reach(ch->params, &plan->mctx, ch, MPI_CH_KPI(sol, c, MPI_SPEND))
                       : 0;
        MPI_CH_KPI(sol, c, MPI_REACH) = r;
        if (plan->universe > 0)
            miss *= 1 - fmin(r / plan->universe, 1);
    }
    sol->reach_dedup = plan->universe > 0 ? plan->universe * (1 - miss) : NAN;
    /* Marginal reach comes from the reach curves, where the plan has them. */
    if (ret_kpi == MPI_REACH) {
        for (size_t i = m->nspend_curves; i < m->curves.n; i++) {
            const mpi_curve *cv = &m->curves.v[i];
            for (int s = 0; s < cv->nseg; s++)
                if (x[cv->col + (size_t)s] < cv->w[s] * (1 - 1e-9)) {
                    sol->ch_marginal[cv->channel] = mpi_curve_yield(cv, s, MPI_REACH);
                    break;
                }
        }
    }
    for (size_t c = 0; c < nch; c++)
        for (int q = 0; q < MPI_NKPI; q++)
            sol->kpi[q] += MPI_CH_KPI(sol, c, q);
    return MP_OK;
}

/* The measure a row constrains, in its natural unit. */
static double row_measure(const mp_solution *sol, const mpi_row *row, double activity)
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
    case MPI_ROW_REACH_LINK: return activity;
    }
    const mpi_expr *e = &plan->cons[row->ref].e;
    double in[MPI_NKPI] = {0};
    if (!e->ing) {
        for (size_t c = 0; c < plan->nch; c++)
            if (mpi_expr_has(e, (int)c, -1))
                for (int q = 0; q < MPI_NKPI; q++)
                    in[q] += MPI_CH_KPI(sol, c, q);
    } else {
        /* keyword groups: sum the curves in the list */
        const mpi_model *m = &sol->model;
        for (size_t i = 0; i < m->nspend_curves; i++) {
            const mpi_curve *cv = &m->curves.v[i];
            if (!mpi_expr_has(e, cv->channel, cv->group))
                continue;
            for (int s = 0; s < cv->nseg; s++)
                for (int q = 0; q < MPI_NKPI; q++)
                    in[q] += sol->lp.x[cv->col + (size_t)s] * mpi_curve_yield(cv, s, q);
        }
    }
    switch (e->measure) {
    case MPI_M_SHARE: return sol->kpi[MPI_SPEND] > 0 ? in[MPI_SPEND] / sol->kpi[MPI_SPEND] : 0;
    case MPI_M_CPA: return in[MPI_CONVERSIONS] > 0 ? in[MPI_SPEND] / in[MPI_CONVERSIONS] : NAN;
    case MPI_M_ROAS: return in[MPI_SPEND] > 0 ? in[MPI_REVENUE] / in[MPI_SPEND] : NAN;
    }
    return activity; /* a KPI: exactly what the LP row sums */
}

static double row_bound(const mp_solution *sol, const mpi_row *row)
{
    if (row->kind != MPI_ROW_CONSTRAINT)
        return row->rhs;
    if (sol->sc && !isnan(sol->sc->bound[row->ref]))
        return sol->sc->bound[row->ref];
    return sol->plan->cons[row->ref].e.value;
}

static mp_status fill_rows(mp_solution *sol)
{
    const mpi_lp *lp = &sol->model.lp;
    sol->rows = mpi_calloc(lp->nrows ? lp->nrows : 1, sizeof *sol->rows);
    if (!sol->rows)
        return mpi_fail(MP_ERR_NOMEM, "out of memory");
    for (size_t r = 0; r < lp->nrows && sol->light; r++) {
        /* a what-if scenario keeps the duals alone (the budget's is its
         * marginal return), so the rows' activities are not measured */
        sol->rows[r].value = NAN;
        sol->rows[r].bound = row_bound(sol, &lp->rows[r]);
        sol->rows[r].dual = sol->lp.mip ? NAN : sol->lp.row_dual[r];
    }
    for (size_t r = 0; r < lp->nrows && !sol->light; r++) {
        const mpi_row *row = &lp->rows[r];
        double act = 0, scale = fabs(row->rhs);
        for (size_t k = 0; k < row->len; k++) {
            double t = lp->val[row->start + k] * sol->lp.x[lp->ind[row->start + k]];
            act += t;
            scale += fabs(t);
        }
        mpi_row_result *rr = &sol->rows[r];
        rr->value = row_measure(sol, row, act);
        rr->bound = row_bound(sol, row);
        rr->binding = fabs(act - row->rhs) <= 1e-6 * (1 + scale) && row->kind != MPI_ROW_REACH_LINK;
        rr->dual = sol->lp.mip ? NAN : sol->lp.row_dual[r]; /* a MIP has no duals */
    }
    return MP_OK;
}

/* ---- infeasibility ---------------------------------------------------- */

/* *buf = *buf + a + b + c */
static int append3(char **buf, const char *a, const char *b, const char *c)
{
    char *n = mpi_aprintf("%s%s%s%s", *buf ? *buf : "", a, b, c);
    if (!n)
        return -1;
    free(*buf);
    *buf = n;
    return 0;
}

/* Sum of channel minimums against the budget: the most common infeasibility,
 * explained with both figures. */
char *mpi_explain_minimums(const mp_plan *plan, double budget)
{
    double sum = 0;
    for (size_t c = 0; c < plan->nch; c++) {
        const mpi_channel *ch = &plan->ch[c];
        sum += !isnan(ch->fixed_spend) ? ch->fixed_spend
               : !isnan(ch->min_spend) ? ch->min_spend
                                       : 0;
    }
    if (sum <= budget * (1 + 1e-12))
        return NULL;
    char b[64], s[64];
    mpi_fmt_thousands(b, sizeof b, budget, 0);
    mpi_fmt_thousands(s, sizeof s, sum, 0);
    char *msg = mpi_aprintf("the budget of %s %s is below the sum of channel minimums, %s %s:", b,
                            plan->currency, s, plan->currency);
    for (size_t c = 0; msg && c < plan->nch; c++) {
        const mpi_channel *ch = &plan->ch[c];
        double v = !isnan(ch->fixed_spend) ? ch->fixed_spend : ch->min_spend;
        if (isnan(v) || v <= 0)
            continue;
        char a[64];
        mpi_fmt_thousands(a, sizeof a, v, 0);
        if (append3(&msg, "\n  ", ch->name, ": ") != 0 || append3(&msg, a, "", "") != 0)
            break;
    }
    return msg;
}

/* Solve the elastic LP (every named row may bend, at a cost proportional to
 * the relative amount) and name the rows that had to bend. */
static mp_status explain_infeasible(mp_solution *sol, const mp_solve_opts *opts)
{
    const mp_plan *plan = sol->plan;
    const mpi_lp *lp = &sol->model.lp;
    mpi_lp el;
    memset(&el, 0, sizeof el);
    el.sense = -1;
    size_t ne = 0;
    for (size_t r = 0; r < lp->nrows; r++)
        ne += lp->rows[r].kind == MPI_ROW_REACH_LINK ? 0 : lp->rows[r].op == MPI_EQ ? 2 : 1;
    el.ncols = lp->ncols + ne;
    el.obj = mpi_calloc(el.ncols, sizeof(double));
    el.ub = mpi_calloc(el.ncols, sizeof(double));
    el.rows = mpi_calloc(lp->nrows ? lp->nrows : 1, sizeof *el.rows);
    el.nzcap = lp->nnz + ne;
    el.ind = mpi_calloc(el.nzcap, sizeof(size_t));
    el.val = mpi_calloc(el.nzcap, sizeof(double));
    size_t *first_e = mpi_calloc(lp->nrows ? lp->nrows : 1, sizeof(size_t));
    if (!el.obj || !el.ub || !el.rows || !el.ind || !el.val || !first_e) {
        free(first_e);
        mpi_lp_free(&el);
        return mpi_fail(MP_ERR_NOMEM, "out of memory");
    }
    memcpy(el.ub, lp->ub, lp->ncols * sizeof(double));
    size_t e = lp->ncols;
    for (size_t r = 0; r < lp->nrows; r++) {
        const mpi_row *row = &lp->rows[r];
        el.rows[r] = *row;
        el.rows[r].name = NULL;
        el.rows[r].label = NULL;
        el.rows[r].start = el.nnz;
        memcpy(el.ind + el.nnz, lp->ind + row->start, row->len * sizeof(size_t));
        memcpy(el.val + el.nnz, lp->val + row->start, row->len * sizeof(double));
        el.nnz += row->len;
        first_e[r] = e;
        if (row->kind != MPI_ROW_REACH_LINK) {
            double scale = fmax(fabs(row->rhs), row->rhs == 0 ? plan->budget : 1);
            int n = row->op == MPI_EQ ? 2 : 1;
            for (int k = 0; k < n; k++, e++) {
                double sign = row->op == MPI_LE || (row->op == MPI_EQ && k == 1) ? -1 : 1;
                el.ind[el.nnz] = e;
                el.val[el.nnz] = sign;
                el.nnz++;
                el.obj[e] = 1 / scale;
                el.ub[e] = 1e15;
            }
        }
        el.rows[r].len = el.nnz - el.rows[r].start;
    }
    el.nrows = lp->nrows;
    mpi_lp_sol es;
    mp_status st = mpi_glpk_solve(&el, opts, &es);
    if (st != MP_OK || es.status != MPI_LP_OPTIMAL) {
        int late = st == MP_OK && es.status == MPI_LP_TIME_LIMIT;
        if (st == MP_OK)
            mpi_lp_sol_free(&es);
        free(first_e);
        free(el.rows);
        el.rows = NULL;
        el.nrows = 0;
        mpi_lp_free(&el);
        sol->explain = mpi_strdup(late ? "no plan meets every constraint (the time limit ran out "
                                         "before the constraints to relax were found)"
                                       : "no plan meets every constraint");
        return MP_OK;
    }
    /* Report the bent rows with the measure reached in the least-bent plan. */
    double *keep = sol->lp.x;
    sol->lp.x = es.x;
    mp_status ag = aggregate(sol);
    char *msg = mpi_strdup("no plan meets every constraint; the nearest plan must relax:");
    char *involved = NULL;
    for (size_t r = 0; ag == MP_OK && msg && r < lp->nrows; r++) {
        const mpi_row *row = &lp->rows[r];
        if (row->kind == MPI_ROW_REACH_LINK)
            continue;
        int n = row->op == MPI_EQ ? 2 : 1;
        double bend = 0, scale = fmax(fabs(row->rhs), row->rhs == 0 ? plan->budget : 1);
        for (int k = 0; k < n; k++)
            bend += es.x[first_e[r] + (size_t)k];
        double act = 0;
        for (size_t k = 0; k < row->len; k++)
            act += lp->val[row->start + k] * es.x[lp->ind[row->start + k]];
        if (bend > 1e-7 * scale) {
            double v = row_measure(sol, row, act);
            char vb[64];
            int pct =
                row->kind == MPI_ROW_CONSTRAINT && plan->cons[row->ref].e.measure == MPI_M_SHARE;
            mpi_fmt_thousands(vb, sizeof vb, pct ? 100 * v : v, pct || fabs(v) < 100 ? 2 : 0);
            char line[96];
            snprintf(line, sizeof line, "%s%s", vb, pct ? " %" : "");
            append3(&msg, "\n  ", row->label,
                    row->op == MPI_GE   ? " (the most that can be reached with the others: "
                    : row->op == MPI_LE ? " (the least that can be reached with the others: "
                                        : " (the nearest that can be reached with the others: ");
            append3(&msg, line, ")", "");
        } else if (fabs(act - row->rhs) <= 1e-6 * (1 + fabs(row->rhs))) {
            if (append3(&involved, "\n  ", row->label, "") != 0)
                break;
        }
    }
    if (msg && involved)
        append3(&msg, "\ntogether with these binding constraints:", involved, "");
    free(involved);
    sol->lp.x = keep;
    free(sol->ch_kpi);
    free(sol->cp_kpi);
    free(sol->ch_marginal);
    free(sol->kw);
    sol->ch_kpi = sol->cp_kpi = sol->ch_marginal = NULL;
    sol->kw = NULL;
    sol->nkw = 0;
    memset(sol->kpi, 0, sizeof sol->kpi);
    mpi_lp_sol_free(&es);
    free(first_e);
    mpi_lp_free(&el);
    sol->explain = msg;
    return msg ? MP_OK : mpi_fail(MP_ERR_NOMEM, "out of memory");
}

/* ---- entry points ----------------------------------------------------- */

mp_status mpi_solution_finish(mp_solution *sol, const mp_solve_opts *opts)
{
    mp_status st = MP_OK;
    switch (sol->lp.status) {
    case MPI_LP_INFEASIBLE:
        sol->result = MP_RESULT_INFEASIBLE;
        st = explain_infeasible(sol, opts);
        break;
    case MPI_LP_UNBOUNDED:
        sol->result = MP_RESULT_UNBOUNDED;
        sol->explain =
            mpi_strdup("the objective is unbounded: a constraint or the budget is missing");
        break;
    case MPI_LP_TIME_LIMIT:
        /* The dual simplex meets the rows only at its end: a point it stopped
         * at is a plan only if it already meets them. */
        if (!rows_hold(&sol->model.lp, sol->lp.x))
            return mpi_fail(MP_ERR_SOLVER,
                            "%s: the time limit ran out before a plan meeting every constraint "
                            "was found; allow more time (--time-limit)",
                            sol->plan->path);
        sol->result = MP_RESULT_TIME_LIMIT;
        break;
    default: sol->result = MP_RESULT_OPTIMAL;
    }
    if (st == MP_OK && (sol->result == MP_RESULT_OPTIMAL || sol->result == MP_RESULT_TIME_LIMIT) &&
        !refill_in_order(&sol->model, sol->lp.x)) {
        /* The LP fills a curve out of order, which no real plan can do. */
        st = solve_in_order(sol, opts);
        if (st == MP_OK && sol->lp.status == MPI_LP_INFEASIBLE) {
            sol->result = MP_RESULT_INFEASIBLE;
            sol->explain = mpi_strdup(
                "no plan meets every constraint once each response curve is filled in order "
                "(spending on a channel always brings the response of its first euros); an "
                "outcome cap is below what a spend floor or the budget necessarily brings");
        } else if (st == MP_OK && sol->lp.status == MPI_LP_TIME_LIMIT) {
            sol->result = MP_RESULT_TIME_LIMIT;
        }
    }
    if (st == MP_OK && (sol->result == MP_RESULT_OPTIMAL || sol->result == MP_RESULT_TIME_LIMIT)) {
        /* A scenario's objective is its KPI total (the same sum, in another
         * order), unless it is reach, which the LP takes from reach curves. */
        int from_kpi = sol->light && sol->plan->obj_kpi != MPI_REACH;
        double obj = 0;
        for (size_t j = 0; j < sol->model.lp.ncols && !from_kpi; j++)
            obj += sol->model.lp.obj[j] * sol->lp.x[j];
        sol->objective = obj;
        st = aggregate(sol);
        if (st == MP_OK && from_kpi)
            sol->objective = sol->kpi[sol->plan->obj_kpi];
        if (st == MP_OK)
            st = fill_rows(sol);
    }
    return st;
}

mp_status mp_plan_solve(const mp_plan *plan, const mp_solve_opts *opts, mp_solution **out)
{
    mpi_clear_error();
    *out = NULL;
    mp_solution *sol = mpi_calloc(1, sizeof *sol);
    if (!sol)
        return mpi_fail(MP_ERR_NOMEM, "out of memory");
    sol->plan = plan;
    sol->reach_dedup = NAN;
    double t0 = now_s();
    mp_status st = mpi_model_build(plan, NULL, &sol->model);
    sol->build_s = now_s() - t0;
    if (st != MP_OK) {
        mp_solution_free(sol);
        return st;
    }
    char *why = mpi_explain_minimums(plan, plan->budget);
    if (why) {
        sol->result = MP_RESULT_INFEASIBLE;
        sol->explain = why;
        *out = sol;
        return MP_OK;
    }
    t0 = now_s();
    mpi_solve_deadline(opts ? opts->time_limit_s : 0); /* the limit is the whole solve's */
    st = mpi_model_solve(&sol->model, opts, &sol->lp);
    if (st == MP_OK)
        st = mpi_solution_finish(sol, opts);
    mpi_solve_deadline(0);
    sol->solve_s = now_s() - t0;
    if (st != MP_OK) {
        mp_solution_free(sol);
        return st;
    }
    *out = sol;
    return MP_OK;
}

static void col_namer(const void *ctx, size_t j, char *buf, size_t n)
{
    mpi_model_col_name(ctx, j, buf, n);
}

mp_status mp_plan_write_lp(const mp_plan *plan, const char *path)
{
    mpi_clear_error();
    mpi_model m;
    mp_status st = mpi_model_build(plan, NULL, &m);
    if (st == MP_OK) {
        char *tmp = NULL;
        st = mpi_atomic_begin(path, &tmp);
        if (st == MP_OK) {
            st = mpi_glpk_write_lp(&m.lp, col_namer, &m, tmp);
            mp_status st2 = mpi_atomic_end(tmp, path, st == MP_OK);
            if (st == MP_OK)
                st = st2;
            free(tmp);
        }
    }
    mpi_model_free(&m);
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
                return mpi_fail(MP_ERR_NOMEM, "out of memory");
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
