/* Re-solving near a known optimum. An LP of this shape has many boxed
 * columns and few rows: given row prices pi (the duals of a nearby optimum),
 * every column whose reduced cost is clearly signed sits at a bound, and only
 * the few near zero are in question. GLPK solves the small problem over
 * those; the result is checked against every column's reduced cost under the
 * new prices, and columns that price out wrongly join the small problem until
 * none does. The answer is then optimal for the whole LP (primal feasible,
 * dual feasible, complementary), not an approximation. */
#include "model.h"

#include <stdlib.h>
#include <string.h>

enum { AT_LOW, AT_UP, FREE };

/* Rows that hold every column (the budget, shares of spend) are read as
 * dense vectors, column by column; the others (sparse) are scattered. */
typedef struct rowsplit {
    size_t nd;           /* dense rows */
    size_t *dense;       /* [nd] their indices */
    const double **dval; /* [nd] their coefficients, column j at dval[i][j] */
    double *dpi;         /* [nd] their prices */
    int sparse;          /* some sparse row has a price */
} rowsplit;

static void split_prices(const mpi_lp *lp, const double *pi, rowsplit *rs)
{
    rs->sparse = 0;
    for (size_t i = 0; i < rs->nd; i++)
        rs->dpi[i] = pi[rs->dense[i]];
    for (size_t r = 0; r < lp->nrows; r++)
        if (lp->rows[r].len != lp->ncols && pi[r] != 0)
            rs->sparse = 1;
}

/* The sparse rows' part of the reduced costs: d = obj - A_sparse^T pi, and
 * with scale the magnitude of its terms. */
static void sparse_costs(const mpi_lp *lp, const double *pi, double *d, double *scale)
{
    memcpy(d, lp->obj, lp->ncols * sizeof(double));
    if (scale)
        for (size_t j = 0; j < lp->ncols; j++)
            scale[j] = fabs(lp->obj[j]);
    for (size_t r = 0; r < lp->nrows; r++) {
        const mpi_row *row = &lp->rows[r];
        if (pi[r] == 0 || row->len == lp->ncols)
            continue;
        const size_t *ind = lp->ind + row->start;
        const double *val = lp->val + row->start;
        for (size_t k = 0; k < row->len; k++) {
            double t = pi[r] * val[k];
            d[ind[k]] -= t;
            if (scale)
                scale[ind[k]] += fabs(t);
        }
    }
}

/* Column j's reduced cost: its sparse part (d, or the objective when no
 * sparse row has a price) less the dense rows'; *mag gets the magnitude of
 * its terms in the same way. */
static inline double reduced_cost(const mpi_lp *lp, const rowsplit *rs, const double *d,
                                  const double *scale, size_t j, double *mag)
{
    double dj = rs->sparse ? d[j] : lp->obj[j];
    double a = rs->sparse && scale ? scale[j] : fabs(lp->obj[j]);
    for (size_t i = 0; i < rs->nd; i++) {
        double t = rs->dpi[i] * rs->dval[i][j];
        dj -= t;
        a += fabs(t);
    }
    *mag = a;
    return dj;
}

/* The side a column belongs on: with sense +1 (max), d > 0 wants the upper bound. */
static int side(double d, double sense, double band)
{
    double s = d * sense;
    return s > band ? AT_UP : s < -band ? AT_LOW : FREE;
}

/* The first entry at or after e of a row (entries in increasing column
 * order) whose column is at least j. */
static size_t seek(const size_t *ind, size_t e, size_t end, size_t j)
{
    while (e < end) {
        size_t mid = e + (end - e) / 2;
        if (ind[mid] < j)
            e = mid + 1;
        else
            end = mid;
    }
    return e;
}

/* The small problem over the free columns map[0..k); the others are fixed at
 * xfix and move into the row bounds. fixed[r] gets row r's activity from
 * them (the dense rows' is given). */
static mp_status build_small(const mpi_lp *lp, const size_t *map, size_t k, const double *xfix,
                             double *fixed, mpi_lp *small)
{
    /* a row holds a column at most once: k entries a row at most */
    size_t cap = lp->nrows && k > lp->nnz / lp->nrows ? lp->nnz : k * lp->nrows;
    mpi_lp_free(small);
    small->sense = lp->sense;
    small->ncols = k;
    small->nrows = small->rcap = lp->nrows;
    small->obj = mpi_calloc(k ? k : 1, sizeof(double));
    small->ub = mpi_calloc(k ? k : 1, sizeof(double));
    small->rows = mpi_calloc(lp->nrows ? lp->nrows : 1, sizeof *small->rows);
    small->ind = mpi_malloc(sizeof(size_t) * (cap ? cap : 1));
    small->val = mpi_malloc(sizeof(double) * (cap ? cap : 1));
    if (!small->obj || !small->ub || !small->rows || !small->ind || !small->val)
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
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
        const size_t *ind = lp->ind + row->start;
        const double *val = lp->val + row->start;
        if (row->len == lp->ncols) { /* dense: entry j is column j */
            for (size_t i = 0; i < k; i++) {
                small->ind[small->nnz] = i;
                small->val[small->nnz++] = val[map[i]];
            }
        } else {
            double f = 0;
            for (size_t e = 0; e < row->len; e++)
                f += val[e] * xfix[ind[e]];
            fixed[r] = f;
            /* the free columns' entries, found by search: both lists ascend */
            size_t e = 0;
            for (size_t i = 0; i < k && e < row->len; i++) {
                e = seek(ind, e, row->len, map[i]);
                if (e < row->len && ind[e] == map[i]) {
                    small->ind[small->nnz] = i;
                    small->val[small->nnz++] = val[e];
                }
            }
        }
        sr->len = small->nnz - sr->start;
        sr->rhs = row->rhs - fixed[r];
        sr->size = fmax(row->size, fabs(row->rhs) + fabs(fixed[r]));
    }
    return MP_OK;
}

/* The whole LP's solution from the small one's; takes xfix. */
static mp_status assemble(const mpi_lp *lp, const mpi_lp *small, const size_t *map, double *xfix,
                          const double *fixed, double fixed_obj, const mpi_lp_sol *ss,
                          const double *pi, mpi_lp_sol *sol)
{
    size_t m = lp->nrows;
    sol->x = xfix;
    sol->row_act = mpi_calloc(m ? m : 1, sizeof(double));
    sol->row_dual = mpi_calloc(m ? m : 1, sizeof(double));
    if (!sol->row_act || !sol->row_dual) {
        mpi_lp_sol_free(sol);
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    }
    double obj = fixed_obj;
    for (size_t i = 0; i < small->ncols; i++) {
        sol->x[map[i]] = ss->x[i];
        obj += small->obj[i] * ss->x[i];
    }
    for (size_t r = 0; r < m; r++) {
        const mpi_row *sr = &small->rows[r];
        double act = fixed[r];
        for (size_t e = 0; e < sr->len; e++)
            act += small->val[sr->start + e] * ss->x[small->ind[sr->start + e]];
        sol->row_act[r] = act;
        sol->row_dual[r] = pi[r];
    }
    sol->obj = obj;
    sol->status = MPI_LP_OPTIMAL;
    return MP_OK;
}

/* The work of one solve near a known optimum. */
typedef struct near_state {
    double *d, *scale;    /* [n] sparse part of reduced costs; magnitudes of the first */
    unsigned char *state; /* [n] AT_LOW, AT_UP or FREE */
    size_t *map, k;       /* the free columns map[0..k) */
    double *xfix;         /* [n] the fixed columns' values */
    double *pi, *fixed;   /* [m] row prices; the fixed columns' activity per row */
    double fixed_obj;     /* the fixed columns' part of the objective */
    rowsplit rs;
    mpi_lp small;
} near_state;

static void near_free(near_state *ns)
{
    free(ns->d);
    free(ns->scale);
    free(ns->state);
    free(ns->map);
    free(ns->xfix);
    free(ns->pi);
    free(ns->fixed);
    free(ns->rs.dense);
    free(ns->rs.dval);
    free(ns->rs.dpi);
    mpi_lp_free(&ns->small);
}

/* The work arrays, and which rows are dense. */
static mp_status near_init(const mpi_lp *lp, near_state *ns)
{
    size_t n = lp->ncols, m = lp->nrows, n1 = n ? n : 1, m1 = m ? m : 1;
    memset(ns, 0, sizeof *ns);
    ns->d = mpi_malloc(sizeof(double) * n1);
    ns->scale = mpi_malloc(sizeof(double) * n1);
    ns->state = mpi_malloc(n1);
    ns->map = mpi_malloc(sizeof(size_t) * n1);
    ns->xfix = mpi_malloc(sizeof(double) * n1);
    ns->pi = mpi_calloc(m1, sizeof(double));
    ns->fixed = mpi_calloc(m1, sizeof(double));
    ns->rs.dense = mpi_calloc(m1, sizeof(size_t));
    ns->rs.dval = mpi_calloc(m1, sizeof(double *));
    ns->rs.dpi = mpi_calloc(m1, sizeof(double));
    if (!ns->d || !ns->scale || !ns->state || !ns->map || !ns->xfix || !ns->pi || !ns->fixed ||
        !ns->rs.dense || !ns->rs.dval || !ns->rs.dpi)
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    for (size_t r = 0; r < m; r++)
        if (lp->rows[r].len == n && n > 0) {
            ns->rs.dense[ns->rs.nd] = r;
            ns->rs.dval[ns->rs.nd++] = lp->val + lp->rows[r].start;
        }
    return MP_OK;
}

/* One pass under the starting prices: each column's side (columns within
 * band_rel of zero reduced cost stay free), its value when fixed, and the
 * fixed columns' part of the objective and dense rows. */
static void first_sides(const mpi_lp *lp, double band_rel, near_state *ns)
{
    const rowsplit *rs = &ns->rs;
    split_prices(lp, ns->pi, &ns->rs);
    if (rs->sparse)
        sparse_costs(lp, ns->pi, ns->d, ns->scale);
    for (size_t j = 0; j < lp->ncols; j++) {
        double dj = reduced_cost(lp, rs, ns->d, ns->scale, j, &ns->scale[j]);
        unsigned char sj =
            lp->ub[j] > 0 ? (unsigned char)side(dj, lp->sense, band_rel * ns->scale[j]) : AT_LOW;
        ns->state[j] = sj;
        if (sj == FREE)
            ns->map[ns->k++] = j;
        double xj = sj == AT_UP ? lp->ub[j] : 0;
        ns->xfix[j] = xj;
        ns->fixed_obj += lp->obj[j] * xj;
        for (size_t i = 0; i < rs->nd; i++)
            ns->fixed[rs->dense[i]] += rs->dval[i][j] * xj;
    }
}

/* Under the new prices ns->pi, free every fixed column that prices out on
 * the wrong side (the magnitudes of the first prices serve as the scale);
 * returns how many. */
static size_t free_wrong(const mpi_lp *lp, double tol_rel, near_state *ns)
{
    const rowsplit *rs = &ns->rs;
    split_prices(lp, ns->pi, &ns->rs);
    if (rs->sparse)
        sparse_costs(lp, ns->pi, ns->d, NULL);
    size_t wrong = 0;
    for (size_t j = 0; j < lp->ncols; j++) {
        if (ns->state[j] == FREE || !(lp->ub[j] > 0))
            continue;
        double mag, s = reduced_cost(lp, rs, ns->d, NULL, j, &mag) * lp->sense;
        double tol = tol_rel * (ns->scale[j] + 1e-12);
        if ((ns->state[j] == AT_UP && s < -tol) || (ns->state[j] == AT_LOW && s > tol)) {
            if (ns->state[j] == AT_UP) {
                ns->fixed_obj -= lp->obj[j] * ns->xfix[j];
                for (size_t i = 0; i < rs->nd; i++)
                    ns->fixed[rs->dense[i]] -= rs->dval[i][j] * ns->xfix[j];
            }
            ns->state[j] = FREE;
            ns->xfix[j] = 0;
            wrong++;
        }
    }
    return wrong;
}

/* One round: solve the small problem over the free columns and take its
 * prices; *done when every fixed column still prices out on its side (sol is
 * then the whole LP's optimum), *fallback when the small problem has none. */
static mp_status near_round(const mpi_lp *lp, const mp_solve_opts *opts, double tol_rel,
                            near_state *ns, mpi_lp_sol *sol, int *done, int *fallback)
{
    mp_status st = build_small(lp, ns->map, ns->k, ns->xfix, ns->fixed, &ns->small);
    if (st != MP_OK)
        return st;
    mpi_lp_sol ss;
    if ((st = mpi_glpk_solve(&ns->small, opts, &ss)) == MP_ERR_SOLVER) {
        /* an answer that fails its check (the small problem's rows are parts of
         * larger ones): the whole LP is solved and checked instead */
        mpi_clear_error();
        *fallback = 1;
        return MP_OK;
    }
    if (st != MP_OK)
        return st;
    if (ss.status != MPI_LP_OPTIMAL) {
        /* the fixings may be what makes it infeasible: let the caller solve it all */
        mpi_lp_sol_free(&ss);
        *fallback = 1;
        return MP_OK;
    }
    memcpy(ns->pi, ss.row_dual, lp->nrows * sizeof(double));
    if (!free_wrong(lp, tol_rel, ns)) { /* optimal for the whole LP */
        st =
            assemble(lp, &ns->small, ns->map, ns->xfix, ns->fixed, ns->fixed_obj, &ss, ns->pi, sol);
        ns->xfix = NULL; /* assemble took it */
        mpi_lp_sol_free(&ss);
        *done = 1;
        return st;
    }
    mpi_lp_sol_free(&ss);
    ns->k = 0;
    for (size_t j = 0; j < lp->ncols; j++)
        if (ns->state[j] == FREE)
            ns->map[ns->k++] = j;
    return MP_OK;
}

/* The assembled solution checked against the whole LP in double, as every
 * solver's answer is (lpnum.c): one that fails is dropped for a solve of it all. */
static mp_status near_verified(const mpi_lp *lp, mpi_lp_sol *sol, int *fallback)
{
    mpi_lp_check chk;
    mp_status st = mpi_lp_verify(lp, sol, &chk);
    if (st != MP_OK || !chk.ok) {
        mpi_lp_sol_free(sol);
        *fallback = st == MP_OK;
    }
    return st;
}

mp_status mpi_lp_solve_near(const mpi_lp *lp, const double *pi0, const mp_solve_opts *opts,
                            mpi_lp_sol *sol, int *fallback)
{
    const double band_rel = 0.01; /* columns within 1 % of zero reduced cost stay free */
    const double tol_rel = 1e-9;
    *fallback = 0;
    memset(sol, 0, sizeof *sol);
    near_state ns;
    mp_status st = near_init(lp, &ns);
    if (st == MP_OK) {
        memcpy(ns.pi, pi0, lp->nrows * sizeof(double));
        first_sides(lp, band_rel, &ns);
        int done = 0;
        for (int round = 0; st == MP_OK && !done && !*fallback && round < 30; round++)
            st = near_round(lp, opts, tol_rel, &ns, sol, &done, fallback);
        if (st == MP_OK && !done)
            *fallback = 1; /* did not settle: solve it all */
    }
    near_free(&ns);
    if (st == MP_OK && !*fallback)
        st = near_verified(lp, sol, fallback);
    return st;
}

/* A coarser LP: each run of up to `group` consecutive segments of a curve
 * becomes one column of the summed width and the width-weighted mean
 * coefficients (every row coefficient is linear in a segment's yields). Its
 * duals are close to the fine LP's. */
static mp_status coarsen(const mpi_model *m, const mpi_lp *lp, size_t group, mpi_lp *out,
                         size_t *fine_to_coarse)
{
    memset(out, 0, sizeof *out);
    out->sense = lp->sense;
    size_t nc = 0;
    for (size_t i = 0; i < m->curves.n; i++)
        nc += ((size_t)m->curves.v[i].nseg + group - 1) / group;
    out->ncols = nc;
    out->nrows = out->rcap = lp->nrows;
    out->obj = mpi_calloc(nc, sizeof(double));
    out->ub = mpi_calloc(nc, sizeof(double));
    out->rows = mpi_calloc(lp->nrows ? lp->nrows : 1, sizeof *out->rows);
    out->ind = mpi_calloc(lp->nnz ? lp->nnz : 1, sizeof(size_t));
    out->val = mpi_calloc(lp->nnz ? lp->nnz : 1, sizeof(double));
    double *acc = mpi_calloc(nc, sizeof(double));
    if (!out->obj || !out->ub || !out->rows || !out->ind || !out->val || !acc) {
        free(acc);
        mpi_lp_free(out);
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    }
    size_t k = 0;
    for (size_t i = 0; i < m->curves.n; i++) {
        const mpi_curve *c = &m->curves.v[i];
        for (int s = 0; s < c->nseg; s++) {
            size_t j = c->col + (size_t)s, g = k + (size_t)s / group;
            fine_to_coarse[j] = g;
            out->ub[g] += lp->ub[j];
            out->obj[g] += lp->obj[j] * lp->ub[j];
        }
        k += ((size_t)c->nseg + group - 1) / group;
    }
    for (size_t g = 0; g < nc; g++)
        out->obj[g] = out->ub[g] > 0 ? out->obj[g] / out->ub[g] : 0;
    for (size_t r = 0; r < lp->nrows; r++) {
        const mpi_row *row = &lp->rows[r];
        mpi_row *cr = &out->rows[r];
        *cr = *row;
        cr->name = cr->label = NULL;
        cr->start = out->nnz;
        /* the fine entries of a row come in column order, so groups are contiguous */
        for (size_t e = 0; e < row->len; e++) {
            size_t j = lp->ind[row->start + e], g = fine_to_coarse[j];
            if (out->nnz == cr->start || out->ind[out->nnz - 1] != g) {
                out->ind[out->nnz] = g;
                out->val[out->nnz++] = 0;
            }
            out->val[out->nnz - 1] += lp->val[row->start + e] * lp->ub[j];
        }
        for (size_t e = cr->start; e < out->nnz; e++)
            out->val[e] = out->ub[out->ind[e]] > 0 ? out->val[e] / out->ub[out->ind[e]] : 0;
        cr->len = out->nnz - cr->start;
    }
    free(acc);
    return MP_OK;
}

mp_status mpi_model_solve_explicit(const mpi_model *m, const mp_solve_opts *opts, mpi_lp_sol *sol)
{
    if (mpi_deadline_passed()) /* GLPK loads nothing then: the headers do */
        return mpi_glpk_solve(&m->lp, opts, sol);
    mpi_lp lp;
    memset(sol, 0, sizeof *sol);
    mp_status st = mpi_model_explicit(m, &lp);
    if (st == MP_OK)
        st = mpi_glpk_solve(&lp, opts, sol);
    mpi_lp_free(&lp);
    return st;
}

/* Near: the duals of an eight times coarser LP start a solve near them, on
 * lp (m's explicit LP). */
static mp_status solve_near_coarse(const mpi_model *m, const mpi_lp *lp, const mp_solve_opts *opts,
                                   mpi_lp_sol *sol)
{
    size_t *f2c = mpi_calloc(lp->ncols ? lp->ncols : 1, sizeof(size_t));
    if (!f2c)
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    mpi_lp coarse;
    mp_status st = coarsen(m, lp, 8, &coarse, f2c);
    free(f2c);
    if (st != MP_OK)
        return st;
    mpi_lp_sol cs;
    st = mpi_glpk_solve(&coarse, opts, &cs);
    mpi_lp_free(&coarse);
    if (st != MP_OK)
        return st;
    int fallback = 1;
    if (cs.status == MPI_LP_OPTIMAL)
        st = mpi_lp_solve_near(lp, cs.row_dual, opts, sol, &fallback);
    mpi_lp_sol_free(&cs);
    if (st == MP_OK && fallback)
        st = mpi_glpk_solve(lp, opts, sol);
    return st;
}

/* The methods on the explicit LP: near pi when given, else direct or from a
 * coarser LP's duals; *fallback: solved without the help of pi. */
static mp_status solve_on_explicit(const mpi_model *m, const double *pi, const mp_solve_opts *opts,
                                   mpi_lp_sol *sol, int *fallback)
{
    *fallback = 1;
    memset(sol, 0, sizeof *sol);
    if (mpi_deadline_passed())
        return mpi_glpk_solve(&m->lp, opts, sol);
    mpi_lp lp;
    mp_status st = mpi_model_explicit(m, &lp);
    if (st == MP_OK && pi)
        st = mpi_lp_solve_near(&lp, pi, opts, sol, fallback);
    if (st == MP_OK && *fallback) {
        mpi_lp_sol_free(sol);
        st = opts && opts->method == MP_METHOD_DIRECT ? mpi_glpk_solve(&lp, opts, sol)
                                                      : solve_near_coarse(m, &lp, opts, sol);
    }
    mpi_lp_free(&lp);
    return st;
}

mp_status mpi_model_solve(const mpi_model *m, const mp_solve_opts *opts, mpi_lp_sol *sol)
{
    mp_method method = opts ? opts->method : MP_METHOD_AUTO;
    if (method == MP_METHOD_AUTO)
        return mpi_model_solve_implicit(m, NULL, opts, sol);
    int fallback;
    return solve_on_explicit(m, NULL, opts, sol, &fallback);
}

mp_status mpi_model_solve_from(const mpi_model *m, const double *pi, const mp_solve_opts *opts,
                               mpi_lp_sol *sol, int *full)
{
    mp_method method = opts ? opts->method : MP_METHOD_AUTO;
    int fallback = 1;
    mp_status st = MP_OK;
    if (method == MP_METHOD_AUTO) {
        st = mpi_model_solve_implicit(m, pi, opts, sol);
        mpi_implicit_stats is;
        mpi_implicit_last(&is);
        fallback = !pi || is.whole;
    } else {
        st = solve_on_explicit(m, pi, opts, sol, &fallback);
    }
    if (full)
        *full = fallback;
    return st;
}

mp_status mpi_model_resolve(const mpi_model *m, const double *pi, const mp_solve_opts *opts,
                            mpi_lp_sol *sol)
{
    if (!opts || opts->method == MP_METHOD_AUTO)
        return mpi_model_resolve_implicit(m, pi, opts, sol);
    return mpi_model_solve_from(m, pi, opts, sol, NULL);
}
