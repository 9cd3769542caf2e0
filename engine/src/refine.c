/* A gap the planner chooses (bound.h): where the certified gap is wider than
 * the plan's gap, the curves whose chords miss most get breakpoints at their
 * fill point and where their Lagrangian subproblem is best (column generation
 * on the curves: each new breakpoint is an exact point of the curve where the
 * prices say the LP needs one), and the LP is solved again from the last
 * prices, until the gap is met or the time limit. */
#include "bound.h"

#include <stdlib.h>
#include <string.h>

/* Rounds of refinement at most (each at least one breakpoint a curve that
 * misses much; in practice two or three rounds meet any gap). */
#define MPI_REFINE_ROUNDS 30

/* ---- one curve ---------------------------------------------------------- */

static double *dup_array(const double *v, size_t n)
{
    double *d = mpi_calloc(n ? n : 1, sizeof(double));
    if (d && v)
        memcpy(d, v, n * sizeof(double));
    return d;
}

/* Before curve i is first refined: fresh copies of its arrays, which it owns
 * from then on. With a log its original stays there, untouched, to be put
 * back (mpi_refine_undo); without, the arrays it owned go. */
static mp_status touch_curve(mpi_model *m, size_t i, mpi_refine_log *log)
{
    mpi_curve *c = &m->curves.v[i], orig = *c;
    if (c->refined)
        return MP_OK;
    size_t n = (size_t)c->nseg;
    if (log) {
        void *arrays[] = {log->idx, log->orig};
        const size_t sizes[] = {sizeof *log->idx, sizeof *log->orig};
        mp_status st = mpi_reserve_all(&log->cap, log->n + 1, 2, arrays, sizes);
        log->idx = arrays[0];
        log->orig = arrays[1];
        if (st != MP_OK)
            return mpi_nomem();
    }
    double *w = dup_array(c->w, n), *y = dup_array(c->y, n * MPI_NKPI);
    double *param = c->param ? dup_array(c->param, n + 1) : NULL;
    double *bw = c->bw ? dup_array(c->bw, n) : NULL;
    if (!w || !y || (c->param && !param) || (c->bw && !bw)) {
        free(w);
        free(y);
        free(param);
        free(bw);
        return mpi_nomem();
    }
    if (log) {
        log->idx[log->n] = i;
        log->orig[log->n++] = orig;
    } else {
        free(orig.w); /* a curve always owns its widths */
        if (!orig.borrowed) {
            free(orig.y);
            free(orig.param);
            free(orig.bw);
        }
    }
    c->w = w;
    c->y = y;
    c->param = param;
    c->bw = bw;
    c->borrowed = 0;
    c->refined = 1;
    return MP_OK;
}

void mpi_refine_undo(mpi_model *m, mpi_refine_log *log)
{
    if (!log || !log->n)
        return;
    for (size_t k = 0; k < log->n; k++) {
        mpi_curve *c = &m->curves.v[log->idx[k]];
        free(c->w);
        free(c->y);
        free(c->param);
        free(c->bw);
        *c = log->orig[k];
    }
    log->n = 0;
    mpi_lp_free(&m->lp); /* the next scenario builds it again over the curves as they were */
}

void mpi_refine_log_free(mpi_refine_log *log)
{
    if (!log)
        return;
    free(log->idx);
    free(log->orig);
    memset(log, 0, sizeof *log);
}

/* Segment s of c split at w1 (currency, at the price level) into two, the
 * first ending at the exact KPIs v1 (its start at v0). Arrays grow by one. */
static mp_status split_segment(const mpi_model *m, mpi_curve *c, int s, double w1, const double *v0,
                               const double *v1)
{
    size_t n = (size_t)c->nseg, at = (size_t)s;
    double *w = mpi_realloc(c->w, (n + 1) * sizeof(double));
    if (w)
        c->w = w;
    double *y = w ? mpi_realloc(c->y, (n + 1) * MPI_NKPI * sizeof(double)) : NULL;
    if (y)
        c->y = y;
    double *bw = y && c->bw ? mpi_realloc(c->bw, (n + 1) * sizeof(double)) : NULL;
    if (bw)
        c->bw = bw;
    double *param =
        y && (!c->bw || bw) && c->param ? mpi_realloc(c->param, (n + 2) * sizeof(double)) : NULL;
    if (param)
        c->param = param;
    if (!y || (c->bw && !bw) || (c->param && !param))
        return mpi_nomem();
    double w0 = c->w[at], w2 = w0 - w1, x1 = 0;
    for (size_t k = 0; k < at; k++)
        x1 += c->w[k];
    x1 += w1;
    memmove(&c->w[at + 1], &c->w[at], (n - at) * sizeof(double));
    memmove(&c->y[(at + 1) * MPI_NKPI], &c->y[at * MPI_NKPI], (n - at) * MPI_NKPI * sizeof(double));
    c->w[at] = w1;
    c->w[at + 1] = w2;
    double *ya = &c->y[at * MPI_NKPI], *yb = &c->y[(at + 1) * MPI_NKPI];
    for (int q = 0; q < MPI_NKPI; q++) {
        if (q == MPI_SPEND)
            continue; /* 1 a unit of currency on spend curves, 0 on reach curves */
        double total = yb[q] * w0 / c->mult; /* the segment's KPI gain, at the level */
        ya[q] = (v1[q] - v0[q]) / w1 * c->mult;
        yb[q] = (total - (v1[q] - v0[q])) / w2 * c->mult;
    }
    if (c->bw) {
        memmove(&c->bw[at + 1], &c->bw[at], (n - at) * sizeof(double));
        c->bw[at] = w1 / c->mult;
        c->bw[at + 1] -= c->bw[at];
    }
    if (c->param) {
        memmove(&c->param[at + 2], &c->param[at + 1], (n - at) * sizeof(double));
        double vb[MPI_NKPI], bid = mpi_curve_exact_bid(m, c, x1, vb);
        c->param[at + 1] =
            isnan(bid) ? c->param[at] + (c->param[at + 2] - c->param[at]) * w1 / w0 : bid / c->mult;
    }
    c->nseg++;
    return MP_OK;
}

/* Add a breakpoint to curve i at spend x (at its price level), unless one is
 * there already, the curve has the most segments a curve may have, or x
 * falls in a segment that pricing cut at a bid ceiling. *added counts it. */
static mp_status curve_insert(mpi_model *m, size_t i, double x, mpi_refine_log *log, size_t *added)
{
    mpi_curve *c = &m->curves.v[i];
    if (!(x > 0) || c->nseg >= MPI_MAX_SEGMENTS)
        return MP_OK;
    double x0 = 0, v0[MPI_NKPI] = {0}, yv[MPI_NKPI];
    for (int s = 0; s < c->nseg; s++) {
        double w = c->w[s];
        if (!(w > 0))
            continue;
        if (x < x0 + w) {
            int cut = c->bw && fabs(w - c->bw[s] * c->mult) > 1e-9 * w;
            if (cut || x - x0 <= 1e-9 * w || x0 + w - x <= 1e-9 * w)
                return MP_OK;
            double v1[MPI_NKPI];
            mpi_curve_exact(m, c, x, v1);
            mp_status st = touch_curve(m, i, log);
            if (st == MP_OK)
                st = split_segment(m, c, s, x - x0, v0, v1);
            *added += st == MP_OK;
            return st;
        }
        mpi_curve_yields(c, s, yv);
        for (int q = 0; q < MPI_NKPI; q++)
            v0[q] += w * yv[q];
        x0 += w;
    }
    return MP_OK;
}

/* ---- the plan ------------------------------------------------------------- */

/* Breakpoints at the fill point and the subproblem's best spend of every
 * curve that misses at least threshold; *added counts them. */
static mp_status insert_breakpoints(mpi_model *m, const double *x, const mpi_bound *b,
                                    double threshold, mpi_refine_log *log, size_t *added)
{
    mp_status st = MP_OK;
    for (size_t i = 0; st == MP_OK && i < m->curves.n; i++) {
        if (!(b->miss[i] >= threshold))
            continue;
        mpi_curve *c = &m->curves.v[i];
        double fill = 0;
        for (int k = 0; k < c->nseg; k++)
            fill += x[c->col + (size_t)k];
        st = curve_insert(m, i, fill, log, added);
        if (st == MP_OK && !isnan(b->arg[i]))
            st = curve_insert(m, i, b->arg[i], log, added);
    }
    return st;
}

/* The LP of the refined curves, solved from the last optimum's prices. */
static mp_status solve_again(mp_solution *sol, const mp_solve_opts *opts)
{
    mpi_model *m = &sol->model;
    mp_status st = mpi_model_lp(m, sol->sc);
    mpi_lp_sol ns;
    memset(&ns, 0, sizeof ns);
    int fallback = 1;
    if (st == MP_OK)
        st = mpi_lp_solve_near(&m->lp, sol->lp.row_dual, opts, &ns, &fallback);
    if (st == MP_OK && fallback) {
        mpi_lp_sol_free(&ns);
        st = mpi_model_solve(m, opts, &ns);
    }
    if (st != MP_OK) {
        mpi_lp_sol_free(&ns);
        return st;
    }
    mpi_lp_sol_free(&sol->lp);
    sol->lp = ns;
    return MP_OK;
}

/* Keep bound and the prices it comes from in sol (mpi_solution_bound). */
static mp_status remember_bound(mp_solution *sol, double bound)
{
    size_t n = sol->model.lp.nrows;
    double *pi = mpi_realloc(sol->bound_pi, (n ? n : 1) * sizeof(double));
    if (!pi)
        return mpi_nomem();
    memcpy(pi, sol->lp.row_dual, n * sizeof(double));
    sol->bound_pi = pi;
    sol->bound = bound;
    return MP_OK;
}

/* One round: the bound at the LP's optimum; when its gap is over the plan's,
 * breakpoints where the chords miss most. *added: how many (0: done). */
static mp_status refine_round(mp_solution *sol, double *miss, double *arg, mpi_refine_log *log,
                              size_t *added)
{
    mpi_model *m = &sol->model;
    double gap = sol->plan->gap;
    /* The LP's own value: the exact one (reported) is at least as good, for
     * the chords of a concave KPI lie under it (and cost is exact), so the
     * gap reported is at most the one reached here. */
    double value = 0;
    for (size_t j = 0; j < m->lp.ncols; j++)
        value += m->lp.obj[j] * sol->lp.x[j];
    mpi_bound b = {.miss = miss, .arg = arg};
    mp_status st = mpi_lagrange_bound(m, sol->sc, sol->lp.row_dual, sol->lp.x, value, gap, &b);
    *added = 0;
    if (st == MP_OK) /* kept for the solution's bound, if these prices stay */
        st = remember_bound(sol, b.bound);
    if (st != MP_OK || !(mpi_gap_of(b.bound, value) > gap))
        return st;
    double threshold = INFINITY;
    st = mpi_small_sum_threshold(miss, m->curves.n, 0.5 * gap * fabs(b.bound), &threshold);
    if (st == MP_OK)
        st = insert_breakpoints(m, sol->lp.x, &b, threshold, log, added);
    return st;
}

mp_status mpi_refine_to_gap(mp_solution *sol, const mp_solve_opts *opts, mpi_refine_log *log)
{
    mp_status st = MP_OK;
    for (int round = 0; st == MP_OK && round < MPI_REFINE_ROUNDS; round++) {
        if (sol->lp.status != MPI_LP_OPTIMAL || sol->lp.mip || mpi_deadline_passed())
            break;
        size_t n = sol->model.curves.n, added = 0;
        double *miss = mpi_calloc(n ? n : 1, sizeof(double));
        double *arg = mpi_calloc(n ? n : 1, sizeof(double));
        st = miss && arg ? refine_round(sol, miss, arg, log, &added) : mpi_nomem();
        free(miss);
        free(arg);
        if (st != MP_OK || !added)
            break;
        st = solve_again(sol, opts);
    }
    return st;
}
