/* The MIP of a large booked plan on the segments in question only.
 *
 * A booked plan's integers sit on a few channel-periods (flights, whole
 * spots, insertions); its keyword segments stay continuous and, at the
 * relaxation's row prices, most of them are clearly priced: at their width or
 * at 0 whatever the booking does. So branch and cut runs on a restricted MIP:
 *
 *   1. the relaxation (solved before by the implicit solve, with its prices
 *      pi) gives each segment its reduced cost d = obj - sum_r pi_r a_r;
 *   2. the restricted MIP has a column for every segment of the booked
 *      channels, of every curve that is not a keyword's (a channel's in a
 *      period: few, and what a booking trades against), of every segment
 *      filled part-way and of every one in the band |d| <= band * (|obj| +
 *      sum_r |pi_r a_r|); the other segments, at 0 or at their width in the
 *      relaxation, go in blocks by side and by |d| relative to their terms
 *      (BLOCK_RATIO apart): a block is one column, the share of each of its
 *      segments' widths bought, whose row terms and objective are their sums.
 *      A block at its relaxation share is the relaxation's fill folded into
 *      the rows; a block between lets the booking move money into or out of
 *      the keywords far from the margin. Every point of the restricted MIP
 *      is a plan of the whole MIP. Then the booking's columns and rows
 *      (mip.c);
 *   3. the integers found fix a pattern (units bought, periods on the air),
 *      and the LP of that pattern over every segment is solved by the
 *      implicit solve (mpi_model_pattern: exact for the pattern, verified
 *      over every segment; started from the prices of the restricted LP at
 *      that pattern): the plan reported is that LP's optimum, never worse
 *      than the restricted MIP's.
 *
 * The rule for the restriction: if the pattern's LP does better than the
 * restricted MIP's plan (by more than SETTLE_REL), the restriction
 * was binding for that pattern: the segments the LP puts elsewhere join the
 * band, the band widens BAND_GROW times and the MIP runs again, up to
 * BAND_ROUNDS times. When it does not, the pattern's optimum was within the
 * restricted MIP's reach and the pattern is the best of the restricted MIP
 * ("settled"). What is not proved is that no other pattern would do better
 * with segments outside the band moved otherwise than the blocks move them;
 * the certified gap (the relaxation's Lagrangian bound against the exact
 * figures) bounds whatever that loses, the JSON says whether the band
 * settled and a warning says when it did not. A restricted MIP found
 * infeasible proves nothing (the blocks move their segments together): the
 * whole MIP decides, as it does when branch and cut's answer on every band
 * failed its check (lpnum.c). */
#include "solution.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NONE ((size_t)-1)
/* Plans up to this many columns solve their whole MIP (branch and cut on a
 * thousand columns costs less than the restriction's passes). A 16-week plan
 * with 48 keywords and TV and radio flights has 21,840: its whole MIP had
 * not proved a booked plan within 0.1 % after 60 s, its restriction to
 * 1,989 columns did in 14 s (and the spring plan's, 17,719: 4.8 s whole,
 * 0.5 s restricted, the same optimum). */
static size_t band_whole_max = 2000;
/* The band's starting width, relative to a segment's terms (the implicit
 * solve starts at 0.01 for an LP; a booking moves the prices further). */
#define BAND_START  0.005
#define BAND_GROW   4
#define BAND_ROUNDS 4
/* Blocks of the segments outside the band: by side (filled or empty in the
 * relaxation) and by how clearly priced, BLOCK_RATIO apart, NBLOCK a side. */
#define NBLOCK      40
#define BLOCK_RATIO 1.15
#define NO_BLOCK    0xff
/* The pattern's LP doing better than the restricted MIP's plan by at most
 * this (relative) is the same plan. A block bought part-way spreads over its
 * segments what the LP buys best first: on a pattern that is right that
 * costs 1e-7 to 1e-6 of the objective (300 keywords x 6 and 8 weeks), and a
 * second round with a wider band then settles it. (Finer blocks, 64 a side
 * 1.08 apart, cost less but left branch and cut an answer failing its check
 * on the spring plan with 10,000 keywords.) */
#define SETTLE_REL 1e-7

/* A restriction of model m around its relaxation (x0, pi). */
typedef struct bandset {
    const mpi_model *m;
    mpi_row_classes tab;
    const double *x0, *pi;
    double band;
    unsigned char *in;    /* [ncols] the segment is in the restricted MIP */
    size_t *map;          /* [ncols] its column there, or NONE */
    unsigned char *block; /* [ncols] the block of a segment outside it, or NO_BLOCK */
    size_t nin, nblocks;
    size_t bcol[2 * NBLOCK]; /* each block's column, or NONE when empty */
    double *bsum;            /* [2 * NBLOCK][nrows + 1]: its rows' terms, then objective */
    double *size;            /* [nrows] each row's size at the relaxation */
    double *a;               /* [nrows] scratch: a segment's row terms */
} bandset;

int mpi_mip_band_fits(const mpi_model *m, const mp_solve_opts *opts)
{
    return (!opts || opts->method == MP_METHOD_AUTO) && m->lp.ncols > band_whole_max;
}

size_t mpi_mip_tune_band(size_t whole_max)
{
    size_t old = band_whole_max;
    band_whole_max = whole_max;
    return old;
}

static void bandset_free(bandset *b)
{
    mpi_row_classes_free(&b->tab);
    free(b->in);
    free(b->map);
    free(b->block);
    free(b->bsum);
    free(b->size);
    free(b->a);
    memset(b, 0, sizeof *b);
}

static mp_status bandset_init(const mpi_model *m, const double *x0, const double *pi, bandset *b)
{
    memset(b, 0, sizeof *b);
    b->m = m;
    b->x0 = x0;
    b->pi = pi;
    size_t n = m->lp.ncols ? m->lp.ncols : 1, nr = m->lp.nrows + 1;
    b->in = mpi_calloc(n, 1);
    b->map = mpi_malloc(n * sizeof *b->map);
    b->block = mpi_malloc(n);
    b->bsum = mpi_calloc(2 * NBLOCK * nr, sizeof(double));
    b->size = mpi_calloc(nr, sizeof(double));
    b->a = mpi_calloc(nr, sizeof(double));
    if (!b->in || !b->map || !b->block || !b->bsum || !b->size || !b->a)
        return mpi_nomem();
    mp_status st = mpi_row_classes_init(m, &b->tab);
    double *act = st == MP_OK ? mpi_calloc(nr, sizeof(double)) : NULL;
    if (st == MP_OK && !act)
        st = mpi_nomem();
    if (st == MP_OK)
        mpi_row_classes_eval(&b->tab, m, x0, act, b->size);
    free(act);
    return st;
}

/* Segment s of curve c (class k): its row terms into b->a (the rows its
 * class touches; the others left as they were) and its objective
 * coefficient; *d its reduced cost at b->pi and *size the size of its terms
 * (when not NULL). */
static double seg_terms(bandset *b, const mpi_curve *c, uint32_t k, int s, double *d, double *size)
{
    double y[MPI_NKPI];
    mpi_curve_yields(c, s, y);
    const mpi_row_classes *t = &b->tab;
    double obj = y[b->m->plan->obj_kpi] + t->obj0[k], dd = obj, sz = fabs(obj);
    for (size_t i = t->lstart[k]; i < t->lstart[k + 1]; i++) {
        const mpi_row_term *e = &t->list[i];
        double a = e->a0;
        for (int q = 0; q < e->n; q++)
            a += e->a[q] * y[e->q[q]];
        b->a[e->row] = a;
        dd -= b->pi[e->row] * a;
        sz += fabs(b->pi[e->row] * a);
    }
    if (d)
        *d = dd;
    if (size)
        *size = sz;
    return obj;
}

/* The block of a segment outside the band: its side and how far outside. */
static unsigned char block_of(double band, int filled, double rel)
{
    double k = floor(log(fmax(rel, band) / band) / log(BLOCK_RATIO));
    int bin = k < NBLOCK - 1 ? (int)k : NBLOCK - 1;
    return (unsigned char)(filled * NBLOCK + bin);
}

/* Segment j (s of curve c, class k) in the band or in its block, whose sums
 * it joins. */
static void place(bandset *b, const mpi_curve *c, uint32_t k, int s, int all)
{
    size_t j = c->col + (size_t)s, nr = b->m->lp.nrows;
    double x = b->x0[j], w = mpi_curve_width(c, s), d = 0, size = 0;
    b->block[j] = NO_BLOCK;
    if (b->in[j] || all || (x > 0 && x < w)) {
        b->in[j] = 1;
        return;
    }
    double obj = seg_terms(b, c, k, s, &d, &size);
    if (!(fabs(d) > b->band * size)) {
        b->in[j] = 1;
        return;
    }
    b->block[j] = block_of(b->band, x > 0, fabs(d) / size);
    double *sum = b->bsum + b->block[j] * (nr + 1);
    const mpi_row_classes *t = &b->tab;
    for (size_t i = t->lstart[k]; i < t->lstart[k + 1]; i++)
        sum[t->list[i].row] += b->a[t->list[i].row] * w;
    sum[nr] += obj * w;
}

/* The band at width band: every segment of a booked channel and every curve
 * that is not a keyword's (a channel's in a period: few, and what a booking
 * trades against, as radio for tv under an offline share), every segment
 * filled part-way, every one priced within band of 0 at the relaxation's
 * prices, and the ones already in; the others in blocks. */
static void mark(bandset *b, double band)
{
    const mpi_model *m = b->m;
    size_t nr = m->lp.nrows;
    b->band = band;
    memset(b->bsum, 0, 2 * NBLOCK * (nr + 1) * sizeof(double));
    for (size_t i = 0; i < m->curves.n; i++) {
        const mpi_curve *c = &m->curves.v[i];
        int all = c->keyword < 0 || mpi_channel_booked(&m->plan->ch[c->channel]);
        for (int s = 0; s < c->nseg; s++)
            place(b, c, b->tab.cls[i], s, all);
    }
    b->nin = 0;
    for (size_t j = 0; j < m->lp.ncols; j++)
        b->map[j] = b->in[j] ? b->nin++ : NONE;
    int used[2 * NBLOCK] = {0};
    for (size_t j = 0; j < m->lp.ncols; j++)
        if (b->block[j] != NO_BLOCK)
            used[b->block[j]] = 1;
    b->nblocks = 0;
    for (int k = 0; k < 2 * NBLOCK; k++)
        b->bcol[k] = used[k] ? b->nin + b->nblocks++ : NONE;
}

/* The restricted LP's columns: the band's segments, in model order, then a
 * column a block, the share of each of its segments' widths bought. */
static mp_status band_columns(bandset *b, mpi_lp *out)
{
    const mpi_model *m = b->m;
    size_t n = b->nin + b->nblocks, nr = m->lp.nrows;
    out->obj = mpi_calloc(n ? n : 1, sizeof(double));
    out->ub = mpi_calloc(n ? n : 1, sizeof(double));
    out->binary = mpi_calloc(n ? n : 1, 1);
    if (!out->obj || !out->ub || !out->binary)
        return mpi_nomem();
    out->ncols = n;
    for (size_t i = 0; i < m->curves.n; i++) {
        const mpi_curve *c = &m->curves.v[i];
        for (int s = 0; s < c->nseg; s++) {
            size_t j = b->map[c->col + (size_t)s];
            if (j == NONE)
                continue;
            out->obj[j] = seg_terms(b, c, b->tab.cls[i], s, NULL, NULL);
            out->ub[j] = mpi_curve_width(c, s);
        }
    }
    for (int k = 0; k < 2 * NBLOCK; k++)
        if (b->bcol[k] != NONE) {
            out->obj[b->bcol[k]] = b->bsum[(size_t)k * (nr + 1) + nr];
            out->ub[b->bcol[k]] = 1;
        }
    return MP_OK;
}

/* Room for one more entry of out's matrix, put there. */
static mp_status put(mpi_lp *out, size_t j, double v)
{
    void *arrays[] = {out->ind, out->val};
    const size_t sizes[] = {sizeof *out->ind, sizeof *out->val};
    mp_status st = mpi_reserve_all(&out->nzcap, out->nnz + 1, 2, arrays, sizes);
    out->ind = arrays[0];
    out->val = arrays[1];
    if (st != MP_OK)
        return mpi_nomem();
    out->ind[out->nnz] = j;
    out->val[out->nnz++] = v;
    return MP_OK;
}

/* Row r over the band's columns and the blocks' (its size the whole row's
 * at the relaxation). */
static mp_status band_row(bandset *b, size_t r, mpi_lp *out)
{
    const mpi_model *m = b->m;
    const mpi_row *src = &m->lp.rows[r];
    mpi_row *row = &out->rows[r];
    *row = *src;
    row->name = mpi_strdup(src->name);
    row->label = mpi_strdup(src->label);
    out->nrows++;
    if (!row->name || !row->label)
        return mpi_nomem();
    row->size = fmax(src->size, b->size[r]);
    row->start = out->nnz;
    mp_status st = MP_OK;
    for (size_t i = 0; st == MP_OK && i < m->curves.n; i++) {
        const mpi_curve *c = &m->curves.v[i];
        uint32_t k = b->tab.cls[i];
        if (!b->tab.touch[(size_t)k * b->tab.nrows + r])
            continue;
        for (int s = 0; st == MP_OK && s < c->nseg; s++) {
            size_t j = b->map[c->col + (size_t)s];
            if (j == NONE)
                continue;
            b->a[r] = 0;
            seg_terms(b, c, k, s, NULL, NULL);
            if (b->a[r] != 0)
                st = put(out, j, b->a[r]);
        }
    }
    for (int k = 0; st == MP_OK && k < 2 * NBLOCK; k++) {
        double v = b->bsum[(size_t)k * (m->lp.nrows + 1) + r];
        if (b->bcol[k] != NONE && v != 0)
            st = put(out, b->bcol[k], v);
    }
    row->len = out->nnz - row->start;
    return st;
}

/* The restricted MIP: the band's columns and the blocks', every row over
 * them, and the booking's columns and rows (mip.c). */
static mp_status band_mip(bandset *b, size_t *book_cols, mpi_lp *out)
{
    const mpi_model *m = b->m;
    size_t nr = m->lp.nrows;
    memset(out, 0, sizeof *out);
    out->sense = m->lp.sense;
    out->rows = mpi_calloc(nr + 1, sizeof *out->rows);
    out->rcap = nr + 1;
    mp_status st = out->rows ? band_columns(b, out) : mpi_nomem();
    for (size_t r = 0; st == MP_OK && r < nr; r++)
        st = band_row(b, r, out);
    size_t cap = out->ncols ? out->ncols : 1;
    if (st == MP_OK)
        st = mpi_booked_append(m, b->map, &cap, book_cols, out);
    if (st != MP_OK)
        mpi_lp_free(out);
    return st;
}

/* The restricted MIP's plan over every segment (a block's share of each of
 * its segments), its rows and objective. */
static mp_status band_plan(bandset *b, const mpi_lp_sol *ms, mpi_lp_sol *out)
{
    const mpi_model *m = b->m;
    memset(out, 0, sizeof *out);
    size_t nc = m->lp.ncols;
    out->x = mpi_malloc((nc ? nc : 1) * sizeof(double));
    out->row_act = mpi_calloc(m->lp.nrows + 1, sizeof(double));
    if (!out->x || !out->row_act) {
        mpi_lp_sol_free(out);
        return mpi_nomem();
    }
    double obj = 0;
    for (size_t i = 0; i < m->curves.n; i++) {
        const mpi_curve *c = &m->curves.v[i];
        for (int s = 0; s < c->nseg; s++) {
            size_t j = c->col + (size_t)s;
            double share = b->in[j] ? 0 : ms->x[b->bcol[b->block[j]]];
            double x = b->in[j] ? ms->x[b->map[j]] : share * mpi_curve_width(c, s);
            out->x[j] = x;
            if (x != 0)
                obj += seg_terms(b, c, b->tab.cls[i], s, NULL, NULL) * x;
        }
    }
    mpi_row_classes_eval(&b->tab, m, out->x, out->row_act, NULL);
    out->obj = obj;
    out->status = ms->status;
    out->mip = 1;
    return MP_OK;
}

/* The prices of the restricted MIP's LP with its integers where ms has
 * them (moved into the rows' bounds): the model's rows' into pi[0 .. nr),
 * and each channel-period's rows over its money paid summed into
 * pair[c * periods + t] (they have the same terms: their prices add). A
 * start for the pattern's LP at about its own prices: from the relaxation's,
 * with the pattern's rows at 0, its band would hold most segments. pi and
 * pair are left as they were when that LP does not solve. mip is spent. */
static mp_status fixed_prices(mpi_lp *mip, const mpi_lp_sol *ms, const mp_solve_opts *opts,
                              size_t nr, double *pi, double *pair)
{
    size_t w = 0;
    for (size_t r = 0; r < mip->nrows; r++) {
        mpi_row *row = &mip->rows[r];
        size_t start = w;
        for (size_t e = row->start; e < row->start + row->len; e++) {
            size_t j = mip->ind[e];
            if (mip->binary[j] != MPI_COL_CONT) {
                row->rhs -= mip->val[e] * floor(ms->x[j] + 0.5);
                continue;
            }
            mip->ind[w] = j;
            mip->val[w++] = mip->val[e];
        }
        row->start = start;
        row->len = w - start;
    }
    for (size_t j = 0; j < mip->ncols; j++)
        if (mip->binary[j] != MPI_COL_CONT)
            mip->ub[j] = 0;
    free(mip->binary);
    mip->binary = NULL;
    mpi_lp_sol fs;
    memset(&fs, 0, sizeof fs);
    mp_status st = mpi_glpk_solve(mip, opts, &fs);
    if (st == MP_ERR_SOLVER) { /* only a start: the relaxation's prices then */
        mpi_clear_error();
        st = MP_OK;
    } else if (st == MP_OK && fs.status == MPI_LP_OPTIMAL) {
        memcpy(pi, fs.row_dual, nr * sizeof(double));
        for (size_t r = nr; r < mip->nrows; r++)
            if (mip->rows[r].ref >= 0)
                pair[mip->rows[r].ref] += fs.row_dual[r];
    }
    mpi_lp_sol_free(&fs);
    return st;
}

/* The LP of the pattern ms booked, over every segment (the implicit solve,
 * from prices pi of the model's rows and pair of the pattern's:
 * fixed_prices), into ps; ps->status says whether it solved. */
static mp_status pattern_lp(bandset *b, const size_t *book_cols, const mpi_lp_sol *ms,
                            const double *pi0, const double *pair, const mp_solve_opts *opts,
                            mpi_lp_sol *ps)
{
    memset(ps, 0, sizeof *ps);
    mpi_model pm;
    mp_status st = mpi_model_pattern(b->m, book_cols, ms->x, &pm);
    if (st != MP_OK)
        return st;
    double *pi = mpi_calloc(pm.lp.nrows + 1, sizeof(double));
    if (!pi)
        st = mpi_nomem();
    if (st == MP_OK) {
        size_t nr = b->m->lp.nrows;
        memcpy(pi, pi0, nr * sizeof(double));
        for (size_t r = nr; r < pm.lp.nrows; r++)
            pi[r] = pair[pm.lp.rows[r].ref];
        st = mpi_model_solve_implicit(&pm, pi, opts, ps);
    }
    free(pi);
    mpi_lp_free(&pm.lp);
    return st;
}

/* The objective at x over every segment (as band_plan sums it). */
static double obj_at(bandset *b, const double *x)
{
    const mpi_model *m = b->m;
    double obj = 0;
    for (size_t i = 0; i < m->curves.n; i++) {
        const mpi_curve *c = &m->curves.v[i];
        for (int s = 0; s < c->nseg; s++)
            if (x[c->col + (size_t)s] != 0)
                obj += seg_terms(b, c, b->tab.cls[i], s, NULL, NULL) * x[c->col + (size_t)s];
    }
    return obj;
}

/* Whether the restricted MIP's plan (rp) was the pattern's optimum (px):
 * their objectives within the solver's tolerance. When not, the segments
 * outside the band that px leaves elsewhere than rp join the band. */
static int settled(bandset *b, const mpi_lp_sol *rp, const double *px)
{
    const mpi_model *m = b->m;
    double vr = obj_at(b, rp->x), vp = obj_at(b, px);
    if (m->lp.sense * (vp - vr) <= SETTLE_REL * (1 + fabs(vp)))
        return 1;
    for (size_t i = 0; i < m->curves.n; i++) {
        const mpi_curve *c = &m->curves.v[i];
        for (int s = 0; s < c->nseg; s++) {
            size_t j = c->col + (size_t)s;
            double tol = 1e-7 * mpi_curve_width(c, s) + 1e-9;
            if (!b->in[j] && fabs(px[j] - rp->x[j]) > tol)
                b->in[j] = 1;
        }
    }
    return 0;
}

/* One round: the restricted MIP at the band's width, then its pattern's LP.
 * *plan: the plan to report (the pattern's LP, or the restricted MIP's own
 * when that LP did not solve); *done: the round settled (settled()). */
static mp_status one_round(bandset *b, size_t *book_cols, const mp_solve_opts *opts, mpi_lp_sol *ms,
                           mpi_lp_sol *plan, int *done, int *failed)
{
    mpi_lp mip;
    *done = *failed = 0;
    size_t nr = b->m->lp.nrows, npair = b->m->plan->nch * (size_t)b->m->plan->periods;
    double *pi = mpi_calloc(nr + npair + 1, sizeof(double)), *pair = pi + nr;
    if (!pi)
        return mpi_nomem();
    memcpy(pi, b->pi, nr * sizeof(double));
    mp_status st = band_mip(b, book_cols, &mip);
    if (st == MP_OK) {
        /* A large plan is booked to its gap, as its continuous plan is
         * refined to it: proving the last hundredths of a percent of a
         * 16-week plan of flights takes branch and cut minutes where the
         * plan itself is found in seconds. (A small plan's whole MIP is
         * proved the best.) */
        mip.mip_gap_tol = b->m->plan->gap;
        st = mpi_glpk_solve(&mip, opts, ms);
        if (st == MP_ERR_SOLVER) { /* its answer failed its check: another band may not */
            mpi_clear_error();
            mpi_lp_sol_free(ms);
            *failed = 1;
            st = MP_OK;
            ms->status = MPI_LP_INFEASIBLE; /* no plan from this round */
        } else if (st == MP_OK && ms->status != MPI_LP_INFEASIBLE)
            st = fixed_prices(&mip, ms, opts, nr, pi, pair);
        mpi_lp_free(&mip);
    }
    if (st != MP_OK || ms->status == MPI_LP_INFEASIBLE) {
        free(pi);
        return st;
    }
    mpi_lp_sol ps, rp;
    memset(&ps, 0, sizeof ps);
    st = band_plan(b, ms, &rp);
    if (st == MP_OK)
        st = pattern_lp(b, book_cols, ms, pi, pair, opts, &ps);
    free(pi);
    if (st == MP_OK && ps.status == MPI_LP_OPTIMAL) {
        *done = settled(b, &rp, ps.x);
        ps.status = ms->status; /* the booking's verdict: a time limit stays one */
        ps.mip = 1;
        *plan = ps;
        mpi_lp_sol_free(&rp);
        return MP_OK;
    }
    mpi_lp_sol_free(&ps);
    if (st == MP_OK)
        *plan = rp;
    else
        mpi_lp_sol_free(&rp);
    return st;
}

mp_status mpi_mip_band(mp_solution *sol, const mp_solve_opts *opts, size_t *book_cols,
                       mpi_lp_sol *ms, mpi_lp_sol *plan, int *whole)
{
    bandset b;
    *whole = 0;
    memset(ms, 0, sizeof *ms);
    memset(plan, 0, sizeof *plan);
    mp_status st = bandset_init(&sol->model, sol->lp.x, sol->lp.row_dual, &b);
    double band = BAND_START;
    long nodes = 0;
    int round = 0, done = 0, failed = 0;
    while (st == MP_OK && round < BAND_ROUNDS && !done) {
        mpi_lp_sol_free(ms);
        mpi_lp_sol_free(plan);
        mark(&b, band);
        st = one_round(&b, book_cols, opts, ms, plan, &done, &failed);
        nodes += ms->mip_nodes;
        round++;
        band *= BAND_GROW;
        if (failed && !mpi_deadline_passed())
            continue; /* GLPK's answer failed its check: a wider band */
        if (st != MP_OK || ms->status != MPI_LP_OPTIMAL || mpi_deadline_passed())
            break; /* infeasible: the whole MIP decides; out of time: what was found */
    }
    ms->mip_nodes = nodes;
    sol->mip_band_cols = b.nin;
    sol->mip_band_rounds = round;
    sol->mip_band_settled = done;
    bandset_free(&b);
    if (st == MP_OK && ms->status == MPI_LP_INFEASIBLE) {
        *whole = 1;
        mpi_lp_sol_free(plan);
    } else if (st == MP_OK && ms->status == MPI_LP_OPTIMAL && !done) {
        st = mpi_warn(&sol->diag,
                      N_("the search for the booked plan ran on the parts of the curves in "
                         "question and did not settle in %d rounds: another booking may do a "
                         "little better (the certified gap bounds how much)"),
                      round);
    }
    return st;
}
