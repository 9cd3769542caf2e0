/* A gap the planner chooses (bound.h): where the certified gap is wider than
 * the plan's gap, the curves whose chords miss most get breakpoints at their
 * fill point and where their Lagrangian subproblem is best (column generation
 * on the curves: each new breakpoint is an exact point of the curve where the
 * prices say the LP needs one), and the LP is solved again from the last
 * prices, until the gap is met or the time limit. */
#include "bound.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Rounds of refinement at most (each at least one breakpoint a curve that
 * misses much; in practice two or three rounds meet any gap). */
#define MPI_REFINE_ROUNDS 30
/* How far within the gap a refined plan must be to end the rounds. */
#define MPI_REFINE_MARGIN 0.25

/* ---- one curve ---------------------------------------------------------- */

/* Before curve i is first refined: fresh copies of its arrays, which it owns
 * from then on. With a log its original stays there, untouched, to be put
 * back (mpi_refine_undo); without, the arrays it owned go. */
static mp_status touch_curve(mpi_model *m, size_t i, mpi_refine_log *log)
{
    mpi_curve *c = &m->curves.v[i], orig = *c;
    if (c->refined)
        return MP_OK;
    if (log) {
        void *arrays[] = {log->idx, log->orig};
        const size_t sizes[] = {sizeof *log->idx, sizeof *log->orig};
        mp_status st = mpi_reserve_all(&log->cap, log->n + 1, 2, arrays, sizes);
        log->idx = arrays[0];
        log->orig = arrays[1];
        if (st != MP_OK)
            return mpi_nomem();
    }
    mp_status st = mpi_curve_own(c);
    if (st != MP_OK)
        return st;
    if (log) {
        log->idx[log->n] = i;
        log->orig[log->n++] = orig;
    } else {
        mpi_curve_release(&orig);
    }
    c->refined = 1;
    return MP_OK;
}

void mpi_refine_undo(mpi_model *m, mpi_refine_log *log)
{
    if (!log || !log->n)
        return;
    for (size_t k = 0; k < log->n; k++) {
        mpi_curve *c = &m->curves.v[log->idx[k]];
        mpi_curve_release(c); /* its own copies (touch_curve) */
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
    double w0 = mpi_curve_width(c, s), w2 = w0 - w1, x1 = 0;
    for (int k = 0; k < s; k++)
        x1 += mpi_curve_width(c, k);
    x1 += w1;
    double ya[MPI_NKPI], yb[MPI_NKPI];
    for (int q = 0; q < MPI_NKPI; q++) {
        double total = mpi_curve_data_yield(c, s, q) * w0 / c->mult; /* its gain, at the level */
        ya[q] = (v1[q] - v0[q]) / w1 * c->mult;
        yb[q] = (total - (v1[q] - v0[q])) / w2 * c->mult;
    }
    double bid = NAN;
    if (mpi_curve_has_bids(c)) {
        double vb[MPI_NKPI], exact = mpi_curve_exact_bid(m, c, x1, vb);
        double b0 = mpi_curve_data_bid(c, s), b2 = mpi_curve_data_bid(c, s + 1);
        bid = isnan(exact) ? b0 + (b2 - b0) * w1 / w0 : exact / c->mult;
    }
    return mpi_curve_split(c, s, w1, ya, yb, bid);
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
        double w = mpi_curve_width(c, s);
        if (!(w > 0))
            continue;
        if (x < x0 + w) {
            int cut = mpi_curve_keeps_base(c) &&
                      fabs(w - mpi_curve_base_width(c, s) * c->mult) > 1e-9 * w;
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

/* Curve c's chords at its spends xc, its segments in order: *pwl gets their
 * value and *fill its spend. 1 when the curve ends inside a segment, where
 * the exact curve adds something beyond its chords (a curve filled to a
 * breakpoint has the LP's value: breakpoints are exact points of the curve). */
static int curve_objective(const mpi_model *m, const mpi_curve *c, const double *xc, double *fill,
                           double *pwl)
{
    int q_obj = m->plan->obj_kpi, inside = 0;
    *fill = *pwl = 0;
    for (int s = 0; s < c->nseg; s++) {
        double xs = xc[s];
        if (xs == 0)
            continue; /* adds nothing, and is not inside its segment */
        double ub = mpi_curve_width(c, s);
        *fill += xs;
        *pwl += mpi_curve_yield(c, s, q_obj) * xs;
        inside |= xs > 1e-9 * ub && xs < ub * (1 - 1e-9);
    }
    return inside;
}

/* One half of the curves: the objective at x, each curve's chords (and the
 * objective over the money paid, carryover: linear, exact) and what the exact
 * curve adds beyond them where it ends inside a segment (the exact
 * evaluations, the costly part), in a compensated sum in curve order. */
typedef struct objective_half {
    const mpi_model *m;
    const double *x;
    size_t from, to;
    double sum, comp;
} objective_half;

static void *objective_half_run(void *arg)
{
    objective_half *h = arg;
    int q_obj = h->m->plan->obj_kpi;
    for (size_t i = h->from; i < h->to; i++) {
        const mpi_curve *c = &h->m->curves.v[i];
        if (i + 2 < h->to)
            mpi_curve_prefetch(c + 2);
        double fill, pwl, v[MPI_NKPI];
        int inside = curve_objective(h->m, c, h->x + c->col, &fill, &pwl);
        mpi_add_comp(&h->sum, &h->comp, pwl + mpi_obj_carry(h->m, c) * fill);
        if (!inside)
            continue;
        double end = mpi_curve_end(c);
        mpi_curve_exact(h->m, c, fill < end ? fill : end, v);
        double q = q_obj == MPI_SPEND ? fill * mpi_curve_data_yield(c, 0, MPI_SPEND) : v[q_obj];
        mpi_add_comp(&h->sum, &h->comp, q - pwl);
    }
    return NULL;
}

/* The objective the reports give at the LP's spends x: the exact model's,
 * each curve's chords and what the exact curve adds beyond them when filled
 * inside a segment, over two fixed halves of the curves in compensated sums
 * (the total to about a rounding of each curve's, and the same on one
 * thread or two). */
static double exact_objective(const mpi_model *m, const double *x)
{
    size_t n = m->curves.n;
    objective_half h[2] = {{m, x, 0, n / 2, 0, 0}, {m, x, n / 2, n, 0, 0}};
    mpi_halves_run(n, objective_half_run, &h[0], &h[1]);
    double sum = mpi_obj_shift(m), comp = 0; /* the objective over the money paid (carryover) */
    for (int k = 0; k < 2; k++) {
        mpi_add_comp(&sum, &comp, h[k].sum);
        mpi_add_comp(&sum, &comp, h[k].comp);
    }
    return sum + comp;
}

/* What the curves that miss at least threshold miss in all. */
static double miss_at_least(const double *miss, size_t n, double threshold)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        if (miss[i] >= threshold)
            sum += miss[i];
    return sum;
}

/* One half of a breakpoint insertion: curves [from, to) that miss at least
 * threshold, the curves touched recorded in log, a window of the
 * refinement's log with room for every one of them (so that it never grows
 * here), added counting the breakpoints. */
typedef struct insert_half {
    mpi_model *m;
    const double *x;
    const mpi_bound *b;
    double threshold;
    size_t from, to, added;
    mpi_refine_log log;
    mp_status st;
} insert_half;

static void *insert_half_run(void *arg)
{
    insert_half *h = arg;
    h->st = MP_OK;
    for (size_t i = h->from; h->st == MP_OK && i < h->to; i++) {
        if (!(h->b->miss[i] >= h->threshold))
            continue;
        mpi_curve *c = &h->m->curves.v[i];
        double fill = 0;
        for (int k = 0; k < c->nseg; k++)
            fill += h->x[c->col + (size_t)k];
        h->st = curve_insert(h->m, i, fill, &h->log, &h->added);
        if (h->st == MP_OK && !isnan(h->b->arg[i]))
            h->st = curve_insert(h->m, i, h->b->arg[i], &h->log, &h->added);
    }
    return NULL;
}

/* Room in log for the curves of each half that miss at least threshold,
 * and the halves' windows on it. */
static mp_status insert_room(insert_half *h, mpi_refine_log *log)
{
    size_t want[2] = {0, 0};
    for (int k = 0; k < 2; k++)
        for (size_t i = h[k].from; i < h[k].to; i++)
            want[k] += h[k].b->miss[i] >= h[k].threshold;
    void *arrays[] = {log->idx, log->orig};
    const size_t sizes[] = {sizeof *log->idx, sizeof *log->orig};
    mp_status st = mpi_reserve_all(&log->cap, log->n + want[0] + want[1], 2, arrays, sizes);
    log->idx = arrays[0];
    log->orig = arrays[1];
    if (st != MP_OK)
        return mpi_nomem();
    for (int k = 0; k < 2; k++) {
        size_t at = log->n + (k ? want[0] : 0);
        h[k].log = (mpi_refine_log){0, want[k], log->idx ? log->idx + at : NULL,
                                    log->orig ? log->orig + at : NULL};
    }
    return MP_OK;
}

/* Breakpoints at the fill point and the subproblem's best spend of every
 * curve that misses at least threshold; *added counts them. Two halves of
 * the curves (each curve's breakpoints are its own); the curves touched are
 * logged in curve order, as one pass would. */
static mp_status insert_breakpoints(mpi_model *m, const double *x, const mpi_bound *b,
                                    double threshold, mpi_refine_log *log, size_t *added)
{
    size_t n = m->curves.n;
    insert_half h[2] = {{m, x, b, threshold, 0, n / 2, 0, {0}, MP_OK},
                        {m, x, b, threshold, n / 2, n, 0, {0}, MP_OK}};
    mp_status st = insert_room(h, log);
    if (st != MP_OK)
        return st;
    mpi_halves_run(n, insert_half_run, &h[0], &h[1]);
    size_t n0 = h[0].log.n, n1 = h[1].log.n;
    if (n1 > 0) { /* no room was reserved when no curve misses the threshold */
        memmove(log->idx + log->n + n0, h[1].log.idx, n1 * sizeof *log->idx);
        memmove(log->orig + log->n + n0, h[1].log.orig, n1 * sizeof *log->orig);
    }
    log->n += n0 + n1;
    *added += h[0].added + h[1].added;
    if (h[0].st != MP_OK)
        return h[0].st;
    /* out of memory on the second thread: said on this one */
    return h[1].st == MP_ERR_NOMEM ? mpi_nomem() : h[1].st;
}

/* The LP of the refined curves, solved from the last optimum's prices. The
 * last optimum's spends go first (only its prices start the solve), so that
 * one solution's spends are alive at a time; the rest of it is freed after,
 * unless keep (the LP as built, its spends packed, kept in case the
 * refinement is given up). */
static mp_status solve_again(mp_solution *sol, const mp_solve_opts *opts, int keep)
{
    mpi_model *m = &sol->model;
    if (!keep) {
        free(sol->lp.x);
        sol->lp.x = NULL;
    }
    sol->lp_tied = 0;
    sol->lp_rows.valid = 0;
    mp_status st = mpi_model_lp(m, sol->sc);
    mpi_lp_sol ns;
    memset(&ns, 0, sizeof ns);
    if (st == MP_OK)
        st = mpi_model_resolve(m, sol->lp.mip ? NULL : sol->lp.row_dual, opts, &ns);
    if (st != MP_OK) {
        mpi_lp_sol_free(&ns);
        return st;
    }
    if (!keep)
        mpi_lp_sol_free(&sol->lp);
    sol->lp = ns;
    return MP_OK;
}

/* A plan's spends held in about a byte a segment while other spends are
 * solved for: each column 0, its segment's full width (both to the bit), or
 * a value kept apart. Widths are read from the curves as they are when
 * packing, so unpacking needs the same curves (put back, mpi_refine_undo). */
typedef struct packed_x {
    size_t ncols, npart;
    unsigned char *code; /* [ncols] PACK_ZERO, PACK_FULL or PACK_PART */
    double *part;        /* [npart] the PACK_PART columns' values, in column order */
} packed_x;

enum { PACK_ZERO, PACK_FULL, PACK_PART };

static void packed_free(packed_x *p)
{
    free(p->code);
    free(p->part);
    memset(p, 0, sizeof *p);
}

/* Column j = curve c's segment s at value v: its code. */
static int pack_code(const mpi_curve *c, int s, double v)
{
    if (v == 0 && !signbit(v))
        return PACK_ZERO;
    return v == mpi_curve_width(c, s) ? PACK_FULL : PACK_PART;
}

/* One half of a pack, curves [from, to): their columns' codes, counting
 * the kept values (npart), or with part set, those values from part[at]. */
typedef struct pack_half {
    const mpi_model *m;
    const double *x;
    packed_x *p;
    size_t from, to, npart, at;
    int part;
} pack_half;

static void *pack_half_run(void *arg)
{
    pack_half *h = arg;
    unsigned char *code = h->p->code;
    const double *x = h->x;
    double *part = h->p->part;
    size_t k = h->at, npart = 0;
    for (size_t i = h->from; i < h->to; i++) {
        mpi_curve c = h->m->curves.v[i]; /* a copy: code's stores alias no field of it */
        for (int s = 0; s < c.nseg; s++) {
            size_t j = c.col + (size_t)s;
            if (h->part && code[j] == PACK_PART)
                part[k++] = x[j];
            else if (!h->part) {
                code[j] = (unsigned char)pack_code(&c, s, x[j]);
                npart += code[j] == PACK_PART;
            }
        }
    }
    h->npart += npart;
    return NULL;
}

/* Pack x (m's columns) into p: the codes, then the kept values in column
 * order, each in two halves of the curves. */
static mp_status pack_x(const mpi_model *m, const double *x, packed_x *p)
{
    memset(p, 0, sizeof *p);
    p->ncols = m->lp.ncols;
    p->code = mpi_malloc(p->ncols ? p->ncols : 1);
    if (!p->code)
        return mpi_nomem();
    size_t n = m->curves.n;
    pack_half h[2] = {{m, x, p, 0, n / 2, 0, 0, 0}, {m, x, p, n / 2, n, 0, 0, 0}};
    mpi_halves_run(n, pack_half_run, &h[0], &h[1]);
    p->npart = h[0].npart + h[1].npart;
    p->part = mpi_malloc((p->npart ? p->npart : 1) * sizeof(double));
    if (!p->part) {
        packed_free(p);
        return mpi_nomem();
    }
    h[0].part = h[1].part = 1;
    h[1].at = h[0].npart;
    mpi_halves_run(n, pack_half_run, &h[0], &h[1]);
    return MP_OK;
}

/* The spends p holds, into sol->x, over m's curves as they were packed. */
static mp_status unpack_x(const mpi_model *m, const packed_x *p, mpi_lp_sol *sol)
{
    double *x = mpi_malloc((p->ncols ? p->ncols : 1) * sizeof(double));
    if (!x)
        return mpi_nomem();
    size_t k = 0;
    for (size_t i = 0; i < m->curves.n; i++) {
        const mpi_curve *c = &m->curves.v[i];
        for (int s = 0; s < c->nseg; s++) {
            size_t j = c->col + (size_t)s;
            x[j] = p->code[j] == PACK_ZERO   ? 0
                   : p->code[j] == PACK_FULL ? mpi_curve_width(c, s)
                                             : p->part[k++];
        }
    }
    free(sol->x);
    sol->x = x;
    return MP_OK;
}

/* Keep in sol the tighter of its bound and this one (every bound found is
 * one on the same exact model, whatever the prices it came from), and the
 * prices of sol's LP, for which it needs no computing again. */
static mp_status remember_bound(mp_solution *sol, double bound)
{
    size_t n = sol->model.lp.nrows;
    double *pi = mpi_realloc(sol->bound_pi, (n ? n : 1) * sizeof(double));
    if (!pi)
        return mpi_nomem();
    memcpy(pi, sol->lp.row_dual, n * sizeof(double));
    sol->bound_pi = pi;
    sol->bound = sol->model.lp.sense > 0 ? fmin(sol->bound, bound) : fmax(sol->bound, bound);
    return MP_OK;
}

/* The refinement in progress. */
typedef struct refine_state {
    mpi_lp_sol orig;   /* the optimum of the LP as built (its x in packed once refined) */
    packed_x packed;   /* orig's spends while refined LPs are solved */
    double orig_value; /* its exact objective */
    int orig_tied;     /* orig's spends had the ties pass and are in order */
    /* [2 * nrows] the rows at orig's spends as its ties pass left them (NULL:
     * not known), handed to the finish when orig is the answer */
    double *orig_rows;
    int refined; /* sol->lp is a refined LP's */
    mpi_refine_log *log;
} refine_state;

/* A copy of the rows at the LP as built's spends (as[0 .. 2 * nrows)). */
static mp_status keep_orig_rows(refine_state *rs, size_t nrows, const double *as)
{
    double *keep = mpi_realloc(rs->orig_rows, (2 * nrows + 1) * sizeof(double));
    if (!keep)
        return mpi_nomem();
    memcpy(keep, as, 2 * nrows * sizeof(double));
    rs->orig_rows = keep;
    return MP_OK;
}

/* One round: the bound at the LP's optimum; when no plan is within the gap
 * of the best bound found, breakpoints where the chords miss most. *added:
 * how many (0: done). */
static mp_status refine_round(mp_solution *sol, refine_state *rs, double *miss, double *arg,
                              size_t *added)
{
    mpi_model *m = &sol->model;
    double gap = sol->plan->gap;
    mpi_bound b = {.miss = miss, .arg = arg};
    /* Tied segments filled alike first (the rule the reports follow): equal
     * curves then get equal fill points, hence equal breakpoints. */
    int in_order = 0;
    sol->lp_rows.sum_on_move = 1; /* the finish reads them when no solve follows */
    mp_status st = mpi_equal_ties_ordered(m, sol->lp.x, sol->lp.row_dual, &sol->lp_rows, &in_order);
    /* mpi_solution_finish's refill and ties pass would leave these spends
     * as they are when they are in order: it skips them. */
    sol->lp_tied = st == MP_OK && in_order;
    double value = NAN;
    if (st == MP_OK)
        value = exact_objective(m, sol->lp.x);
    if (!rs->refined) {
        rs->orig_value = value;
        rs->orig_tied = sol->lp_tied;
        if (st == MP_OK && sol->lp_rows.valid)
            st = keep_orig_rows(rs, m->lp.nrows, sol->lp_rows.as);
    }
    if (st == MP_OK)
        st = mpi_lagrange_bound(m, sol->sc, sol->lp.row_dual, sol->lp.x, value, gap, 1, &b);
    *added = 0;
    if (st == MP_OK)
        st = remember_bound(sol, b.bound);
    /* Done when the plan of the LP as built is within the gap, or when the
     * refined one is well within it: the bound is then close enough to the
     * exact optimum that the choice between the two does not depend on the
     * prices the rounds went through (a what-if scenario's are the previous
     * scenario's), so a scenario's answer is the one optimize gives. */
    if (st != MP_OK || mpi_gap_of(sol->bound, rs->orig_value) <= gap ||
        mpi_gap_of(sol->bound, value) <= MPI_REFINE_MARGIN * gap)
        return st;
    double threshold = INFINITY;
    st = mpi_small_sum_threshold(miss, m->curves.n, 0.5 * gap * fabs(b.bound), &threshold);
    /* A refined plan within the gap stops when the curves this round would
     * refine miss less in all than separates it from the margin: the
     * breakpoints leave about half the gap's miss on the curves below the
     * threshold, so rounds after that add a few curves each and move the
     * plan by less than the gap's rounding (on 100k keywords x 13 weeks,
     * three more rounds of 0.58 s ties, 0.93 s bound and 2 s solve each
     * for 8e-6 of the objective). */
    if (st == MP_OK && mpi_gap_of(sol->bound, value) <= gap &&
        miss_at_least(miss, m->curves.n, threshold) <
            (mpi_gap_of(sol->bound, value) - MPI_REFINE_MARGIN * gap) * fabs(sol->bound))
        return st;
    /* the LP as built keeps its spends packed while refined LPs are solved,
     * read over its curves before any is split */
    if (st == MP_OK && !rs->refined)
        st = pack_x(m, sol->lp.x, &rs->packed);
    if (st == MP_OK)
        st = insert_breakpoints(m, sol->lp.x, &b, threshold, rs->log, added);
    return st;
}

/* The rows the solve worked out at its plan on its way (the implicit
 * solve's check), handed to the ties pass when the refill left the plan as
 * it was: the pass then need not walk every segment for them again. */
static mp_status take_solve_rows(mp_solution *sol, int moved)
{
    double *as = sol->lp.rows_at;
    mp_status st = MP_OK;
    sol->lp.rows_at = NULL;
    if (as && !moved)
        st = mpi_rows_at_keep(&sol->lp_rows, &sol->model, as, as + sol->model.lp.nrows);
    free(as);
    return st;
}

/* The plan refilled in order if need be (*in_order: it is), unless the
 * solve's check found it in order already; the rows the solve worked out at
 * it are then handed on (take_solve_rows). */
static mp_status settle_order(mp_solution *sol, int *in_order)
{
    int moved = 0;
    mp_status st = MP_OK;
    *in_order = 1;
    if (!sol->lp.rows_at || !sol->lp.in_order)
        st = mpi_refill_in_order(&sol->model, sol->lp.x, in_order, &moved);
    sol->lp.in_order = 0; /* said of this plan only: x may move from here on */
    if (st == MP_OK && *in_order)
        st = take_solve_rows(sol, moved);
    return st;
}

/* The curves' own arrays before refinement, for good (a refinement kept). */
static void log_commit(mpi_refine_log *log)
{
    for (size_t k = 0; k < log->n; k++) {
        mpi_curve_release(&log->orig[k]);
    }
    log->n = 0;
}

/* The end of a refinement: the plan of the LP as built when it is within
 * the gap of the best bound (the refined LP then only served to find
 * better prices: the curves are put back), else the refined LP's. */
static mp_status refine_end(mp_solution *sol, refine_state *rs, mpi_refine_log *own)
{
    mp_status st = MP_OK;
    if (!rs->refined)
        return MP_OK;
    /* A what-if scenario (log given) ends as optimize does, so that it gets
     * the same answer alone and in a sweep; its curves are put back for the
     * next scenario by the caller. */
    if (mpi_gap_of(sol->bound, rs->orig_value) <= sol->plan->gap) {
        mpi_refine_undo(&sol->model, rs->log);
        st = mpi_model_lp(&sol->model, sol->sc);
        mpi_lp_sol_free(&sol->lp); /* the refined spends go before the packed come back */
        sol->lp = rs->orig;
        memset(&rs->orig, 0, sizeof rs->orig);
        sol->lp_tied = rs->orig_tied;
        sol->lp_rows.valid = 0; /* the rows at the refined plan's spends */
        if (st == MP_OK)
            st = unpack_x(&sol->model, &rs->packed, &sol->lp);
        packed_free(&rs->packed);
        /* its spends to the bit, on its curves as they were: its rows too */
        if (st == MP_OK && rs->orig_rows)
            st = mpi_rows_at_keep(&sol->lp_rows, &sol->model, rs->orig_rows,
                                  rs->orig_rows + sol->model.lp.nrows);
        if (st == MP_OK)
            st = remember_bound(sol, sol->bound);
        return st;
    }
    packed_free(&rs->packed);
    mpi_lp_sol_free(&rs->orig);
    if (rs->log == own)
        log_commit(own); /* optimize keeps its curves; they stay marked refined */
    return st;
}

mp_status mpi_refine_to_gap(mp_solution *sol, const mp_solve_opts *opts, mpi_refine_log *log)
{
    mpi_refine_log own;
    memset(&own, 0, sizeof own);
    refine_state rs = {.orig = sol->lp, .orig_value = NAN, .log = log ? log : &own};
    mp_status st = MP_OK;
    sol->lp_rows.valid = 0;
    for (int round = 0; st == MP_OK && round < MPI_REFINE_ROUNDS; round++) {
        if (sol->lp.status != MPI_LP_OPTIMAL || sol->lp.mip || mpi_deadline_passed())
            break;
        /* A plan that fills a curve out of order is no plan (the fill-order
         * MIP decides it, mpi_solution_finish): nothing to refine around. */
        int in_order = 1;
        if ((st = settle_order(sol, &in_order)) != MP_OK || !in_order)
            break;
        size_t n = sol->model.curves.n, added = 0;
        double *miss = mpi_calloc(n ? n : 1, sizeof(double));
        double *arg = mpi_calloc(n ? n : 1, sizeof(double));
        st = miss && arg ? refine_round(sol, &rs, miss, arg, &added) : mpi_nomem();
        free(miss);
        free(arg);
        if (st != MP_OK || !added)
            break;
        if (!rs.refined) { /* its spends are packed: only the new solve's are alive */
            free(sol->lp.x);
            sol->lp.x = NULL;
            rs.orig = sol->lp;
        }
        st = solve_again(sol, opts, !rs.refined);
        rs.refined = st == MP_OK || rs.refined;
    }
    free(sol->lp.rows_at); /* the last solve's word on its plan: no pass after reads it */
    sol->lp.rows_at = NULL;
    sol->lp.in_order = 0;
    if (!rs.refined)
        packed_free(&rs.packed); /* sol->lp is the LP as built, its spends as they were */
    if (st != MP_OK) {           /* the solution goes: its curves must be whole */
        free(rs.orig_rows);
        packed_free(&rs.packed);
        if (rs.refined)
            mpi_lp_sol_free(&rs.orig);
        mpi_refine_undo(&sol->model, &own);
        mpi_refine_log_free(&own);
        return st;
    }
    st = refine_end(sol, &rs, &own);
    free(rs.orig_rows);
    mpi_refine_log_free(&own);
    return st;
}

/* ---- around a plan the LP did not choose for its objective --------------- */

/* Halvings of the segments on either side of a fill point a round adds. */
#define AROUND_FILL_STEPS 3
/* No breakpoint nearer a fill point than this share of the curve's end: a
 * chord that short is within about 1e-13 of its curve's range. */
#define AROUND_FILL_LEAST 1e-6

/* Curve i's breakpoints around fill point f: at f when it falls inside a
 * segment, and on either side of it at half, a quarter and an eighth of the
 * segment that then borders it, so that the chords about f are eight times
 * finer after a round (the plan moves less than that from one round to the
 * next once it settles: the rounds' gains fall by about ten each). */
static mp_status around_fill(mpi_model *m, size_t i, double f, mpi_refine_log *log, size_t *added)
{
    const mpi_curve *c = &m->curves.v[i];
    double x0 = 0, left = 0, right = 0, tol = 1e-12 * fmax(1, f);
    for (int s = 0; s < c->nseg; s++) {
        double w = mpi_curve_width(c, s);
        if (x0 + w <= f + tol)
            left = f - x0; /* from the start of the last segment at or before f */
        else if (!(right > 0))
            right = x0 + w - f; /* to the end of the first one after f */
        if (x0 < f - tol && x0 + w > f + tol)
            left = f - x0; /* f inside: the part before it */
        x0 += w;
    }
    double least = AROUND_FILL_LEAST * mpi_curve_end(c);
    mp_status st = curve_insert(m, i, f, log, added);
    for (int k = 1; st == MP_OK && k <= AROUND_FILL_STEPS; k++) {
        double part = ldexp(1, -k);
        if (part * left >= least)
            st = curve_insert(m, i, f - part * left, log, added);
        if (st == MP_OK && part * right >= least)
            st = curve_insert(m, i, f + part * right, log, added);
    }
    return st;
}

mp_status mpi_refine_at_plan(mp_solution *sol, mpi_refine_log *log, size_t *added)
{
    mpi_model *m = &sol->model;
    size_t n = m->nspend_curves;
    *added = 0;
    double *fill = mpi_calloc(n ? n : 1, sizeof *fill);
    if (!fill)
        return mpi_nomem();
    for (size_t i = 0; i < n; i++)
        fill[i] = mpi_curve_spend(sol, &m->curves.v[i]);
    mp_status st = MP_OK;
    for (size_t i = 0; st == MP_OK && i < n; i++)
        st = around_fill(m, i, fill[i], log, added);
    if (st == MP_OK && *added)
        st = mpi_model_lp(m, sol->sc);
    double *x = st == MP_OK && *added ? mpi_calloc(m->lp.ncols ? m->lp.ncols : 1, sizeof *x) : NULL;
    if (st == MP_OK && *added && !x)
        st = mpi_nomem();
    for (size_t i = 0; x && i < n; i++) { /* the same spends, in order on the new segments */
        const mpi_curve *c = &m->curves.v[i];
        double left = fill[i];
        for (int s = 0; s < c->nseg && left > 0; s++) {
            x[c->col + (size_t)s] = fmin(left, mpi_curve_width(c, s));
            left -= x[c->col + (size_t)s];
        }
    }
    if (x) {
        free(sol->lp.x);
        sol->lp.x = x;
    }
    free(fill);
    return st;
}
