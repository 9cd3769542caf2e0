/* A model's rows evaluated from its curves, never from the LP's matrix.
 *
 * Row r's coefficient on segment s of curve c is a0 + sum_q a_q y_csq, with
 * terms that depend on the curve only through its class (kind, channel,
 * period, keyword group): the class table holds them once per class, and a
 * row's activity is summed segment by segment from the yields. The implicit
 * solve (implicit.c) prices the curves from the same table. */
#include "bound.h"
#include "model.h"

#include <stdlib.h>
#include <string.h>

enum { NT = MPI_NKPI + 1 }; /* a row's terms on a class: one per yield, then a constant */

void mpi_row_classes_free(mpi_row_classes *t)
{
    if (!t)
        return;
    free(t->cls);
    free(t->rep);
    free(t->terms);
    free(t->touch);
    free(t->used);
    free(t->obj0);
    free(t->list);
    free(t->lstart);
    free(t->need);
    free(t->qlist);
    free(t->half);
    memset(t, 0, sizeof *t);
}

/* Each curve's class: its kind, channel, period and keyword group, which are
 * all a row's coefficient depends on besides its yields; rep[k] is the first
 * curve of class k, classes numbered as they first come. */
static mp_status assign_classes(const mpi_model *m, mpi_row_classes *t)
{
    const mp_plan *plan = m->plan;
    size_t np = (size_t)plan->periods + 1, ng = plan->groups.n + 1;
    size_t nkey = 2 * plan->nch * np * ng;
    uint32_t *key = mpi_malloc(sizeof(uint32_t) * (nkey ? nkey : 1));
    if (!key)
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    memset(key, 0xff, sizeof(uint32_t) * nkey);
    for (size_t i = 0; i < m->curves.n; i++) {
        const mpi_curve *c = &m->curves.v[i];
        size_t kk = (((size_t)(c->kind != 0) * plan->nch + (size_t)c->channel) * np +
                     (size_t)(c->period + 1)) *
                        ng +
                    (size_t)(c->group + 1);
        if (key[kk] == UINT32_MAX) {
            key[kk] = (uint32_t)t->ncls;
            t->rep[t->ncls++] = i;
        }
        t->cls[i] = key[kk];
    }
    free(key);
    return MP_OK;
}

/* Each class's terms on each row, from its representative curve. */
static mp_status class_terms(const mpi_model *m, mpi_row_classes *t)
{
    size_t n = t->nrows;
    int obj_kpi = m->plan->obj_kpi;
    t->terms = mpi_calloc(t->ncls * n * NT + 1, sizeof(double));
    t->touch = mpi_calloc(t->ncls * n + 1, 1);
    t->used = mpi_calloc(t->ncls * NT + 1, 1);
    t->obj0 = mpi_calloc(t->ncls + 1, sizeof(double));
    if (!t->terms || !t->touch || !t->used || !t->obj0)
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    for (size_t k = 0; k < t->ncls; k++) {
        t->used[k * NT + (size_t)obj_kpi] = 1;
        t->obj0[k] = mpi_obj_carry(m, &m->curves.v[t->rep[k]]);
        if (t->obj0[k] != 0)
            t->used[k * NT + MPI_NKPI] = 1;
        for (size_t r = 0; r < n; r++) {
            double *a = t->terms + (k * n + r) * NT;
            mpi_lp_row_terms(m, r, &m->curves.v[t->rep[k]], a);
            for (int q = 0; q < NT; q++)
                if (a[q] != 0)
                    t->touch[k * n + r] = t->used[k * NT + (size_t)q] = 1;
        }
    }
    return MP_OK;
}

/* The rows each class touches, with their non-zero terms only: what a walk
 * over segments evaluates. */
static mp_status term_lists(mpi_row_classes *t)
{
    size_t n = t->nrows, len = 0;
    for (size_t i = 0; i < t->ncls * n; i++)
        len += t->touch[i];
    t->list = mpi_calloc(len + 1, sizeof *t->list);
    t->lstart = mpi_calloc(t->ncls + 1, sizeof(size_t));
    if (!t->list || !t->lstart)
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    len = 0;
    for (size_t k = 0; k < t->ncls; k++) {
        t->lstart[k] = len;
        for (size_t r = 0; r < n; r++) {
            if (!t->touch[k * n + r])
                continue;
            const double *a = t->terms + (k * n + r) * NT;
            mpi_row_term *e = &t->list[len++];
            e->row = r;
            e->a0 = a[MPI_NKPI];
            for (int q = 0; q < MPI_NKPI; q++)
                if (a[q] != 0) {
                    e->q[e->n] = q;
                    e->a[e->n++] = a[q];
                }
        }
    }
    t->lstart[t->ncls] = len;
    return MP_OK;
}

/* What an evaluation needs besides the terms: the yields each class's rows
 * read (need), where the curves split in two halves of about as many
 * segments (mid), and the second half's sums (half). */
static mp_status eval_scratch(const mpi_model *m, mpi_row_classes *t)
{
    t->need = mpi_calloc(t->ncls + 1, sizeof(unsigned));
    t->qlist = mpi_calloc((t->ncls + 1) * (MPI_NKPI + 1), 1);
    t->half = mpi_calloc(2 * t->nrows + 1, sizeof(double));
    if (!t->need || !t->qlist || !t->half)
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    for (size_t k = 0; k < t->ncls; k++) {
        for (size_t i = t->lstart[k]; i < t->lstart[k + 1]; i++)
            for (int q = 0; q < t->list[i].n; q++)
                t->need[k] |= 1u << t->list[i].q[q];
        unsigned char *ql = t->qlist + k * (MPI_NKPI + 1);
        for (int q = 0; q < MPI_NKPI; q++)
            if (t->need[k] >> q & 1)
                *ql++ = (unsigned char)q;
        *ql = MPI_NKPI;
    }
    size_t segs = 0, first = 0;
    for (size_t i = 0; i < t->ncurves; i++)
        segs += (size_t)m->curves.v[i].nseg;
    for (t->mid = 0; t->mid < t->ncurves && 2 * first < segs; t->mid++)
        first += (size_t)m->curves.v[t->mid].nseg;
    return MP_OK;
}

mp_status mpi_row_classes_init(const mpi_model *m, mpi_row_classes *t)
{
    memset(t, 0, sizeof *t);
    t->nrows = m->lp.nrows;
    t->ncurves = m->curves.n;
    t->cls = mpi_calloc(t->ncurves + 1, sizeof(uint32_t));
    t->rep = mpi_calloc(t->ncurves + 1, sizeof(size_t));
    mp_status st = t->cls && t->rep ? MP_OK : mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    if (st == MP_OK)
        st = assign_classes(m, t);
    if (st == MP_OK)
        st = class_terms(m, t);
    if (st == MP_OK)
        st = term_lists(t);
    if (st == MP_OK)
        st = eval_scratch(m, t);
    if (st != MP_OK)
        mpi_row_classes_free(t);
    return st;
}

/* Add curve c's segments at x to the rows its class touches (only: one row,
 * or SIZE_MAX for all). A segment at 0 adds nothing; the others' terms are
 * the explicit matrix's to the bit (the same yields, the same two or three
 * products), added in column order. */
static void curve_rows(const mpi_row_classes *t, const mpi_curve *c, uint32_t cls, const double *x,
                       size_t only, double *act, double *size)
{
    const mpi_row_term *first = t->list + t->lstart[cls], *end = t->list + t->lstart[cls + 1];
    if (first == end)
        return;
    const double *xc = x + c->col;
    double inv = 1 / c->mult; /* as mpi_curve_yields scales them, once a curve */
    const unsigned char *qlist = t->qlist + (size_t)cls * (MPI_NKPI + 1);
    for (int s = 0; s < c->nseg; s++) {
        double xs = xc[s];
        if (xs == 0)
            continue;
        double y[MPI_NKPI];
        for (const unsigned char *q = qlist; *q < MPI_NKPI; q++) { /* the yields a row reads */
            double v = mpi_curve_data_yield(c, s, *q);
            y[*q] = *q == MPI_SPEND ? v : v * inv;
        }
        for (const mpi_row_term *e = first; e < end; e++) {
            if (only != SIZE_MAX && e->row != only)
                continue;
            double a = e->a0;
            for (int i = 0; i < e->n; i++)
                a += e->a[i] * y[e->q[i]];
            double v = a * xs;
            act[e->row] += v;
            if (size)
                size[e->row] += fabs(v);
        }
    }
}

/* One half of an evaluation: curves [from, to) added to act and size. */
typedef struct eval_half {
    const mpi_row_classes *t;
    const mpi_model *m;
    const double *x;
    size_t only, from, to;
    double *act, *size;
} eval_half;

static void *eval_half_run(void *arg)
{
    const eval_half *h = arg;
    for (size_t i = h->from; i < h->to; i++)
        curve_rows(h->t, &h->m->curves.v[i], h->t->cls[i], h->x, h->only, h->act, h->size);
    return NULL;
}

/* Where the halves' sums of row only (SIZE_MAX: every row) start: the
 * first's at 0 and |rhs|, the second's at 0 (size, size1 NULL: none). */
static void halves_start(const mpi_row *rows, size_t n, size_t only, double *act, double *size,
                         double *act1, double *size1)
{
    for (size_t r = 0; r < n; r++) {
        act1[r] = 0;
        if (size1)
            size1[r] = 0;
        if (only != SIZE_MAX && r != only)
            continue;
        act[r] = 0;
        if (size)
            size[r] = fabs(rows[r].rhs);
    }
}

/* The second half's sums added to the first's. */
static void halves_add(size_t n, size_t only, double *act, double *size, const double *act1,
                       const double *size1)
{
    for (size_t r = 0; r < n; r++) {
        if (only != SIZE_MAX && r != only)
            continue;
        act[r] += act1[r];
        if (size)
            size[r] += size1[r];
    }
}

/* act and size of row only (SIZE_MAX: every row): the first half of the
 * curves summed from 0 and |rhs|, the second half from 0 apart, and the
 * two added, on two threads or one (the same sums either way). */
static void eval_rows(const mpi_row_classes *t, const mpi_model *m, const double *x, size_t only,
                      double *act, double *size)
{
    double *act1 = t->half, *size1 = size ? t->half + t->nrows : NULL;
    halves_start(m->lp.rows, t->nrows, only, act, size, act1, size1);
    eval_half h[2] = {
        {t, m, x, only, 0, t->mid, act, size},
        {t, m, x, only, t->mid, t->ncurves, act1, size1},
    };
    mpi_halves_run(t->ncurves, eval_half_run, &h[0], &h[1]);
    halves_add(t->nrows, only, act, size, act1, size1);
}

void mpi_row_sums_start(const mpi_row *rows, size_t n, double *sums)
{
    halves_start(rows, n, SIZE_MAX, sums, sums + n, sums + 2 * n, sums + 3 * n);
}

void mpi_row_sums_add_curve(const mpi_row_classes *t, const mpi_curve *c, uint32_t cls,
                            const double *x, double *sums, int half)
{
    double *act = sums + 2 * t->nrows * (half ? 1 : 0);
    curve_rows(t, c, cls, x, SIZE_MAX, act, act + t->nrows);
}

void mpi_row_sums_end(size_t nrows, double *sums, double *as)
{
    halves_add(nrows, SIZE_MAX, sums, sums + nrows, sums + 2 * nrows, sums + 3 * nrows);
    memcpy(as, sums, 2 * nrows * sizeof(double));
}

void mpi_row_classes_eval(const mpi_row_classes *t, const mpi_model *m, const double *x,
                          double *act, double *size)
{
    eval_rows(t, m, x, SIZE_MAX, act, size);
}

mp_status mpi_model_row_activity(const mpi_model *m, const double *x, double *act)
{
    mpi_row_classes t;
    mp_status st = mpi_row_classes_init(m, &t);
    if (st == MP_OK)
        eval_rows(&t, m, x, SIZE_MAX, act, NULL);
    mpi_row_classes_free(&t);
    return st;
}

mp_status mpi_model_row_activity_one(const mpi_model *m, size_t r, const double *x, double *act,
                                     double *size)
{
    mpi_row_classes t;
    double *both = mpi_calloc(2 * (m->lp.nrows + 1), sizeof(double));
    mp_status st = both ? mpi_row_classes_init(m, &t) : mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    if (st == MP_OK) {
        eval_rows(&t, m, x, r, both, both + m->lp.nrows + 1);
        *act = both[r];
        if (size)
            *size = both[m->lp.nrows + 1 + r];
        mpi_row_classes_free(&t);
    }
    free(both);
    return st;
}

mp_status mpi_rows_at_keep(mpi_rows_at *ra, const mpi_model *m, const double *act,
                           const double *size)
{
    size_t n = m->lp.nrows;
    ra->valid = 0;
    if (!ra->as && !(ra->as = mpi_malloc((2 * n + 1) * sizeof(double))))
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    memcpy(ra->as, act, n * sizeof(double));
    memcpy(ra->as + n, size, n * sizeof(double));
    ra->valid = 1;
    return MP_OK;
}

mp_status mpi_rows_at_get(mpi_rows_at *ra, const mpi_model *m, const double *x, double *as)
{
    size_t n = m->lp.nrows;
    if (ra && ra->valid) {
        memcpy(as, ra->as, 2 * n * sizeof(double));
        return MP_OK;
    }
    mpi_row_classes t;
    mp_status st = mpi_row_classes_init(m, &t);
    if (st == MP_OK)
        eval_rows(&t, m, x, SIZE_MAX, as, as + n);
    mpi_row_classes_free(&t);
    if (st == MP_OK && ra)
        st = mpi_rows_at_keep(ra, m, as, as + n);
    return st;
}

void mpi_rows_at_free(mpi_rows_at *ra)
{
    if (!ra)
        return;
    free(ra->as);
    ra->as = NULL;
    ra->valid = 0;
}

size_t mpi_row_classes_row(const mpi_row_classes *t, const mpi_model *m, size_t r, size_t *ind,
                           double *val)
{
    size_t n = 0;
    for (size_t i = 0; i < t->ncurves; i++) {
        const mpi_curve *c = &m->curves.v[i];
        const mpi_row_term *e = t->list + t->lstart[t->cls[i]],
                           *end = t->list + t->lstart[t->cls[i] + 1];
        while (e < end && e->row != r)
            e++;
        for (int s = 0; e < end && s < c->nseg; s++) {
            double y[MPI_NKPI];
            mpi_curve_yields(c, s, y);
            double a = e->a0;
            for (int q = 0; q < e->n; q++)
                a += e->a[q] * y[e->q[q]];
            if (a == 0)
                continue; /* as the LP's builder, which stores no zeros */
            if (ind) {
                ind[n] = c->col + (size_t)s;
                val[n] = a;
            }
            n++;
        }
    }
    return n;
}

int mpi_row_within(const mpi_row *row, double act, double size, double tol_rel)
{
    double tol = tol_rel * (1 + size);
    switch (row->op) {
    case MPI_LE: return !(act > row->rhs + tol);
    case MPI_GE: return !(act < row->rhs - tol);
    default: return !(fabs(act - row->rhs) > tol);
    }
}

mp_status mpi_model_rows_hold(const mpi_model *m, const double *x, int *hold)
{
    size_t n = m->lp.nrows;
    mpi_row_classes t;
    double *both = mpi_calloc(2 * n + 1, sizeof(double));
    mp_status st = both ? mpi_row_classes_init(m, &t) : mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    *hold = 0;
    if (st == MP_OK) {
        eval_rows(&t, m, x, SIZE_MAX, both, both + n);
        *hold = 1;
        for (size_t r = 0; r < n && *hold; r++)
            *hold = mpi_row_within(&m->lp.rows[r], both[r], both[n + r], 1e-6);
        mpi_row_classes_free(&t);
    }
    free(both);
    return st;
}
