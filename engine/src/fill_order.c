/* Fill order: a maximising LP over concave curves fills each curve's segments
 * in order, but some constraint mixes (an outcome cap with a spend floor) make
 * it fill a later segment first, which no real plan can do. Such a plan is
 * refilled in order when its rows still hold, else re-solved as a MIP that
 * admits only in-order fills of the offending curves. */
#include "bound.h"
#include "solution.h"

#include <stdlib.h>
#include <string.h>

double mpi_row_activity(const mpi_lp *lp, size_t r, const double *x, double *scale)
{
    const mpi_row *row = &lp->rows[r];
    double act = 0, mag = fabs(row->rhs);
    for (size_t k = 0; k < row->len; k++) {
        double t = lp->val[row->start + k] * x[lp->ind[row->start + k]];
        act += t;
        mag += fabs(t);
    }
    if (scale)
        *scale = mag;
    return act;
}

/* The first segment of curve c past its first gap (a segment short of its
 * width) that xc (its columns' values) fills, or nseg when none: where c is
 * out of order. */
static int first_out_of_order(const mpi_curve *c, const double *xc)
{
    int state = 0;
    for (int s = 0; s < c->nseg; s++) {
        state = mpi_order_step(state, xc[s], mpi_curve_width(c, s));
        if (state == 2)
            return s;
    }
    return c->nseg;
}

/* One half of the out-of-order scan: curves [from, to). */
typedef struct order_half {
    const mpi_model *m;
    const double *x;
    unsigned char *flag;
    size_t from, to, added;
} order_half;

static void *order_half_run(void *arg)
{
    order_half *h = arg;
    h->added = 0;
    for (size_t i = h->from; i < h->to; i++) {
        const mpi_curve *c = &h->m->curves.v[i];
        if ((h->flag && h->flag[i]) || first_out_of_order(c, h->x + c->col) == c->nseg)
            continue;
        h->added++;
        if (!h->flag)
            break; /* one is enough */
        h->flag[i] = 1;
    }
    return NULL;
}

/* Flag the curves x fills out of order; returns how many were newly flagged
 * (with flag NULL: not 0 when a curve is out of order). Two fixed halves of
 * the curves, on two threads for many curves. */
static size_t flag_out_of_order(const mpi_model *m, const double *x, unsigned char *flag)
{
    size_t n = m->curves.n;
    order_half h[2] = {{m, x, flag, 0, n / 2, 0}, {m, x, flag, n / 2, n, 0}};
    mpi_halves_run(n, order_half_run, &h[0], &h[1]);
    return h[0].added + h[1].added;
}

int mpi_filled_in_order(const mpi_model *m, const double *x)
{
    return !flag_out_of_order(m, x, NULL);
}

int mpi_curve_filled_in_order(const mpi_curve *c, const double *xc)
{
    return first_out_of_order(c, xc) == c->nseg;
}

int mpi_refill_curve(const mpi_curve *c, const double *xc, double *out)
{
    int changed = 0;
    double total = 0;
    for (int s = 0; s < c->nseg; s++)
        total += xc[s];
    double left = total;
    for (int s = 0; s < c->nseg; s++) {
        double v = left < mpi_curve_width(c, s) ? left : mpi_curve_width(c, s);
        if (v < 0)
            v = 0;
        if (fabs(v - xc[s]) > 1e-7 * (1 + mpi_curve_width(c, s)))
            changed = 1;
        out[s] = v; /* xc[s] read: out may be xc */
        left -= v;
    }
    return changed;
}

int mpi_refill_curves(const mpi_model *m, double *x)
{
    int changed = 0;
    for (size_t i = 0; i < m->curves.n; i++) {
        const mpi_curve *c = &m->curves.v[i];
        if (mpi_refill_curve(c, x + c->col, x + c->col))
            changed = 1;
    }
    return changed;
}

/* Curve c refilled in order into out to the same amount of the objective's
 * KPI q as xc gives it, on fewer euros (a concave curve's first segments
 * yield the most of it a euro); 0, out untouched, when a segment yields
 * none of q (its amount says nothing of the spend). */
static int refill_curve_objective(const mpi_curve *c, int q, const double *xc, double *out)
{
    double yv[MPI_NKPI], want = 0;
    for (int s = 0; s < c->nseg; s++) {
        mpi_curve_yields(c, s, yv);
        if (!(yv[q] > 0))
            return 0;
        want += yv[q] * xc[s];
    }
    for (int s = 0; s < c->nseg; s++) {
        mpi_curve_yields(c, s, yv);
        double v = fmax(0, fmin(mpi_curve_width(c, s), want / yv[q]));
        want -= v * yv[q];
        out[s] = v; /* xc[s] read: out may be xc */
    }
    return 1;
}

/* A minimised KPI (min co2) is not "at least as good" with each curve
 * refilled at the same spend: the first segments bring more of every KPI, the
 * minimised one too. Where segments tie on it (every segment of a keyword
 * emits as much a conversion), the LP may have bought a floor of
 * conversions on later, dearer segments; that plan refilled in order keeps
 * its objective on fewer euros, the curve's other KPIs (when proportional
 * to it) as they were. Curves whose objective counts the money paid
 * (carryover) are refilled at the same spend. 1 when y changed. */
static int refill_curves_objective(const mpi_model *m, double *y)
{
    int changed = 0, q = m->plan->obj_kpi;
    for (size_t i = 0; i < m->curves.n; i++) {
        const mpi_curve *c = &m->curves.v[i];
        double *xc = y + c->col;
        if (first_out_of_order(c, xc) == c->nseg)
            continue;
        if (mpi_obj_carry(m, c) != 0 || !refill_curve_objective(c, q, xc, xc))
            mpi_refill_curve(c, xc, xc);
        changed = 1;
    }
    return changed;
}

/* Whether the objective minimises a KPI other than spend. */
static int minimises_kpi(const mp_plan *plan)
{
    return plan->obj_sense < 0 && plan->obj_kpi != MPI_SPEND && !plan->obj_eff;
}

/* y (a copy of x) refilled in order on its objective (refill_curves_objective)
 * where the plan minimises a KPI and every row still holds: *done 1. */
static mp_status refill_objective(const mpi_model *m, const double *x, double *y, size_t n,
                                  int *done)
{
    *done = 0;
    if (!minimises_kpi(m->plan) || !refill_curves_objective(m, y))
        return MP_OK;
    mp_status st = mpi_model_rows_hold(m, y, done);
    if (st == MP_OK && !*done) /* a row breaks: at the same spend, as any plan */
        memcpy(y, x, n * sizeof(double));
    return st;
}

mp_status mpi_refill_in_order(const mpi_model *m, double *x, int *in_order, int *moved)
{
    size_t n = m->lp.ncols;
    *in_order = 1;
    if (moved)
        *moved = 0;
    if (!flag_out_of_order(m, x, NULL))
        return MP_OK; /* in order already */
    double *y = mpi_malloc((n ? n : 1) * sizeof(double));
    if (!y)
        return mpi_nomem();
    memcpy(y, x, n * sizeof(double));
    int done = 0;
    mp_status st = refill_objective(m, x, y, n, &done);
    if (st == MP_OK && !done && mpi_refill_curves(m, y))
        st = mpi_model_rows_hold(m, y, in_order);
    if (st == MP_OK && *in_order)
        memcpy(x, y, n * sizeof(double));
    if (moved)
        *moved = st == MP_OK && *in_order;
    free(y);
    return st;
}

/* Room for the model's columns and rows and, for the nb binaries of the
 * flagged curves, their columns and two rows each (nnz: the model's rows'). */
static mp_status alloc_in_order(const mpi_model *m, size_t nb, size_t nnz, mpi_lp *out)
{
    memset(out, 0, sizeof *out);
    out->sense = m->lp.sense;
    out->ncols = m->lp.ncols + nb;
    out->nrows = out->rcap = m->lp.nrows + 2 * nb;
    out->nnz = out->nzcap = nnz + 4 * nb;
    out->obj = mpi_calloc(out->ncols + 1, sizeof(double));
    out->ub = mpi_calloc(out->ncols + 1, sizeof(double));
    out->binary = mpi_calloc(out->ncols + 1, 1);
    out->rows = mpi_calloc(out->nrows + 1, sizeof *out->rows);
    out->ind = mpi_calloc(out->nnz + 1, sizeof(size_t));
    out->val = mpi_calloc(out->nnz + 1, sizeof(double));
    if (!out->obj || !out->ub || !out->binary || !out->rows || !out->ind || !out->val) {
        mpi_lp_free(out);
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory building the in-order MIP"));
    }
    return MP_OK;
}

/* The model's columns and rows, from its curves and class terms: the LP
 * mpi_model_lp builds, coefficient for coefficient, without its matrix. */
static void model_part(const mpi_model *m, const mpi_row_classes *t, mpi_lp *out)
{
    for (size_t i = 0; i < m->curves.n; i++) {
        const mpi_curve *c = &m->curves.v[i];
        double carry = mpi_obj_carry(m, c);
        for (int s = 0; s < c->nseg; s++) {
            out->obj[c->col + (size_t)s] = mpi_curve_yield(c, s, m->plan->obj_kpi) + carry;
            out->ub[c->col + (size_t)s] = mpi_curve_width(c, s);
        }
    }
    size_t k = 0;
    for (size_t r = 0; r < m->lp.nrows; r++) {
        out->rows[r] = m->lp.rows[r];
        out->rows[r].name = out->rows[r].label = NULL;
        out->rows[r].start = k;
        out->rows[r].len = mpi_row_classes_row(t, m, r, out->ind + k, out->val + k);
        k += out->rows[r].len;
    }
}

/* For each flagged curve, binaries z_s ("segment s is full") with x_s >= w_s
 * z_s and x_(s+1) <= w_(s+1) z_s: the incremental formulation, which admits
 * only plans that fill those curves in order. k: the first free entry. */
static void order_part(const mpi_model *m, const unsigned char *flag, size_t k, mpi_lp *out)
{
    size_t z = m->lp.ncols, r = m->lp.nrows;
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
            out->val[k++] = -mpi_curve_width(c, s);
            out->rows[r++] = full;
            mpi_row next = {.kind = MPI_ROW_ORDER, .op = MPI_LE, .rhs = 0, .start = k, .len = 2};
            out->ind[k] = col + 1;
            out->val[k++] = 1;
            out->ind[k] = z;
            out->val[k++] = -mpi_curve_width(c, s + 1);
            out->rows[r++] = next;
        }
    }
}

/* The LP plus the in-order binaries of the flagged curves, built from the
 * curves (the model's matrix is not read). */
static mp_status build_in_order(const mpi_model *m, const unsigned char *flag, mpi_lp *out)
{
    size_t nb = 0, nnz = 0;
    for (size_t i = 0; i < m->curves.n; i++)
        if (flag[i] && m->curves.v[i].nseg > 1)
            nb += (size_t)m->curves.v[i].nseg - 1;
    mpi_row_classes t;
    mp_status st = mpi_row_classes_init(m, &t);
    for (size_t r = 0; st == MP_OK && r < m->lp.nrows; r++)
        nnz += mpi_row_classes_row(&t, m, r, NULL, NULL);
    if (st == MP_OK)
        st = alloc_in_order(m, nb, nnz, out);
    if (st == MP_OK) {
        model_part(m, &t, out);
        order_part(m, flag, nnz, out);
    }
    mpi_row_classes_free(&t);
    return st;
}

mp_status mpi_solve_in_order(mp_solution *sol, const mp_solve_opts *opts)
{
    const mpi_model *m = &sol->model;
    unsigned char *flag = mpi_calloc(m->curves.n, 1);
    if (!flag)
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    mp_status st = MP_OK;
    for (;;) {
        if (!flag_out_of_order(m, sol->lp.x, flag)) {
            st = mpi_fail(MP_ERR_INTERNAL,
                          N_("%s: a plan breaks a constraint when its curves are "
                             "filled in order, yet no curve is out of order"),
                          m->plan->path);
            break;
        }
        mpi_lp mip;
        if ((st = build_in_order(m, flag, &mip)) != MP_OK)
            break;
        mpi_lp_sol ms;
        st = mpi_glpk_solve(&mip, opts, &ms);
        mpi_lp_free(&mip);
        if (st == MP_OK && mpi_lp_sol_pointless(&ms)) {
            mpi_lp_sol_free(&ms);
            st = mpi_fail(MP_ERR_SOLVER, N_("time limit reached before any plan filling the "
                                            "curves in order was found"));
        }
        if (st != MP_OK)
            break;
        sol->lp.status = ms.status;
        if (ms.status != MPI_LP_OPTIMAL && ms.status != MPI_LP_TIME_LIMIT) {
            mpi_lp_sol_free(&ms);
            break;
        }
        memcpy(sol->lp.x, ms.x, m->lp.ncols * sizeof(double));
        if (!sol->relax_dual) /* the bound takes the LP relaxation's prices */
            sol->relax_dual = sol->lp.row_dual;
        else
            free(sol->lp.row_dual);
        sol->lp.row_dual = mpi_calloc(m->lp.nrows ? m->lp.nrows : 1, sizeof(double));
        if (!sol->lp.row_dual) {
            mpi_lp_sol_free(&ms);
            st = mpi_nomem();
            break;
        }
        sol->lp.mip = 1;
        mpi_lp_sol_free(&ms);
        int in_order = 0;
        if ((st = mpi_refill_in_order(m, sol->lp.x, &in_order, NULL)) != MP_OK || in_order)
            break;
    }
    free(flag);
    return st;
}
