/* Re-solving near a known optimum. An LP of this shape has many boxed
 * columns and few rows: given row prices pi (the duals of a nearby optimum),
 * every column whose reduced cost is clearly signed sits at a bound, and only
 * the few near zero are in question. GLPK solves the small problem over
 * those; the result is checked against every column's reduced cost under the
 * new prices, and columns that price out wrongly join the small problem until
 * none does. The answer is then optimal for the whole LP (primal feasible,
 * dual feasible, complementary), not an approximation. */
#include "lp.h"

#include <stdlib.h>
#include <string.h>

enum { AT_LOW, AT_UP, FREE };

/* d = obj - A^T pi */
static void reduced_costs(const mpi_lp *lp, const double *pi, double *d, double *scale)
{
    for (size_t j = 0; j < lp->ncols; j++) {
        d[j] = lp->obj[j];
        scale[j] = fabs(lp->obj[j]);
    }
    for (size_t r = 0; r < lp->nrows; r++) {
        const mpi_row *row = &lp->rows[r];
        if (pi[r] == 0)
            continue;
        for (size_t k = 0; k < row->len; k++) {
            double t = pi[r] * lp->val[row->start + k];
            d[lp->ind[row->start + k]] -= t;
            scale[lp->ind[row->start + k]] += fabs(t);
        }
    }
}

/* The side a column belongs on: with sense +1 (max), d > 0 wants the upper bound. */
static int side(double d, double sense, double band)
{
    double s = d * sense;
    return s > band ? AT_UP : s < -band ? AT_LOW : FREE;
}

/* The small problem: free columns only; fixed ones move into the row bounds. */
static mp_status build_small(const mpi_lp *lp, const unsigned char *state, size_t *map,
                             size_t *pos, mpi_lp *small)
{
    size_t k = 0, nnz = 0;
    for (size_t j = 0; j < lp->ncols; j++)
        if (state[j] == FREE) {
            map[k] = j;
            pos[j] = k++;
        }
    for (size_t r = 0; r < lp->nrows; r++) {
        const mpi_row *row = &lp->rows[r];
        for (size_t e = 0; e < row->len; e++)
            nnz += state[lp->ind[row->start + e]] == FREE;
    }
    mpi_lp_free(small);
    small->sense = lp->sense;
    small->ncols = k;
    small->nrows = small->rcap = lp->nrows;
    small->obj = mpi_calloc(k, sizeof(double));
    small->ub = mpi_calloc(k, sizeof(double));
    small->rows = mpi_calloc(lp->nrows ? lp->nrows : 1, sizeof *small->rows);
    small->ind = mpi_calloc(nnz ? nnz : 1, sizeof(size_t));
    small->val = mpi_calloc(nnz ? nnz : 1, sizeof(double));
    if (!small->obj || !small->ub || !small->rows || !small->ind || !small->val)
        return mpi_fail(MP_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < k; i++) {
        small->obj[i] = lp->obj[map[i]];
        small->ub[i] = lp->ub[map[i]];
    }
    for (size_t r = 0; r < lp->nrows; r++) {
        const mpi_row *row = &lp->rows[r];
        mpi_row *sr = &small->rows[r];
        *sr = *row;
        sr->name = sr->label = NULL;
        sr->start = small->nnz;
        double fixed = 0;
        for (size_t e = 0; e < row->len; e++) {
            size_t j = lp->ind[row->start + e];
            double a = lp->val[row->start + e];
            if (state[j] == FREE) {
                small->ind[small->nnz] = pos[j];
                small->val[small->nnz++] = a;
            } else if (state[j] == AT_UP) {
                fixed += a * lp->ub[j];
            }
        }
        sr->len = small->nnz - sr->start;
        sr->rhs = row->rhs - fixed;
    }
    return MP_OK;
}

mp_status mpi_lp_solve_near(const mpi_lp *lp, const double *pi0, const mp_solve_opts *opts,
                            mpi_lp_sol *sol, int *fallback)
{
    const double band_rel = 0.01; /* columns within 1 % of zero reduced cost stay free */
    const double tol_rel = 1e-9;
    size_t n = lp->ncols, m = lp->nrows;
    *fallback = 0;
    memset(sol, 0, sizeof *sol);
    double *d = malloc(sizeof(double) * (n ? n : 1));
    double *scale = malloc(sizeof(double) * (n ? n : 1));
    unsigned char *state = malloc(n ? n : 1);
    size_t *map = malloc(sizeof(size_t) * (n ? n : 1));
    size_t *pos = malloc(sizeof(size_t) * (n ? n : 1));
    double *pi = mpi_calloc(m ? m : 1, sizeof(double));
    mpi_lp small;
    memset(&small, 0, sizeof small);
    mp_status st = MP_OK;
    if (!d || !scale || !state || !map || !pos || !pi) {
        st = mpi_fail(MP_ERR_NOMEM, "out of memory");
        goto out;
    }
    memcpy(pi, pi0, m * sizeof(double));
    reduced_costs(lp, pi, d, scale);
    for (size_t j = 0; j < n; j++)
        state[j] = lp->ub[j] > 0 ? (unsigned char)side(d[j], lp->sense, band_rel * scale[j]) : AT_LOW;
    for (int round = 0; round < 30; round++) {
        if ((st = build_small(lp, state, map, pos, &small)) != MP_OK)
            goto out;
        mpi_lp_sol ss;
        if ((st = mpi_glpk_solve(&small, opts, &ss)) != MP_OK)
            goto out;
        if (ss.status != MPI_LP_OPTIMAL) {
            /* the fixings may be what makes it infeasible: let the caller solve it all */
            mpi_lp_sol_free(&ss);
            *fallback = 1;
            goto out;
        }
        memcpy(pi, ss.row_dual, m * sizeof(double));
        reduced_costs(lp, pi, d, scale);
        size_t wrong = 0;
        for (size_t j = 0; j < n; j++) {
            if (state[j] == FREE || !(lp->ub[j] > 0))
                continue;
            double s = d[j] * lp->sense, tol = tol_rel * (scale[j] + 1e-12);
            if ((state[j] == AT_UP && s < -tol) || (state[j] == AT_LOW && s > tol)) {
                state[j] = FREE;
                wrong++;
            }
        }
        if (wrong) {
            mpi_lp_sol_free(&ss);
            continue;
        }
        /* optimal for the whole LP: assemble the solution */
        sol->x = mpi_calloc(n, sizeof(double));
        sol->row_act = mpi_calloc(m ? m : 1, sizeof(double));
        sol->row_dual = mpi_calloc(m ? m : 1, sizeof(double));
        if (!sol->x || !sol->row_act || !sol->row_dual) {
            mpi_lp_sol_free(&ss);
            mpi_lp_sol_free(sol);
            st = mpi_fail(MP_ERR_NOMEM, "out of memory");
            goto out;
        }
        for (size_t j = 0; j < n; j++)
            sol->x[j] = state[j] == AT_UP ? lp->ub[j] : 0;
        for (size_t i = 0; i < small.ncols; i++)
            sol->x[map[i]] = ss.x[i];
        for (size_t r = 0; r < m; r++) {
            const mpi_row *row = &lp->rows[r];
            double act = 0;
            for (size_t e = 0; e < row->len; e++)
                act += lp->val[row->start + e] * sol->x[lp->ind[row->start + e]];
            sol->row_act[r] = act;
            sol->row_dual[r] = pi[r];
        }
        double obj = 0;
        for (size_t j = 0; j < n; j++)
            obj += lp->obj[j] * sol->x[j];
        sol->obj = obj;
        sol->status = MPI_LP_OPTIMAL;
        mpi_lp_sol_free(&ss);
        goto out;
    }
    *fallback = 1; /* did not settle: solve it all */
out:
    free(d);
    free(scale);
    free(state);
    free(map);
    free(pos);
    free(pi);
    mpi_lp_free(&small);
    return st;
}
