/* Fill order: a maximising LP over concave curves fills each curve's segments
 * in order, but some constraint mixes (an outcome cap with a spend floor) make
 * it fill a later segment first, which no real plan can do. Such a plan is
 * refilled in order when its rows still hold, else re-solved as a MIP that
 * admits only in-order fills of the offending curves. */
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

int mpi_rows_hold(const mpi_lp *lp, const double *x)
{
    for (size_t r = 0; r < lp->nrows; r++) {
        const mpi_row *row = &lp->rows[r];
        double scale, act = mpi_row_activity(lp, r, x, &scale);
        double tol = 1e-6 * (1 + scale);
        if ((row->op == MPI_LE && act > row->rhs + tol) ||
            (row->op == MPI_GE && act < row->rhs - tol) ||
            (row->op == MPI_EQ && fabs(act - row->rhs) > tol))
            return 0;
    }
    return 1;
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
            if (gap && v > 1e-7 * (1 + mpi_curve_width(c, s))) {
                if (!flag)
                    return 1;
                flag[i] = 1;
                added++;
            }
            if (v < mpi_curve_width(c, s) * (1 - 1e-7) - 1e-7)
                gap = 1;
        }
    }
    return added;
}

mp_status mpi_refill_in_order(const mpi_model *m, double *x, int *in_order)
{
    const mpi_lp *lp = &m->lp;
    int changed = 0;
    *in_order = 1;
    if (!flag_out_of_order(m, x, NULL))
        return MP_OK; /* in order already */
    double *y = mpi_calloc(lp->ncols, sizeof(double));
    if (!y)
        return mpi_nomem();
    memcpy(y, x, lp->ncols * sizeof(double));
    for (size_t i = 0; i < m->curves.n; i++) {
        const mpi_curve *c = &m->curves.v[i];
        double total = 0;
        for (int s = 0; s < c->nseg; s++)
            total += y[c->col + (size_t)s];
        double left = total;
        for (int s = 0; s < c->nseg; s++) {
            double v = left < mpi_curve_width(c, s) ? left : mpi_curve_width(c, s);
            if (v < 0)
                v = 0;
            if (fabs(v - y[c->col + (size_t)s]) > 1e-7 * (1 + mpi_curve_width(c, s)))
                changed = 1;
            y[c->col + (size_t)s] = v;
            left -= v;
        }
    }
    *in_order = !changed || mpi_rows_hold(lp, y);
    if (*in_order)
        memcpy(x, y, lp->ncols * sizeof(double));
    free(y);
    return MP_OK;
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
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory building the in-order MIP"));
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
    return MP_OK;
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
        if ((st = mpi_refill_in_order(m, sol->lp.x, &in_order)) != MP_OK || in_order)
            break;
    }
    free(flag);
    return st;
}
