/* The same answer for equal things: where several plans are optimal, the LP
 * returns one of its vertices, e.g. 370 and 630 for two identical channels.
 * Columns whose objective coefficient and every coefficient in the rows at
 * their bound are equal (per unit of spend) can trade spend one for one
 * without moving the objective or those rows, so the plan gives each of them
 * the same share of their common total: the same fill fraction. The
 * objective and the binding rows are unchanged, so the plan stays optimal;
 * the rows with room (a channel's own max_spend below its bound, say) must
 * keep within their bounds, else the plan stays as the LP gave it. Channels
 * with identical curves and constraints so get identical spends.
 *
 * A segment's coefficients come from its yields and its curve's class terms
 * (rows.c), never from the LP's matrix: each segment is hashed on them, the
 * hashes sorted into buckets small enough for a table in cache, and equal
 * segments found bucket by bucket, in column order. */
#include "solution.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Segments a bucket holds on average: its table stays in cache. */
#define BUCKET_SEGS 2048

/* What the passes share: the model, its class table, the rows at their
 * bound at the LP's plan, and each segment's hash. */
typedef struct ties {
    const mpi_model *m;
    mpi_row_classes t;
    unsigned char *tight; /* [nrows] */
    double *act, *size;   /* [nrows] scratch */
    mpi_row_term *tl;     /* each class's terms in the tight rows... */
    size_t *tlstart;      /* ...class k's at tl[tlstart[k] .. tlstart[k + 1]) */
    int obj_kpi;
    size_t n;       /* columns */
    uint32_t *key;  /* [n] each column's key (seg_key) */
    int shift;      /* a key's bucket: key >> shift (32: one bucket) */
    size_t nb;      /* buckets */
    size_t *bstart; /* [nb + 1] each bucket's entries in ent */
    struct tie_ent {
        uint32_t curve, seg, key;
    } * ent; /* [n] segments and their keys, bucket by bucket, in column order in each */
} ties;

static void ties_free(ties *k)
{
    mpi_row_classes_free(&k->t);
    free(k->tight);
    free(k->act);
    free(k->tl);
    free(k->tlstart);
    free(k->key);
    free(k->bstart);
    free(k->ent);
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

/* tight[r]: row r is at its bound at x (within 1e-9 of its magnitude). */
static void tight_rows(ties *k, const double *x)
{
    const mpi_lp *lp = &k->m->lp;
    mpi_row_classes_eval(&k->t, k->m, x, k->act, k->size);
    for (size_t r = 0; r < lp->nrows; r++)
        k->tight[r] = lp->rows[r].op == MPI_EQ ||
                      fabs(k->act[r] - lp->rows[r].rhs) <= 1e-9 * (1 + k->size[r]);
}

/* Segment s of curve c (class cls) as the LP sees it in the objective and the
 * rows at their bound: v[0] its objective coefficient, then (row[i], v[i])
 * its non-zero coefficients in those rows, rows ascending, each the explicit
 * matrix's to the bit (yields scaled by inv = 1 / c->mult, as
 * mpi_curve_yields scales them). Returns how many values. */
static size_t signature(const ties *k, const mpi_curve *c, uint32_t cls, double inv, int s,
                        size_t *row, double *v)
{
    double y[MPI_NKPI];
    for (int q = 0; q < MPI_NKPI; q++) {
        double d = mpi_curve_data_yield(c, s, q);
        y[q] = q == MPI_SPEND ? d : d * inv;
    }
    size_t n = 0;
    row[n] = SIZE_MAX;
    v[n++] = y[k->obj_kpi];
    for (const mpi_row_term *e = k->tl + k->tlstart[cls]; e < k->tl + k->tlstart[cls + 1]; e++) {
        double a = e->a0;
        for (int q = 0; q < e->n; q++)
            a += e->a[q] * y[e->q[q]];
        if (a == 0)
            continue; /* the matrix holds no zeros */
        row[n] = e->row;
        v[n++] = a;
    }
    return n;
}

/* Each class's terms in the rows at their bound only (k->tl, k->tlstart). */
static mp_status tight_lists(ties *k)
{
    const mpi_row_classes *t = &k->t;
    k->tl = mpi_calloc(t->lstart[t->ncls] + 1, sizeof *k->tl);
    k->tlstart = mpi_calloc(t->ncls + 1, sizeof(size_t));
    if (!k->tl || !k->tlstart)
        return mpi_nomem();
    size_t n = 0;
    for (size_t c = 0; c < t->ncls; c++) {
        k->tlstart[c] = n;
        for (size_t i = t->lstart[c]; i < t->lstart[c + 1]; i++)
            if (k->tight[t->list[i].row])
                k->tl[n++] = t->list[i];
    }
    k->tlstart[t->ncls] = n;
    return MP_OK;
}

/* A column's fill at the LP's plan: spreading moves only the columns of a
 * class whose fills differ (a class all at 0, or all at their widths, stays). */
enum { FILL_EMPTY, FILL_FULL, FILL_PART };

/* The key of segment s of curve c: its signature's hash in the upper 30 bits,
 * its fill in the lower 2 (scratch: a signature's room). */
static uint32_t seg_key(const ties *k, const mpi_curve *c, uint32_t cls, double inv, int s,
                        int fill, size_t *row, double *v)
{
    size_t n = signature(k, c, cls, inv, s, row, v);
    uint64_t h = mix(0, bits(v[0]));
    for (size_t i = 1; i < n; i++)
        h = mix(mix(h, row[i]), bits(v[i]));
    return ((uint32_t)(h >> 32) & ~3u) | (uint32_t)fill;
}

/* A signature: its length, rows and values (as signature() fills them). */
typedef struct sig {
    size_t n, *row;
    double *v;
} sig;

/* Whether entry e's segment has signature want. */
static int same_as(const ties *k, const struct tie_ent *e, const sig *want, sig *scratch)
{
    const mpi_curve *c = &k->m->curves.v[e->curve];
    size_t n =
        signature(k, c, k->t.cls[e->curve], 1 / c->mult, (int)e->seg, scratch->row, scratch->v);
    if (n != want->n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (scratch->row[i] != want->row[i] || scratch->v[i] != want->v[i])
            return 0;
    return 1;
}

static size_t bucket_of(const ties *k, uint32_t key)
{
    return k->shift >= 32 ? 0 : (size_t)(key >> k->shift);
}

/* Column j alone into y[j]: its fill fraction, clamped to [0, 1], times its
 * width ub; returns its fill. */
static int alone(double xj, double ub, double *yj)
{
    if (xj == 0 || (xj == ub && ub > 0)) { /* the fraction 0 or 1, exactly */
        *yj = xj == 0 ? 0 : ub;
        return xj == 0 ? FILL_EMPTY : FILL_FULL;
    }
    double f = ub > 0 ? fmin(1, fmax(0, xj / ub)) : 0;
    *yj = f * ub;
    return FILL_PART;
}

/* Every column alone into y, each column's key, and how many keys fall in
 * each bucket; a 0/1 column (none in a model's own LP) is a class of its
 * own, out of every bucket. *changed: whether y differs from x. */
static mp_status key_cols(ties *k, const double *x, double *y, int *changed)
{
    const mpi_model *m = k->m;
    size_t nr = k->t.nrows + 1, *row = mpi_calloc(nr, sizeof(size_t));
    double *v = mpi_calloc(nr, sizeof(double));
    k->key = mpi_calloc(k->n + 1, sizeof(uint32_t));
    k->bstart = mpi_calloc(k->nb + 1, sizeof(size_t));
    mp_status st = row && v && k->key && k->bstart ? MP_OK : mpi_nomem();
    for (size_t i = 0; st == MP_OK && i < m->curves.n; i++) {
        const mpi_curve *c = &m->curves.v[i];
        double inv = 1 / c->mult;
        for (int s = 0; s < c->nseg; s++) {
            size_t j = c->col + (size_t)s;
            int fill = alone(x[j], mpi_curve_width(c, s), &y[j]);
            *changed = *changed || y[j] != x[j];
            if (m->lp.binary && m->lp.binary[j])
                continue;
            k->key[j] = seg_key(k, c, k->t.cls[i], inv, s, fill, row, v);
            k->bstart[bucket_of(k, k->key[j]) + 1]++;
        }
    }
    free(row);
    free(v);
    return st;
}

/* The columns sorted into their buckets, in column order within each. */
static mp_status scatter_cols(ties *k)
{
    const mpi_model *m = k->m;
    for (size_t b = 0; b < k->nb; b++)
        k->bstart[b + 1] += k->bstart[b];
    size_t *at = mpi_calloc(k->nb + 1, sizeof(size_t));
    k->ent = mpi_calloc(k->bstart[k->nb] + 1, sizeof *k->ent);
    if (!at || !k->ent) {
        free(at);
        return mpi_nomem();
    }
    memcpy(at, k->bstart, k->nb * sizeof(size_t));
    for (size_t i = 0; i < m->curves.n; i++) {
        const mpi_curve *c = &m->curves.v[i];
        for (int s = 0; s < c->nseg; s++) {
            size_t j = c->col + (size_t)s;
            if (m->lp.binary && m->lp.binary[j])
                continue;
            struct tie_ent *e = &k->ent[at[bucket_of(k, k->key[j])]++];
            e->curve = (uint32_t)i;
            e->seg = (uint32_t)s;
            e->key = k->key[j];
        }
    }
    free(at);
    free(k->key);
    k->key = NULL;
    return MP_OK;
}

/* Scratch for one bucket: a table of its groups' first entries (entries of
 * one hash), and per entry its group, the next entry of the group, its class
 * (the first entry of the group equal to it), the fills its group holds, and
 * per class its count, total and room. */
typedef struct bucket_work {
    size_t cap;     /* table slots, a power of two */
    uint32_t *slot; /* [cap] an entry of the bucket, or UINT32_MAX */
    uint32_t *grp, *next, *cls, *cnt;
    unsigned char *fills; /* [len] 1 << fill of each member, or-ed at the group's first */
    double *total, *room;
    sig mine, theirs; /* an entry's signature, and one it is compared with */
} bucket_work;

static void bucket_work_free(bucket_work *w)
{
    free(w->slot);
    free(w->grp);
    free(w->fills);
    free(w->total);
    free(w->mine.row);
    free(w->mine.v);
}

/* Room for the largest bucket. */
static mp_status bucket_work_init(const ties *k, bucket_work *w)
{
    size_t len = 1, nr = k->t.nrows + 1;
    for (size_t b = 0; b < k->nb; b++)
        len = k->bstart[b + 1] - k->bstart[b] > len ? k->bstart[b + 1] - k->bstart[b] : len;
    memset(w, 0, sizeof *w);
    w->cap = 16;
    while (w->cap < 2 * len)
        w->cap *= 2;
    w->slot = mpi_malloc(w->cap * sizeof(uint32_t));
    w->grp = mpi_calloc(4 * len, sizeof(uint32_t));
    w->fills = mpi_calloc(len, 1);
    w->total = mpi_calloc(2 * len, sizeof(double));
    w->mine.row = mpi_calloc(2 * nr, sizeof(size_t));
    w->mine.v = mpi_calloc(2 * nr, sizeof(double));
    if (!w->slot || !w->grp || !w->fills || !w->total || !w->mine.row || !w->mine.v)
        return mpi_nomem();
    w->next = w->grp + len;
    w->cls = w->grp + 2 * len;
    w->cnt = w->grp + 3 * len;
    w->room = w->total + len;
    w->theirs.row = w->mine.row + nr;
    w->theirs.v = w->mine.v + nr;
    return MP_OK;
}

/* grp[i]: the first entry of the bucket with entry i's hash, through an
 * open-addressing table; next[] links each group's entries in column order;
 * fills[g] the fills group g holds. */
static void bucket_groups(const struct tie_ent *e, size_t len, bucket_work *w)
{
    size_t cap = 16;
    while (cap < 2 * len)
        cap *= 2;
    for (size_t i = 0; i < cap; i++)
        w->slot[i] = UINT32_MAX;
    for (size_t i = 0; i < len; i++) {
        uint32_t h = e[i].key >> 2;
        size_t at = h & (cap - 1);
        while (w->slot[at] != UINT32_MAX && e[w->slot[at]].key >> 2 != h)
            at = (at + 1) & (cap - 1);
        if (w->slot[at] == UINT32_MAX) {
            w->slot[at] = (uint32_t)i;
            w->fills[i] = 0;
        } else {
            w->next[w->cls[w->slot[at]]] = (uint32_t)i; /* cls: the group's last, for now */
        }
        uint32_t g = w->slot[at];
        w->grp[i] = g;
        w->cls[g] = (uint32_t)i;
        w->next[i] = UINT32_MAX;
        w->fills[g] |= (unsigned char)(1u << (e[i].key & 3));
    }
}

/* Whether group g's spread can move a column: its fills differ. */
static int mixed(const bucket_work *w, uint32_t g)
{
    unsigned char f = w->fills[g];
    return (f & (1u << FILL_PART)) || f == ((1u << FILL_EMPTY) | (1u << FILL_FULL));
}

/* cls[i] for the entries of group g: the first entry of the group equal to
 * entry i, its signature compared value for value. */
static void group_classes(const ties *k, const struct tie_ent *e, uint32_t g, bucket_work *w)
{
    for (uint32_t i = g; i != UINT32_MAX; i = w->next[i]) {
        const mpi_curve *c = &k->m->curves.v[e[i].curve];
        w->mine.n = signature(k, c, k->t.cls[e[i].curve], 1 / c->mult, (int)e[i].seg, w->mine.row,
                              w->mine.v);
        w->cls[i] = i;
        for (uint32_t r = g; r != i; r = w->next[r])
            if (w->cls[r] == r && same_as(k, &e[r], &w->mine, &w->theirs)) {
                w->cls[i] = r;
                break;
            }
    }
}

static size_t col_of(const mpi_model *m, const struct tie_ent *e)
{
    return m->curves.v[e->curve].col + e->seg;
}

static double width_of(const mpi_model *m, const struct tie_ent *e)
{
    return mpi_curve_width(&m->curves.v[e->curve], (int)e->seg);
}

/* Spread each class of group g with several columns over them at one fill
 * fraction: its total over its room, summed in column order. */
static int group_spread(const ties *k, const struct tie_ent *e, uint32_t g, bucket_work *w,
                        const double *x, double *y)
{
    int changed = 0;
    for (uint32_t i = g; i != UINT32_MAX; i = w->next[i]) {
        w->cnt[i] = 0;
        w->total[i] = w->room[i] = 0;
    }
    for (uint32_t i = g; i != UINT32_MAX; i = w->next[i]) {
        uint32_t r = w->cls[i];
        w->cnt[r]++;
        w->total[r] += x[col_of(k->m, &e[i])];
        w->room[r] += width_of(k->m, &e[i]);
    }
    for (uint32_t i = g; i != UINT32_MAX; i = w->next[i]) {
        uint32_t r = w->cls[i];
        if (w->cnt[r] < 2)
            continue; /* alone: y has it */
        size_t j = col_of(k->m, &e[i]);
        double f = w->room[r] > 0 ? fmin(1, fmax(0, w->total[r] / w->room[r])) : 0;
        y[j] = f * width_of(k->m, &e[i]);
        changed = changed || y[j] != x[j];
    }
    return changed;
}

/* y: x spread over classes of equal columns, bucket by bucket; only groups
 * whose fills differ are split into classes and spread. */
static mp_status spread(ties *k, const double *x, double *y, int *changed)
{
    bucket_work w;
    mp_status st = bucket_work_init(k, &w);
    for (size_t b = 0; st == MP_OK && b < k->nb; b++) {
        const struct tie_ent *e = k->ent + k->bstart[b];
        size_t len = k->bstart[b + 1] - k->bstart[b];
        bucket_groups(e, len, &w);
        for (size_t i = 0; i < len; i++) {
            uint32_t g = (uint32_t)i;
            if (w.grp[i] != g || w.next[g] == UINT32_MAX || !mixed(&w, g))
                continue;
            group_classes(k, e, g, &w);
            if (group_spread(k, e, g, &w, x, y))
                *changed = 1;
        }
    }
    bucket_work_free(&w);
    return st;
}

/* y refilled in segment order where equal segments of one curve (a straight
 * stretch) share a class; x takes it when every row still holds, and the
 * rows with room at x within 1e-9 of their size: one evaluation of the rows
 * for both (the refill's own check is the second). */
static mp_status take_if_rows_hold(ties *k, double *y, int changed, double *x)
{
    const mpi_model *m = k->m;
    int in_order = mpi_filled_in_order(m, y);
    if (!changed && in_order)
        return MP_OK; /* nothing would move */
    if (!in_order)
        mpi_refill_curves(m, y);
    mpi_row_classes_eval(&k->t, m, y, k->act, k->size);
    for (size_t r = 0; r < m->lp.nrows; r++) {
        const mpi_row *row = &m->lp.rows[r];
        if (!k->tight[r] && !mpi_row_within(row, k->act[r], k->size[r], 1e-9))
            return MP_OK;
        if (!mpi_row_within(row, k->act[r], k->size[r], 1e-6))
            return MP_OK;
    }
    memcpy(x, y, k->n * sizeof(double));
    return MP_OK;
}

/* The class table, the rows at their bound at x and the buckets' number. */
static mp_status ties_init(const mpi_model *m, const double *x, ties *k)
{
    memset(k, 0, sizeof *k);
    k->m = m;
    k->n = m->lp.ncols;
    size_t nr = m->lp.nrows + 1;
    k->tight = mpi_calloc(nr, 1);
    k->act = mpi_calloc(2 * nr, sizeof(double));
    if (!k->tight || !k->act)
        return mpi_nomem();
    k->size = k->act + nr;
    mp_status st = mpi_row_classes_init(m, &k->t);
    if (st != MP_OK)
        return st;
    tight_rows(k, x);
    k->obj_kpi = m->plan->obj_kpi;
    if ((st = tight_lists(k)) != MP_OK)
        return st;
    k->nb = 1;
    k->shift = 32;
    while (k->nb * BUCKET_SEGS < k->n && k->shift > 16) {
        k->nb *= 2;
        k->shift--;
    }
    return MP_OK;
}

mp_status mpi_equal_ties(const mpi_model *m, double *x)
{
    if (m->lp.ncols >= UINT32_MAX)
        return MP_OK; /* columns are numbered in 32 bits here: no LP that large fits in memory */
    ties k;
    double *y = NULL;
    int changed = 0;
    mp_status st = ties_init(m, x, &k);
    if (st == MP_OK && !(y = mpi_malloc((k.n + 1) * sizeof(double))))
        st = mpi_nomem();
    if (st == MP_OK)
        st = key_cols(&k, x, y, &changed);
    if (st == MP_OK)
        st = scatter_cols(&k);
    if (st == MP_OK)
        st = spread(&k, x, y, &changed);
    free(k.ent);
    k.ent = NULL;
    if (st == MP_OK)
        st = take_if_rows_hold(&k, y, changed, x);
    free(y);
    ties_free(&k);
    return st;
}
