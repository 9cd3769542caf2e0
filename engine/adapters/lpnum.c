/* The LP's numbers, apart from any solver: the scale factors it is handed to
 * the solver with, and the check of a solution against the LP in double.
 *
 * A plan's magnitudes span many decades (a budget of 1e12 next to a segment
 * of a channel with a CPM of 1e-6, 1e-12 wide; yields of 1e14 conversions per
 * unit of currency next to 1e-6), where a solver's absolute tolerances mean
 * nothing. Measuring each column in its segment's width, each row in its
 * largest term and the objective in its largest term brings every bound to
 * about 1 and every row's largest coefficient to 1. The factors are powers of
 * two, which change no digit of any number, so the scaled LP is the same LP
 * and undoing the scale on the solution is exact. */
#include "lp.h"

#include <stdlib.h>
#include <string.h>

/* The power of two nearest to v (> 0, finite), else 1. */
static double pow2_near(double v)
{
    if (!(v > 0) || !isfinite(v))
        return 1;
    int e;
    double m = frexp(v, &e); /* v = m 2^e, 0.5 <= m < 1 */
    return ldexp(1, m < 0.70710678118654752 ? e - 1 : e);
}

void mpi_lp_scale_free(mpi_lp_scale *s)
{
    if (!s)
        return;
    free(s->row);
    free(s->col);
    memset(s, 0, sizeof *s);
}

mp_status mpi_lp_scale_init(const mpi_lp *lp, mpi_lp_scale *s)
{
    memset(s, 0, sizeof *s);
    s->row = mpi_calloc(lp->nrows ? lp->nrows : 1, sizeof(double));
    s->col = mpi_calloc(lp->ncols ? lp->ncols : 1, sizeof(double));
    if (!s->row || !s->col) {
        mpi_lp_scale_free(s);
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory scaling the LP"));
    }
    double obj_max = 0;
    for (size_t j = 0; j < lp->ncols; j++) {
        /* x_j = col_j x'_j, 0 <= x'_j <= about 1; an integer column unscaled,
           so that its whole values stay whole */
        s->col[j] = lp->binary && lp->binary[j] ? 1 : pow2_near(lp->ub[j]);
        obj_max = fmax(obj_max, fabs(lp->obj[j] * s->col[j]));
    }
    s->obj = 1 / pow2_near(obj_max);
    for (size_t r = 0; r < lp->nrows; r++) {
        const mpi_row *row = &lp->rows[r];
        double big = 0;
        for (size_t k = 0; k < row->len; k++) {
            size_t j = lp->ind[row->start + k];
            if (j < lp->ncols) /* else the solver reports the bad index */
                big = fmax(big, fabs(lp->val[row->start + k] * s->col[j]));
        }
        s->row[r] = 1 / pow2_near(big);
    }
    return MP_OK;
}

/* ---- the check of a solution ------------------------------------------ */

/* Row r's activity at x, in compensated summation (a budget row adds up
 * thousands of spends of very different sizes), and the sum of the sizes of
 * its terms. */
static double activity(const mpi_lp *lp, size_t r, const double *x, double *mag)
{
    const mpi_row *row = &lp->rows[r];
    double sum = 0, comp = 0, m = 0;
    for (size_t k = 0; k < row->len; k++) {
        double t = lp->val[row->start + k] * x[lp->ind[row->start + k]];
        double u = sum + t;
        comp += fabs(sum) >= fabs(t) ? (sum - u) + t : (t - u) + sum;
        sum = u;
        m += fabs(t);
    }
    *mag = m;
    return sum + comp;
}

/* How far row r's activity lies outside its bound, relative to the row's size. */
static double excess_rel(const mpi_row *row, double act, double mag)
{
    double over = row->op == MPI_LE   ? act - row->rhs
                  : row->op == MPI_GE ? row->rhs - act
                                      : fabs(act - row->rhs);
    if (!(over > 0))
        return 0;
    double size = fmax(fmax(fabs(row->rhs), mag), row->size);
    return size > 0 ? over / size : INFINITY;
}

#define SNAP_REL 1e-12

/* Columns into their bounds, row activities and the objective recomputed;
 * the worst row's relative excess into chk. */
static void check_primal(const mpi_lp *lp, mpi_lp_sol *sol, mpi_lp_check *chk)
{
    double obj = 0;
    for (size_t j = 0; j < lp->ncols; j++) {
        double x = sol->x[j];
        /* in a booked plan's answer, a value a 1e-12th of the column's range
           above 0 is branch and cut's round-off (1.8e-13 EUR on a TV period
           off the air): 0 (an LP's own bounds may be 1e15, an elastic row's) */
        if (sol->mip && x < SNAP_REL * lp->ub[j] && isfinite(lp->ub[j]))
            x = 0;
        sol->x[j] = x < 0 ? 0 : x > lp->ub[j] ? lp->ub[j] : x;
        obj += lp->obj[j] * sol->x[j];
    }
    sol->obj = obj;
    chk->worst_row = (size_t)-1;
    chk->excess_rel = 0;
    for (size_t r = 0; r < lp->nrows; r++) {
        double mag, act = activity(lp, r, sol->x, &mag);
        double e = excess_rel(&lp->rows[r], act, mag);
        sol->row_act[r] = act;
        if (e > chk->excess_rel) {
            chk->excess_rel = e;
            chk->worst_row = r;
        }
    }
}

/* Row r's price as a multiplier of the maximisation sense*obj, with the sign
 * its bound allows (a price of the wrong sign is no bound: it counts as 0). */
static double signed_price(const mpi_lp *lp, const mpi_lp_sol *sol, size_t r)
{
    double p = sol->row_dual[r] * lp->sense;
    int op = lp->rows[r].op;
    if ((op == MPI_LE && p < 0) || (op == MPI_GE && p > 0))
        return 0;
    return p;
}

/* Reduced costs as multipliers of the maximisation of sense*obj:
 * d_j = sense*c_j - (A^T p)_j. */
static void reduced_costs(const mpi_lp *lp, const mpi_lp_sol *sol, double *d)
{
    for (size_t j = 0; j < lp->ncols; j++)
        d[j] = lp->sense * lp->obj[j];
    for (size_t r = 0; r < lp->nrows; r++) {
        const mpi_row *row = &lp->rows[r];
        double p = signed_price(lp, sol, r);
        for (size_t k = 0; p != 0 && k < row->len; k++)
            d[lp->ind[row->start + k]] -= p * lp->val[row->start + k];
    }
}

/* Row r's coefficient on column j: at j in a row over every column, else
 * found by bisection (a row lists its columns in ascending order, lp.h). */
static double coef(const mpi_lp *lp, size_t r, size_t j)
{
    const mpi_row *row = &lp->rows[r];
    const size_t *ind = lp->ind + row->start;
    if (row->len == lp->ncols && ind[j] == j)
        return lp->val[row->start + j];
    size_t lo = 0, hi = row->len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ind[mid] < j)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < row->len && ind[lo] == j ? lp->val[row->start + lo] : 0;
}

/* How far column j's reduced cost d is on the wrong side of zero for where
 * the column sits, relative to the size of its terms |c_j| + sum |p_r a_rj|:
 * a column below its upper bound must not gain from growing, one above 0
 * must not gain from shrinking. The size is summed only when |c_j| alone
 * does not settle it, which is seldom. */
static double wrong_side_rel(const mpi_lp *lp, const mpi_lp_sol *sol, size_t j, double d)
{
    double x = sol->x[j], ub = lp->ub[j];
    double wrong = 0, near = MPI_LP_TOL_REL * ub; /* at a bound up to the check's tolerance */
    if (x < ub - near && d > 0)
        wrong = d;
    if (x > near && d < 0)
        wrong = -d;
    if (!(wrong > MPI_LP_TOL_REL * fabs(lp->obj[j])))
        return 0;
    double mag = fabs(lp->obj[j]);
    for (size_t r = 0; r < lp->nrows; r++) {
        double p = signed_price(lp, sol, r);
        if (p != 0)
            mag += fabs(p * coef(lp, r, j));
    }
    return wrong / mag; /* mag >= |d| > 0 */
}

/* The optimality conditions the solution meets with its row prices, in
 * double: every reduced cost signed for where its column sits, and every
 * priced row at its bound (complementary slackness). Rounding in the
 * solver's prices makes the Lagrangian bound of a wide column too loose to
 * serve here; the signs, relative to the size of their terms, do not. */
static mp_status check_dual(const mpi_lp *lp, const mpi_lp_sol *sol, mpi_lp_check *chk)
{
    double *d = mpi_malloc(sizeof(double) * (lp->ncols ? lp->ncols : 1));
    if (!d)
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory checking the LP solution"));
    reduced_costs(lp, sol, d);
    double worst = 0, size = 0;
    for (size_t j = 0; j < lp->ncols; j++) {
        worst = fmax(worst, wrong_side_rel(lp, sol, j, d[j]));
        size += fabs(lp->obj[j] * sol->x[j]);
    }
    free(d);
    for (size_t r = 0; r < lp->nrows; r++)
        size += fabs(signed_price(lp, sol, r) * lp->rows[r].rhs);
    for (size_t r = 0; r < lp->nrows && size > 0; r++) {
        double slack = fabs(sol->row_act[r] - lp->rows[r].rhs);
        worst = fmax(worst, fabs(signed_price(lp, sol, r)) * slack / size);
    }
    chk->dual_rel = worst;
    return MP_OK;
}

mp_status mpi_lp_verify(const mpi_lp *lp, mpi_lp_sol *sol, mpi_lp_check *chk)
{
    memset(chk, 0, sizeof *chk);
    chk->worst_row = (size_t)-1;
    chk->ok = 1;
    if (sol->status != MPI_LP_OPTIMAL && sol->status != MPI_LP_TIME_LIMIT)
        return MP_OK; /* infeasible or unbounded: no point to check */
    check_primal(lp, sol, chk);
    mp_status st = MP_OK;
    if (!sol->mip && sol->status == MPI_LP_OPTIMAL)
        st = check_dual(lp, sol, chk);
    chk->ok = chk->excess_rel <= MPI_LP_TOL_REL && chk->dual_rel <= MPI_LP_TOL_REL;
    return st;
}
