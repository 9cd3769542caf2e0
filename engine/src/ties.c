/* The same answer for equal things: where several plans are optimal, the LP
 * returns one of its vertices, e.g. 370 and 630 for two identical channels.
 * Columns whose objective coefficient and every coefficient in the rows at
 * their bound are equal (per unit of spend) can trade spend one for one
 * without moving the objective or those rows, so the plan gives each of them
 * the same share of their common total: the same fill fraction. The
 * objective and the binding rows are unchanged, so the plan stays optimal;
 * the rows with room (a channel's own max_spend below its bound, say) must
 * keep within their bounds, else the plan stays as the LP gave it. Channels
 * with identical curves and constraints so get identical spends. */
#include "solution.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The columns of lp in the rows at their bound, column by column (rows
 * ascending in each): a transpose of those rows' coefficients. */
typedef struct colwise {
    size_t *start; /* [ncols + 1] */
    size_t *row;   /* [nnz] */
    double *val;   /* [nnz] */
} colwise;

static void colwise_free(colwise *c)
{
    free(c->start);
    free(c->row);
    free(c->val);
}

static mp_status colwise_build(const mpi_lp *lp, const unsigned char *tight, colwise *c)
{
    c->start = mpi_calloc(lp->ncols + 1, sizeof(size_t));
    c->row = mpi_calloc(lp->nnz ? lp->nnz : 1, sizeof(size_t));
    c->val = mpi_calloc(lp->nnz ? lp->nnz : 1, sizeof(double));
    if (!c->start || !c->row || !c->val)
        return mpi_nomem();
    for (size_t r = 0; r < lp->nrows; r++)
        for (size_t k = lp->rows[r].start; tight[r] && k < lp->rows[r].start + lp->rows[r].len; k++)
            c->start[lp->ind[k] + 1]++;
    for (size_t j = 0; j < lp->ncols; j++)
        c->start[j + 1] += c->start[j];
    for (size_t r = 0; r < lp->nrows; r++) /* rows in order: ascending in each column */
        for (size_t k = lp->rows[r].start; tight[r] && k < lp->rows[r].start + lp->rows[r].len;
             k++) {
            size_t j = lp->ind[k], at = c->start[j]++;
            c->row[at] = r;
            c->val[at] = lp->val[k];
        }
    for (size_t j = lp->ncols; j > 0; j--) /* the fill above moved each start to the next */
        c->start[j] = c->start[j - 1];
    c->start[0] = 0;
    return MP_OK;
}

static uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    return h * 0xff51afd7ed558ccdULL;
}

static uint64_t bits(double v)
{
    uint64_t u;
    v = v == 0 ? 0 : v; /* -0 and 0 alike */
    memcpy(&u, &v, sizeof u);
    return u;
}

static uint64_t col_hash(const mpi_lp *lp, const colwise *c, size_t j)
{
    uint64_t h = mix(0, bits(lp->obj[j]));
    for (size_t k = c->start[j]; k < c->start[j + 1]; k++)
        h = mix(mix(h, c->row[k]), bits(c->val[k]));
    return h;
}

static int same_col(const mpi_lp *lp, const colwise *c, size_t a, size_t b)
{
    size_t n = c->start[a + 1] - c->start[a];
    if (lp->obj[a] != lp->obj[b] || n != c->start[b + 1] - c->start[b])
        return 0;
    for (size_t k = 0; k < n; k++)
        if (c->row[c->start[a] + k] != c->row[c->start[b] + k] ||
            c->val[c->start[a] + k] != c->val[c->start[b] + k])
            return 0;
    return 1;
}

/* cls[j]: the first column equal to column j (j itself when none comes
 * before it), through an open-addressing table of the columns' hashes. */
static mp_status classes(const mpi_lp *lp, const colwise *c, size_t *cls)
{
    size_t cap = 16;
    while (cap < 2 * lp->ncols)
        cap *= 2;
    size_t *slot = mpi_malloc(cap * sizeof(size_t));
    uint64_t *hash = mpi_malloc(cap * sizeof(uint64_t));
    if (!slot || !hash) {
        free(slot);
        free(hash);
        return mpi_nomem();
    }
    for (size_t i = 0; i < cap; i++)
        slot[i] = SIZE_MAX;
    for (size_t j = 0; j < lp->ncols; j++) {
        uint64_t h = col_hash(lp, c, j);
        size_t i = (size_t)(h & (cap - 1));
        cls[j] = j;
        for (; slot[i] != SIZE_MAX; i = (i + 1) & (cap - 1))
            if (hash[i] == h && same_col(lp, c, slot[i], j)) {
                cls[j] = slot[i];
                break;
            }
        if (lp->binary && lp->binary[j])
            continue; /* a 0/1 column is a class of its own */
        if (cls[j] == j) {
            slot[i] = j;
            hash[i] = h;
        }
    }
    free(slot);
    free(hash);
    return MP_OK;
}

/* Spread each class's total over its columns at one fill fraction (total
 * and room: scratch of ncols each). */
static void spread(const mpi_lp *lp, const size_t *cls, double *total, double *room, double *x)
{
    for (size_t j = 0; j < lp->ncols; j++) {
        total[j] = room[j] = 0;
        total[cls[j]] += x[j];
        room[cls[j]] += lp->ub[j];
    }
    for (size_t j = 0; j < lp->ncols; j++) {
        size_t r = cls[j];
        double f = room[r] > 0 ? fmin(1, fmax(0, total[r] / room[r])) : 0;
        x[j] = f * lp->ub[j];
    }
}

/* tight[r]: row r is at its bound at x (within 1e-9 of its magnitude). */
static void tight_rows(const mpi_lp *lp, const double *x, unsigned char *tight)
{
    for (size_t r = 0; r < lp->nrows; r++) {
        double scale, act = mpi_row_activity(lp, r, x, &scale);
        tight[r] = lp->rows[r].op == MPI_EQ || fabs(act - lp->rows[r].rhs) <= 1e-9 * (1 + scale);
    }
}

/* Whether the rows with room at the LP's plan keep within their bounds at y. */
static int slack_rows_hold(const mpi_lp *lp, const unsigned char *tight, const double *y)
{
    for (size_t r = 0; r < lp->nrows; r++) {
        if (tight[r])
            continue;
        const mpi_row *row = &lp->rows[r];
        double scale, act = mpi_row_activity(lp, r, y, &scale), tol = 1e-9 * (1 + scale);
        if ((row->op == MPI_LE && act > row->rhs + tol) ||
            (row->op == MPI_GE && act < row->rhs - tol))
            return 0;
    }
    return 1;
}

/* x spread over classes (in y), then refilled in segment order where equal
 * segments of one curve (a straight stretch) share a class; x takes it when
 * every row still holds. */
static mp_status spread_and_check(const mpi_model *m, const size_t *cls, const unsigned char *tight,
                                  double *total, double *y, double *x)
{
    const mpi_lp *lp = &m->lp;
    memcpy(y, x, lp->ncols * sizeof(double));
    spread(lp, cls, total, total + lp->ncols, y);
    int in_order = 1;
    mp_status st = mpi_refill_in_order(m, y, &in_order);
    if (st == MP_OK && in_order && slack_rows_hold(lp, tight, y) && mpi_rows_hold(lp, y))
        memcpy(x, y, lp->ncols * sizeof(double));
    return st;
}

mp_status mpi_equal_ties(const mpi_model *m, double *x)
{
    const mpi_lp *lp = &m->lp;
    colwise c = {NULL, NULL, NULL};
    size_t n = lp->ncols ? lp->ncols : 1;
    size_t *cls = mpi_calloc(n, sizeof(size_t));
    double *total = mpi_calloc(2 * n, sizeof(double));
    double *y = mpi_calloc(n, sizeof(double));
    unsigned char *tight = mpi_calloc(lp->nrows ? lp->nrows : 1, 1);
    mp_status st = cls && total && y && tight ? MP_OK : mpi_nomem();
    if (st == MP_OK) {
        tight_rows(lp, x, tight);
        st = colwise_build(lp, tight, &c);
    }
    if (st == MP_OK)
        st = classes(lp, &c, cls);
    if (st == MP_OK)
        st = spread_and_check(m, cls, tight, total, y, x);
    colwise_free(&c);
    free(cls);
    free(total);
    free(y);
    free(tight);
    return st;
}
